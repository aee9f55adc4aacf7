/**
 * Monte-Carlo VaR of one-day bad debt and LaR (liquidations at risk) of one-day liquidated
 * notional, at 95% and 99%, from seeded correlated price paths with jumps.
 *
 * Why: ladders and stress grids answer "what if"; a risk committee also needs "how bad, how
 * often". Each path (pricePaths.ts) moves every market through the day; an account is
 * liquidated at the first step where `equity − MM < 0`, at that step's prices, and its bad
 * debt is the waterfall's shortfall there (keeper first, no insurance fund — the fund is what
 * this number is compared with). VaR is a quantile of bad debt, LaR a quantile of liquidated
 * notional: separate fields, because they are different risks (LaR is flow the market must
 * absorb, VaR is money the exchange loses) and mixing them misleads.
 *
 * Speed: per path only accounts within reach of the largest volatility-scaled fall (for accounts
 * that lose when prices fall), rise (when they rise) or either (mixed books) of one of their
 * own markets are looked at (reachOrder.ts); of those, an account whose gap survives every market's worst
 * excursion of the day on the side that hurts each leg is safe without walking the steps; the
 * rest walk the day in blocks of steps, skipping every block whose own worst excursions it
 * survives. All of it is exact: the filters only skip accounts that cannot be liquidated.
 * Price impact is not modelled here (see cascade.ts).
 */
import { type MarkExposure, markExposure } from "./markExposure.js";
import { defaultMarketModel, type MarketModel } from "./marketModel.js";
import type { PositionStore } from "./positionStore.js";
import { type PathOptions, PricePaths } from "./pricePaths.js";
import { listWithinReach, MIXED, RISES, reachOrder } from "./reachOrder.js";

export interface VarOptions extends PathOptions {
  /** Number of paths (default 10,000). */
  paths?: number;
  /** Seed of the paths (default 1). */
  seed?: number;
  /** Count accounts already liquidatable at the mark (liquidated at step 0; default true). */
  includeAlreadyLiquidatable?: boolean;
}

export interface Quantiles {
  p95: number;
  p99: number;
}

export interface VarResult {
  paths: number;
  steps: number;
  horizonDays: number;
  seed: number;
  /** Value at risk: quantiles of bad debt per path, USD. */
  badDebtVaR: Quantiles;
  /** Liquidations at risk: quantiles of liquidated notional per path, USD. */
  liquidationsLaR: Quantiles;
  /** Means beyond the quantiles (expected shortfall / expected liquidations in the tail). */
  badDebtExpectedShortfall: Quantiles;
  liquidationsExpectedTail: Quantiles;
  meanBadDebt: number;
  meanLiquidatedNotional: number;
  probabilityOfBadDebt: number;
  probabilityOfLiquidation: number;
  /** Per path: bad debt, liquidated notional (at liquidation prices), accounts liquidated. */
  pathBadDebt: Float64Array;
  pathLiquidatedNotional: Float64Array;
  pathLiquidatedAccounts: Int32Array;
}

function tail(values: Float64Array, q: number): { quantile: number; mean: number } {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const idx = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  let s = 0;
  for (let i = idx; i < n; i++) s += sorted[i]!;
  return { quantile: sorted[idx]!, mean: s / (n - idx) };
}

