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
 * Speed: what does not depend on the path is laid out once (varIndex.ts); paths are generated
 * and evaluated 64 at a time (pathBatch.ts, legSearch.ts). Accounts liquidatable at the marks
 * are one sum for every path. One-leg accounts are sorted by their threshold per market and
 * side, so a path merges each list against its market's running extreme: the accounts
 * liquidated by step t are a prefix. Accounts with several legs are looked at only when one of
 * their legs' markets moved far enough, on the side that hurts that leg, to cover their reach;
 * of those, an account whose gap survives every leg's worst excursion of the day is safe, and
 * for the others blocks of steps whose own extremes they survive are skipped and the rest
 * walked. All of it is exact: the filters only skip accounts that cannot be liquidated
 * (valueAtRisk.test.ts checks the result against walking every account at every step), and
 * the sums are taken in a fixed order, so a speed change leaves every number as it was, to the
 * last bit (valueAtRisk.pinned.test.ts).
 */
import { type MarkExposure, markExposure } from "./markExposure.js";
import { defaultMarketModel, type MarketModel } from "./marketModel.js";
import { BATCH, PathBatch } from "./pathBatch.js";
import type { PositionStore } from "./positionStore.js";
import { type PathOptions, PricePaths } from "./pricePaths.js";
import { varIndex } from "./varIndex.js";

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
  const S = gen.steps;
  const scale = Float64Array.from(model.markets, (p) =>
    Math.max(p.dailyVol * Math.sqrt(gen.horizonDays), 1e-9),
  );
  const ix = varIndex(store, exposure, scale);
  const skipNow = options.includeAlreadyLiquidatable === false;
  const pathBadDebt = new Float64Array(nPaths);
  const pathNotional = new Float64Array(nPaths);
  const pathAccounts = new Int32Array(nPaths);
  // Accounts liquidatable at the mark are liquidated at step 0 of every path, at the marks:
  // the same numbers each time, counted once (or not at all).
  const now = skipNow
    ? { badDebt: 0, notional: 0, accounts: 0 }
    : { badDebt: ix.nowBadDebt, notional: ix.nowNotional, accounts: ix.nowCount };
  const batch = new PathBatch(store, ix, gen, scale, now, {
    badDebt: pathBadDebt,
    notional: pathNotional,
    accounts: pathAccounts,
  });
  for (let q0 = 0; q0 < nPaths; q0 += BATCH) batch.evaluate(q0, Math.min(BATCH, nPaths - q0));

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
