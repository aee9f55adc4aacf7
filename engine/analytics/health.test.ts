import { describe, expect, it } from "vitest";
import { exactHealth, exactMarksAt } from "../../protocols/reference/exactBaseline.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { SeededRandom } from "../seededRandom.js";
import { healthAt, isLiquidatableAt, waterfall } from "./health.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { syntheticBook } from "./syntheticBook.js";

const { state, timestamp } = syntheticBook({ seed: 17, accounts: 500, markets: 5 });
const store = buildPositionStore(bookOf(state, timestamp, referenceRiskModel));
const accounts = Object.values(state.accounts);

describe("healthAt", () => {
  it("matches the exact engine's health at moved prices, funding included", () => {
    const rng = new SeededRandom(1);
    for (let trial = 0; trial < 5; trial++) {
      const prices = Float64Array.from(store.price, (p) => p * (1 + rng.between(-0.4, 0.4)));
      const marks = exactMarksAt(state, timestamp, prices);
      const h = healthAt(store, prices);
      accounts.forEach((acc, a) => {
        const x = exactHealth(marks, acc);
        const tol = 1e-12 * (Number(x.notional) / 1e18 + Number(acc.collateral) / 1e18 + 1);
        expect(Math.abs(h.equity[a]! - Number(x.equity) / 1e18)).toBeLessThan(tol);
        expect(Math.abs(h.maintenanceMargin[a]! - Number(x.maintenanceMargin) / 1e18)).toBeLessThan(
          tol,
        );
        expect(Math.abs(h.initialMargin[a]! - Number(x.initialMargin) / 1e18)).toBeLessThan(tol);
        expect(Math.abs(h.notional[a]! - Number(x.notional) / 1e18)).toBeLessThan(tol);
      });
    }
  });

  it("computes the keeper reward per market, capped, and the penalty cap", () => {
    const h = healthAt(store);
    accounts.forEach((acc, a) => {
      let keeper = 0;
      let pen = 0;
      for (const [key, p] of Object.entries(acc.positions)) {
        const m = Number(key) - 1;
        const n = Math.abs(Number(p.size) / 1e18) * store.price[m]!;
        keeper += Math.min(n * store.keeperRewardRatio[m]!, store.maxKeeperReward[m]!);
        pen += n * store.liquidationPenaltyRatio[m]!;
      }
      expect(h.keeperReward[a]).toBeCloseTo(keeper, 6);
      expect(h.penaltyCap[a]).toBeCloseTo(pen, 6);
    });
  });

  it("applies the contract's condition MM > 0 && equity < MM", () => {
    const h = {
      equity: Float64Array.of(5, 5, -1, 0),
      maintenanceMargin: Float64Array.of(10, 5, 0, 1),
      initialMargin: new Float64Array(4),
      notional: new Float64Array(4),
      keeperReward: new Float64Array(4),
      penaltyCap: new Float64Array(4),
    };
    expect([0, 1, 2, 3].map((a) => isLiquidatableAt(h, a))).toEqual([true, false, false, true]);
  });
});

describe("waterfall", () => {
  it("pays the keeper first, then the penalty, and leaves a shortfall below zero", () => {
    expect(waterfall(100, 10, 50)).toEqual({ penalty: 50, shortfall: 0 });
    expect(waterfall(30, 10, 50)).toEqual({ penalty: 20, shortfall: 0 });
    expect(waterfall(5, 10, 50)).toEqual({ penalty: 0, shortfall: 5 });
    expect(waterfall(-20, 10, 50)).toEqual({ penalty: 0, shortfall: 30 });
  });
});
