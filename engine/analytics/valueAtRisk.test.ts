import { describe, expect, it } from "vitest";
import { healthAt, isLiquidatableAt } from "./health.js";
import { defaultMarketModel, type MarketModel } from "./marketModel.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { PricePaths } from "./pricePaths.js";
import { syntheticBook } from "./syntheticBook.js";
import { valueAtRisk } from "./valueAtRisk.js";

const b = syntheticBook({ seed: 31, accounts: 1500, markets: 5, hedgedShare: 0.5 });
const store = buildPositionStore(bookOf(b.state, b.timestamp));
const model = defaultMarketModel(store);
// A stressed day: volatility ×3 and a market-wide crash one day in four.
const wild: MarketModel = {
  ...model,
  markets: model.markets.map((p) => ({ ...p, dailyVol: 3 * p.dailyVol })),
};
const crash = { perDay: 0.25, mean: -0.15, sd: 0.05 };

describe("valueAtRisk", () => {
  it("equals walking every account along every path (the filters are exact)", () => {
    const paths = 60;
    const steps = 6;
    const r = valueAtRisk(store, { paths, steps, seed: 5, commonJump: crash }, wild);
    const gen = new PricePaths(wild, 5, { steps, commonJump: crash });
    const n = store.marketCount;
    const out = new Float64Array((steps + 1) * n);
    for (let q = 0; q < paths; q++) {
      gen.next(out);
      const done = new Uint8Array(store.accountCount);
      let bad = 0;
      let notional = 0;
      let count = 0;
      for (let t = 0; t <= steps; t++) {
        const prices = Float64Array.from(store.price, (p, m) => p * (1 + out[t * n + m]!));
        const h = healthAt(store, prices);
        for (let a = 0; a < store.accountCount; a++) {
          if (done[a] || !isLiquidatableAt(h, a)) continue;
          done[a] = 1;
          count++;
          notional += h.notional[a]!;
          bad += Math.max(0, h.keeperReward[a]! - h.equity[a]!);
        }
      }
      expect(r.pathLiquidatedAccounts[q]).toBe(count);
      expect(Math.abs(r.pathLiquidatedNotional[q]! - notional)).toBeLessThan(1e-6 * (notional + 1));
      expect(Math.abs(r.pathBadDebt[q]! - bad)).toBeLessThan(1e-6 * (notional + 1));
    }
    expect(r.probabilityOfLiquidation).toBe(1); // the book has underwater accounts at the mark
    expect(r.probabilityOfBadDebt).toBeGreaterThan(0);
  });

  it("reports VaR (bad debt) and LaR (liquidations) separately, with ordered quantiles", () => {
    const r = valueAtRisk(store, { paths: 2000, seed: 2, commonJump: crash }, wild);
    expect(r.paths).toBe(2000);
    expect(r.steps).toBe(24);
    expect(r.badDebtVaR.p99).toBeGreaterThanOrEqual(r.badDebtVaR.p95);
    expect(r.liquidationsLaR.p99).toBeGreaterThanOrEqual(r.liquidationsLaR.p95);
    expect(r.liquidationsLaR.p99).toBeGreaterThan(r.badDebtVaR.p99);
    expect(r.badDebtExpectedShortfall.p99).toBeGreaterThanOrEqual(r.badDebtVaR.p99);
    expect(r.liquidationsExpectedTail.p95).toBeGreaterThanOrEqual(r.liquidationsLaR.p95);
    const sorted = Float64Array.from(r.pathLiquidatedNotional).sort();
    expect(r.liquidationsLaR.p95).toBe(sorted[Math.ceil(0.95 * 2000) - 1]);
    expect(r.badDebtVaR.p99).toBe(Float64Array.from(r.pathBadDebt).sort()[1979]);
  });

  it("is reproducible from its seed", () => {
    const a = valueAtRisk(store, { paths: 300, seed: 9 });
    const c = valueAtRisk(store, { paths: 300, seed: 9 });
    const d = valueAtRisk(store, { paths: 300, seed: 10 });
    expect(a.pathLiquidatedNotional).toEqual(c.pathLiquidatedNotional);
    expect(a.pathLiquidatedNotional).not.toEqual(d.pathLiquidatedNotional);
  });

  it("sees only the accounts already underwater when prices cannot move", () => {
    const still: MarketModel = {
      ...model,
      markets: model.markets.map((p) => ({ ...p, dailyVol: 0, jumpsPerDay: 0 })),
    };
    const r = valueAtRisk(store, { paths: 50 }, still);
    const h = healthAt(store);
    let n = 0;
    for (let a = 0; a < store.accountCount; a++) if (isLiquidatableAt(h, a)) n++;
    expect(n).toBeGreaterThan(0);
    expect(Array.from(r.pathLiquidatedAccounts).every((c) => c === n)).toBe(true);
    const none = valueAtRisk(store, { paths: 50, includeAlreadyLiquidatable: false }, still);
    expect(none.liquidationsLaR.p99).toBe(0);
    expect(none.badDebtVaR.p99).toBe(0);
    expect(() => valueAtRisk(store, { paths: 0 })).toThrow(RangeError);
  });
});