export function valueAtRisk(
  store: PositionStore,
  options: VarOptions = {},
  model: MarketModel = defaultMarketModel(store),
  exposure: MarkExposure = markExposure(store),
): VarResult {
  const nPaths = options.paths ?? 10_000;
  const seed = options.seed ?? 1;
  if (!(Number.isInteger(nPaths) && nPaths >= 1)) {
    throw new RangeError(`paths: ${nPaths} is not an integer ≥ 1`);
  }
  const gen = new PricePaths(model, seed, options);
  const n = store.marketCount;
  const S = gen.steps;
  const scale = Float64Array.from(model.markets, (p) =>
    Math.max(p.dailyVol * Math.sqrt(gen.horizonDays), 1e-9),
  );
  const order = reachOrder(store, exposure, scale);
  const { gap, equity, start, market, gapSlope, equitySlope, notional, keeperBase, adverse } =
    order;
  const { maxKeeperReward } = store;
  const skipNow = options.includeAlreadyLiquidatable === false;

  // Steps 0…S in blocks of L; ext holds (fall, rise) per market: the day's in ext[0 … 2n), then
  // each block's.
  const B = Math.min(4, S + 1);
  const L = Math.ceil((S + 1) / B);
  const path = new Float64Array((S + 1) * n);
  const ext = new Float64Array((B + 1) * 2 * n);
  const stamp = new Int32Array(order.count);
  const { lists } = order;
  const pathBadDebt = new Float64Array(nPaths);
  const pathNotional = new Float64Array(nPaths);
  const pathAccounts = new Int32Array(nPaths);

  for (let q = 0; q < nPaths; q++) {
    gen.next(path);
    ext.fill(0, 0, 2 * n);
    for (let b = 0; b < B; b++) {
      const o = (b + 1) * 2 * n;
      const t0 = b * L;
      const t1 = Math.min(t0 + L, S + 1);
      for (let m = 0; m < n; m++) {
        let lo = path[t0 * n + m]!;
        let hi = lo;
        for (let t = t0 + 1; t < t1; t++) {
          const v = path[t * n + m]!;
          if (v < lo) lo = v;
          else if (v > hi) hi = v;
        }
        ext[o + 2 * m] = lo;
        ext[o + 2 * m + 1] = hi;
        if (lo < ext[2 * m]!) ext[2 * m] = lo;
        if (hi > ext[2 * m + 1]!) ext[2 * m + 1] = hi;
      }
    }
    let bad = 0;
    let liqNotional = 0;
    let liqCount = 0;
    const mark = q + 1;
    for (let c = 0; c < 3 * n; c++) {
      const g = (c / n) | 0;
      const m = c - g * n;
      const down = -ext[2 * m]! / scale[m]!;
      const up = ext[2 * m + 1]! / scale[m]!;
      const z = g === MIXED ? Math.max(down, up) : g === RISES ? up : down;
      const end = listWithinReach(order, c, z);
      for (let i = order.listStart[c]!; i < end; i++) {
        const j = lists[i]!;
        if (stamp[j] === mark) continue;
        stamp[j] = mark;
        const g0 = gap[j]!;
        if (skipNow && g0 < 0) continue;
        const p0 = start[j]!;
        const p1 = start[j + 1]!;
        // The day's worst case for each leg separately: if even that leaves a gap, safe.
        let bound = g0;
        for (let p = p0; p < p1; p++) bound += gapSlope[p]! * ext[adverse[p]!]!;
        if (bound >= 0) continue;
        let hit = -1;
        for (let b = 0; b < B && hit < 0; b++) {
          const o = (b + 1) * 2 * n;
          let bb = g0;
          for (let p = p0; p < p1; p++) bb += gapSlope[p]! * ext[o + adverse[p]!]!;
          if (bb >= 0) continue;
          const t1 = Math.min(b * L + L, S + 1);
          for (let t = b * L; t < t1; t++) {
            const row = t * n;
            let f = g0;
            for (let p = p0; p < p1; p++) f += gapSlope[p]! * path[row + market[p]!]!;
            if (f < 0) {
              hit = t;
              break;
            }
          }
        }
        if (hit < 0) continue;
        const row = hit * n;
        let e = equity[j]!;
        let keeper = 0;
        for (let p = p0; p < p1; p++) {
          const mk = market[p]!;
          const mv = path[row + mk]!;
          const gr = 1 + mv;
          e += equitySlope[p]! * mv;
          liqNotional += notional[p]! * gr;
          keeper += Math.min(keeperBase[p]! * gr, maxKeeperReward[mk]!);
        }
        if (e < keeper) bad += keeper - e;
        liqCount++;
      }
    }
    pathBadDebt[q] = bad;
    pathNotional[q] = liqNotional;
    pathAccounts[q] = liqCount;
  }

  const b95 = tail(pathBadDebt, 0.95);
  const b99 = tail(pathBadDebt, 0.99);
  const l95 = tail(pathNotional, 0.95);
  const l99 = tail(pathNotional, 0.99);
  let sb = 0;
  let sl = 0;
  let pb = 0;
  let pl = 0;
  for (let q = 0; q < nPaths; q++) {
    sb += pathBadDebt[q]!;
    sl += pathNotional[q]!;
    if (pathBadDebt[q]! > 0) pb++;
    if (pathAccounts[q]! > 0) pl++;
  }
  return {
    paths: nPaths,
    steps: S,
    horizonDays: gen.horizonDays,
    seed,
    badDebtVaR: { p95: b95.quantile, p99: b99.quantile },
    liquidationsLaR: { p95: l95.quantile, p99: l99.quantile },
    badDebtExpectedShortfall: { p95: b95.mean, p99: b99.mean },
    liquidationsExpectedTail: { p95: l95.mean, p99: l99.mean },
    meanBadDebt: sb / nPaths,
    meanLiquidatedNotional: sl / nPaths,
    probabilityOfBadDebt: pb / nPaths,
    probabilityOfLiquidation: pl / nPaths,
    pathBadDebt,
    pathLiquidatedNotional: pathNotional,
    pathLiquidatedAccounts: pathAccounts,
  };
}
