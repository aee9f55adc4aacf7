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
 * Steps are the keepers' clock: an account is liquidated at the first step it is liquidatable
 * at, so coarser steps mean later liquidations at worse prices and more bad debt (hourly steps
 * by default; on the benchmark's book halving them raises VaR99 by about 40%).
 * Price impact is not modelled here (see cascade.ts).
 *
 * Speed: per path only accounts within reach of the volatility-scaled fall (for accounts that
 * lose when prices fall), rise (when they rise) or either (mixed books) of one of their own
 * markets are looked at (reachOrder.ts). Of those, an account whose gap survives every market's
 * worst excursion of the day, on the side that hurts each leg, is safe; otherwise a binary
 * search over the running extremes finds the first step it could be liquidated — exactly, when
 * it holds one market — and accounts with more legs walk on from there, skipping blocks of
 * steps whose own extremes they survive. All of it is exact: the filters only skip accounts
 * that cannot be liquidated (valueAtRisk.test.ts checks it against walking every account).
 */
import { type MarkExposure, markExposure } from "./markExposure.js";
import { defaultMarketModel, type MarketModel } from "./marketModel.js";
import type { PositionStore } from "./positionStore.js";
import { type PathOptions, PricePaths } from "./pricePaths.js";
import { listWithinReach, reachOrder } from "./reachOrder.js";

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
  const { accountF64, accountI32, liquidation } = order;
  const { maxKeeperReward } = store;
  const skipNow = options.includeAlreadyLiquidatable === false;

  // run[t·2n + 2m] / run[t·2n + 2m + 1]: the lowest / highest move of market m up to step t.
  // For a leg hurt by falls (rises), its move is never below (above) that running extreme, so
  //   h(t) = gap + Σ_legs slope·(running extreme on the side that hurts the leg)
  // is a lower bound of `equity − MM` at step t that only decreases with t: binary search finds
  // the first step it goes negative, before which the account cannot be liquidated. With one
  // leg h is exact; with more, the steps from there are walked, in blocks of L whose own
  // extremes (blk) let the walk skip blocks the account survives.
  const w = 2 * n;
  const B = Math.min(4, S + 1);
  const L = Math.ceil((S + 1) / B);
  const path = new Float64Array((S + 1) * n);
  const run = new Float64Array((S + 1) * w);
  const blk = new Float64Array(B * w);
  const zc = new Float64Array(3 * n);
  const { listStart, entryReach, entryOffset, entryF64, entryI32 } = order;
  const pathBadDebt = new Float64Array(nPaths);
  const pathNotional = new Float64Array(nPaths);
  const pathAccounts = new Int32Array(nPaths);

  // Accounts liquidatable at the mark are liquidated at step 0 of every path, at the marks:
  // the same numbers each time, counted once here (or not at all) and skipped below.
  let nowBad = 0;
  let nowNotional = 0;
  let nowCount = 0;
  if (!skipNow) {
    for (let j = 0; j < order.count; j++) {
      if (!(accountF64[4 * j]! < 0)) continue;
      const r = accountI32[8 * j + 6]!;
      const end = r + 1 + 4 * (accountI32[8 * j + 5]! - accountI32[8 * j + 4]!);
      let keeper = 0;
      for (let v = r + 1; v < end; v += 4) {
        nowNotional += liquidation[v + 1]!;
        keeper += Math.min(liquidation[v + 2]!, maxKeeperReward[liquidation[v + 3]!]!);
      }
      const e = liquidation[r]!;
      if (e < keeper) nowBad += keeper - e;
      nowCount++;
    }
  }

  const day = S * w;
  for (let q = 0; q < nPaths; q++) {
    gen.next(path);
    for (let t = 1; t <= S; t++) {
      const row = t * n;
      const r = t * w;
      for (let m = 0; m < n; m++) {
        const v = path[row + m]!;
        run[r + 2 * m] = Math.min(run[r - w + 2 * m]!, v);
        run[r + 2 * m + 1] = Math.max(run[r - w + 2 * m + 1]!, v);
      }
    }
    for (let b = 0; b < B; b++) {
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
        blk[b * w + 2 * m] = lo;
        blk[b * w + 2 * m + 1] = hi;
      }
    }
    let bad = nowBad;
    let liqNotional = nowNotional;
    let liqCount = nowCount;
    // z per (group, market): the market's excursion on the side that hurts the group, in
    // volatilities. List c holds the accounts whose reach it covers; an account holding several
    // such markets is looked at in the first (lowest market) of them only.
    for (let m = 0; m < n; m++) {
      const down = -run[day + 2 * m]! / scale[m]!;
      const up = run[day + 2 * m + 1]! / scale[m]!;
      zc[m] = down;
      zc[n + m] = up;
      zc[2 * n + m] = Math.max(down, up);
    }
    for (let c = 0; c < 3 * n; c++) {
      const gn = c - (c % n);
      const m = c - gn;
      const end = listWithinReach(order, c, zc[c]!);
      for (let e = listStart[c]!; e < end; e++) {
        const o = entryOffset[e]!;
        const k = entryI32[o + 3]!;
        const first = o + 4;
        const legs = first + 4 * k;
        const g0 = entryF64[o >> 1]!;
        if (g0 < 0) continue;
        // h(S): the day's worst case for each leg separately. If even that leaves a gap, safe
        // (whichever list it is met in).
        let h = g0;
        for (let l = first; l < legs; l += 4) h += entryF64[l >> 1]! * run[day + entryI32[l + 2]!]!;
        if (h >= 0) continue;
        // Met in an earlier list (a lower market it holds that moved far enough too): done.
        const reach = entryReach[e]!;
        let seen = false;
        for (let l = first; l < legs; l += 4) {
          const mk = entryI32[l + 3]!;
          if (mk < m && zc[gn + mk]! >= reach) {
            seen = true;
            break;
          }
        }
        if (seen) continue;
        let lo = 0;
        let hi = S;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          const r = mid * w;
          h = g0;
          for (let l = first; l < legs; l += 4) h += entryF64[l >> 1]! * run[r + entryI32[l + 2]!]!;
          if (h < 0) hi = mid;
          else lo = mid + 1;
        }
        let hit = -1;
        if (k === 1) hit = lo;
        else {
          for (let t = lo; t <= S; ) {
            const b = (t / L) | 0;
            const t1 = Math.min(b * L + L, S + 1);
            let bb = g0;
            for (let l = first; l < legs; l += 4) {
              bb += entryF64[l >> 1]! * blk[b * w + entryI32[l + 2]!]!;
            }
            if (bb >= 0) {
              t = t1;
              continue;
            }
            for (; t < t1; t++) {
              const row = t * n;
              let f = g0;
              for (let l = first; l < legs; l += 4) {
                f += entryF64[l >> 1]! * path[row + entryI32[l + 3]!]!;
              }
              if (f < 0) {
                hit = t;
                break;
              }
            }
            if (hit >= 0) break;
          }
        }
        if (hit < 0) continue;
        const row = hit * n;
        let eq: number;
        let keeper = 0;
        if (k === 1) {
          // One leg: its record is inline, after the leg.
          const c8 = (o + 8) >> 1;
          const mk = entryI32[o + 7]!;
          const mv = path[row + mk]!;
          const gr = 1 + mv;
          eq = entryF64[c8]! + entryF64[c8 + 1]! * mv;
          liqNotional += entryF64[c8 + 2]! * gr;
          keeper = Math.min(entryF64[c8 + 3]! * gr, maxKeeperReward[mk]!);
        } else {
          const r = entryI32[o + 2]!;
          const end = r + 1 + 4 * k;
          eq = liquidation[r]!;
          for (let v = r + 1; v < end; v += 4) {
            const mk = liquidation[v + 3]!;
            const mv = path[row + mk]!;
            const gr = 1 + mv;
            eq += liquidation[v]! * mv;
            liqNotional += liquidation[v + 1]! * gr;
            keeper += Math.min(liquidation[v + 2]! * gr, maxKeeperReward[mk]!);
          }
        }
        if (eq < keeper) bad += keeper - eq;
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
