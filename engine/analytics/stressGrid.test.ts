import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { prepareCascade, runCascade } from "./cascade.js";
import { healthAt, isLiquidatableAt } from "./health.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { linspace, stressGrid } from "./stressGrid.js";
import { syntheticBook } from "./syntheticBook.js";

const b = syntheticBook({ seed: 12, accounts: 2000, markets: 5 });
const store = buildPositionStore(bookOf(b.state, b.timestamp, referenceRiskModel));

describe("stressGrid", () => {
  it("runs 40 shocks from −50% to +50% by default", () => {
    const g = stressGrid(store);
    expect(g.rows).toHaveLength(40);
    expect(g.rows[0]!.shock).toBe(-0.5);
    expect(g.rows[39]!.shock).toBeCloseTo(0.5, 12);
    expect(g.mode).toBe("cascade");
    for (const r of g.rows) {
      expect(r.converged).toBe(true);
      expect(r.amplification).toBeGreaterThanOrEqual(1 - 1e-9);
    }
    // Bigger crashes liquidate more (on this directional-enough book, in either direction).
    expect(g.rows[0]!.liquidatedAccounts).toBeGreaterThan(g.rows[15]!.liquidatedAccounts);
    expect(g.rows[39]!.liquidatedAccounts).toBeGreaterThan(g.rows[24]!.liquidatedAccounts);
    expect(g.firstBadDebt.down).toBeLessThan(0);
  });

  it("matches single cascades row by row, and the shock alone in shock mode", () => {
    const ctx = prepareCascade(store);
    const shocks = [-0.3, -0.05, 0.1];
    const g = stressGrid(store, { shocks, insuranceFund: 1e5 }, undefined, ctx);
    shocks.forEach((x, i) => {
      const r = runCascade(ctx, { kind: "correlated", move: x }, { insuranceFund: 1e5 });
      expect(g.rows[i]!.liquidatedNotional).toBe(r.liquidatedNotional);
      expect(g.rows[i]!.uncoveredBadDebt).toBe(r.uncoveredBadDebt);
    });
    const s = stressGrid(store, { shocks, mode: "shock", market: 1 }, undefined, ctx);
    shocks.forEach((x, i) => {
      const prices = Float64Array.from(store.price);
      prices[1] = prices[1]! * (1 + x);
      const h = healthAt(store, prices);
      let n = 0;
      for (let a = 0; a < store.accountCount; a++) if (isLiquidatableAt(h, a)) n++;
      expect(s.rows[i]!.liquidatedAccounts).toBe(n);
      expect(s.rows[i]!.amplification).toBe(1);
      expect(s.rows[i]!.finalMove).toBe(x);
    });
  });

  it("finds where bad debt starts and where ADL triggers", () => {
    const g = stressGrid(store, { insuranceFund: 5e5 });
    const down = g.rows.filter((r) => r.shock < 0 && r.badDebt > 0).map((r) => r.shock);
    expect(g.firstBadDebt.down).toBe(Math.max(...down));
    if (!Number.isNaN(g.firstAdl.down)) {
      expect(g.firstAdl.down).toBeLessThanOrEqual(g.firstBadDebt.down);
    }
  });

  it("spaces shocks evenly", () => {
    expect(linspace(-1, 1, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(() => linspace(0, 1, 1)).toThrow(RangeError);
  });
});
