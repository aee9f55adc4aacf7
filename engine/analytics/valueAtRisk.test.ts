import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { SeededRandom } from "../seededRandom.js";
import { healthAt, isLiquidatableAt } from "./health.js";
import { defaultMarketModel, type MarketModel } from "./marketModel.js";
import { bookOf, buildPositionStore, type PositionStore } from "./positionStore.js";
import { type PathOptions, PricePaths } from "./pricePaths.js";
import { type HandmadeAccount, handmadeBook, syntheticBook } from "./syntheticBook.js";
import { type VarResult, valueAtRisk } from "./valueAtRisk.js";

const b = syntheticBook({ seed: 31, accounts: 1500, markets: 5, hedgedShare: 0.5 });
const store = buildPositionStore(bookOf(b.state, b.timestamp, referenceRiskModel));
const model = defaultMarketModel(store);
// A stressed day: volatility ×3 and a market-wide crash one day in four.
const wild: MarketModel = {
  ...model,
  markets: model.markets.map((p) => ({ ...p, dailyVol: 3 * p.dailyVol })),
};
const crash = { perDay: 0.25, mean: -0.15, sd: 0.05 };

/**
 * The straightforward VaR: every path from the same generator, every step, every account's
 * health recomputed from the store at that step's prices (healthAt), each account liquidated
 * at the first step it is liquidatable at. No index, no bounds, no batches.
 */
function fullScan(
  st: PositionStore,
  m: MarketModel,
  paths: number,
  seed: number,
  options: PathOptions,
  includeNow = true,
) {
  const gen = new PricePaths(m, seed, options);
  const n = st.marketCount;
  const out = new Float64Array((gen.steps + 1) * n);
  const bad = new Float64Array(paths);
  const notional = new Float64Array(paths);
  const count = new Int32Array(paths);
  for (let q = 0; q < paths; q++) {
    gen.next(out);
    const done = new Uint8Array(st.accountCount);
    for (let t = 0; t <= gen.steps; t++) {
      const prices = Float64Array.from(st.price, (p, k) => p * (1 + out[t * n + k]!));
      const h = healthAt(st, prices);
      for (let a = 0; a < st.accountCount; a++) {
        if (done[a] || !isLiquidatableAt(h, a)) continue;
        done[a] = 1;
        if (t === 0 && !includeNow) continue;
        count[q]!++;
        notional[q]! += h.notional[a]!;
        bad[q]! += Math.max(0, h.keeperReward[a]! - h.equity[a]!);
      }
    }
  }
  const quantile = (v: Float64Array, p: number) =>
    Float64Array.from(v).sort()[Math.ceil(p * paths) - 1]!;
  return { bad, notional, count, quantile };
}

function expectSameAsFullScan(r: VarResult, f: ReturnType<typeof fullScan>) {
  const close = (x: number, y: number, scale: number) =>
    expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * (scale + 1));
  for (let q = 0; q < r.paths; q++) {
    expect(r.pathLiquidatedAccounts[q]).toBe(f.count[q]);
    close(r.pathLiquidatedNotional[q]!, f.notional[q]!, f.notional[q]!);
    close(r.pathBadDebt[q]!, f.bad[q]!, f.notional[q]!);
  }
  for (const p of [0.95, 0.99] as const) {
    const key = p === 0.95 ? "p95" : "p99";
    close(r.badDebtVaR[key], f.quantile(f.bad, p), f.quantile(f.notional, p));
    close(r.liquidationsLaR[key], f.quantile(f.notional, p), f.quantile(f.notional, p));
  }
}

describe("valueAtRisk", () => {
  it("equals walking every account along every path (the filters are exact)", () => {
    const paths = 60;
    const steps = 6;
    const options = { steps, commonJump: crash };
    const r = valueAtRisk(store, { paths, seed: 5, ...options }, wild);
    expectSameAsFullScan(r, fullScan(store, wild, paths, 5, options));
    expect(r.probabilityOfLiquidation).toBe(1); // the book has underwater accounts at the mark
    expect(r.probabilityOfBadDebt).toBeGreaterThan(0);
  });

  it("equals the full-scan VaR for the same seed on a book with up to six legs an account", () => {
    // Eight markets so accounts hold one to six legs (every leg count the fast path treats
    // apart), half of the multi-leg accounts hedged; hourly steps; 70 paths, so batches of 32
    // are full and partial.
    const b8 = syntheticBook({
      seed: 77,
      accounts: 1200,
      positions: 4200,
      markets: 8,
      hedgedShare: 0.5,
    });
    const s8 = buildPositionStore(bookOf(b8.state, b8.timestamp, referenceRiskModel));
    const legs = new Set<number>();
    for (let a = 0; a < s8.accountCount; a++)
      legs.add(s8.accountStart[a + 1]! - s8.accountStart[a]!);
    expect([...legs].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const m8 = defaultMarketModel(s8);
    const wild8: MarketModel = {
      ...m8,
      markets: m8.markets.map((p) => ({ ...p, dailyVol: 2.5 * p.dailyVol })),
    };
    const options = { commonJump: crash };
    for (const seed of [3, 4]) {
      const r = valueAtRisk(s8, { paths: 70, seed, ...options }, wild8);
      const f = fullScan(s8, wild8, 70, seed, options);
      expectSameAsFullScan(r, f);
      // Liquidations during the day, not only the accounts underwater at the mark.
      expect(Math.min(...r.pathLiquidatedAccounts)).toBeLessThan(
        Math.max(...r.pathLiquidatedAccounts),
      );
    }
    const skip = valueAtRisk(s8, { paths: 40, seed: 6, includeAlreadyLiquidatable: false }, wild8);
    expectSameAsFullScan(skip, fullScan(s8, wild8, 40, 6, {}, false));
  });

  it("equals the full scan with up to nine legs an account, in steps that are not whole blocks", () => {
    // Nine markets, accounts with two to nine legs of either side and a thin margin (more
    // than six legs are read from the index, not from locals); 8 and 17 steps leave a last
    // block of two and five steps, shorter than the others.
    const specs = syntheticBook({ seed: 3, accounts: 1, markets: 9 }).specs;
    const rng = new SeededRandom(11);
    const accounts: HandmadeAccount[] = [];
    for (let a = 0; a < 320; a++) {
      const k = 2 + (a % 8);
      const markets = Array.from({ length: 9 }, (_, m) => m)
        .sort(() => rng.uniform() - 0.5)
        .slice(0, k);
      let notional = 0;
      const legs = markets.map((m) => {
        const usd = rng.logBetween(2_000, 40_000);
        notional += usd;
        return { market: m, size: ((rng.chance(0.7) ? 1 : -1) * usd) / specs[m]!.price };
      });
      accounts.push({ collateral: notional * rng.between(0.03, 0.12), legs });
    }
    const b9 = handmadeBook(accounts, specs);
    const s9 = buildPositionStore(bookOf(b9.state, b9.timestamp, referenceRiskModel));
    const m9 = defaultMarketModel(s9);
    const wild9: MarketModel = {
      ...m9,
      markets: m9.markets.map((p) => ({ ...p, dailyVol: 2 * p.dailyVol })),
    };
    for (const [steps, seed] of [
      [8, 8],
      [17, 9],
    ] as const) {
      const options = { steps, commonJump: crash };
      const r = valueAtRisk(s9, { paths: 70, seed, ...options }, wild9);
      expectSameAsFullScan(r, fullScan(s9, wild9, 70, seed, options));
      expect(Math.min(...r.pathLiquidatedAccounts)).toBeLessThan(
        Math.max(...r.pathLiquidatedAccounts),
      );
    }
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
