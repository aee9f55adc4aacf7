/**
 * Liquidation thresholds in closed form: the move of one market (the others fixed) and the size
 * of a correlated shock at which an account becomes liquidatable.
 *
 * Why: the contract liquidates when `MM > 0 && equity < MM`. Equity and MM are both affine in
 * each price (see markExposure.ts), so `equity − MM = gap + slope·r` is a line in the move r
 * and the threshold is one division, `r* = −gap/slope` — no search, no re-pricing. Because the
 * gap is the whole account's (cross margin), a hedged account's threshold in one market
 * includes its other legs' PnL and margin; under a correlated shock, where every market moves
 * by `beta_m·x`, the slopes of long and short legs net against each other.
 *
 * A threshold pair (lower, upper) means: liquidatable exactly for moves `r < lower` or
 * `r > upper`. A line crosses zero once, so at most one side is finite:
 *   long-ish  (slope > 0): lower = r*, upper = +∞ — liquidatable below;
 *   short-ish (slope < 0): lower = −∞, upper = r* — liquidatable above;
 *   never    : lower = −∞, upper = +∞ (MM = 0, or the crossing is outside the price domain);
 *   always   : lower = +∞, upper = −∞ (liquidatable at every admissible move).
 * An account already liquidatable at the mark has `lower > 0` or `upper < 0` (the move that
 * would cure it). Moves are kept where every price stays positive: r > −1, and
 * `1 + beta_m·x > 0` for every market the account holds.
 */
import type { MarkExposure } from "./markExposure.js";
import type { PositionStore } from "./positionStore.js";

/** Liquidatable exactly for moves `r < lower[k] || r > upper[k]`. */
export interface Thresholds {
  lower: Float64Array;
  upper: Float64Array;
}

const INF = Number.POSITIVE_INFINITY;

/**
 * Solves `gap + slope·r < 0` for r in the open interval (lo, hi); writes slot `k`.
 * `canLiquidate` false (MM = 0) means never.
 */
export function solveThreshold(
  out: Thresholds,
  k: number,
  gap: number,
  slope: number,
  canLiquidate: boolean,
  lo: number,
  hi: number,
): void {
  let lower = -INF;
  let upper = INF;
  if (canLiquidate) {
    if (slope > 0) {
      const r = -gap / slope;
      if (r >= hi) {
        lower = INF;
        upper = -INF;
      } else if (r > lo) lower = r;
    } else if (slope < 0) {
      const r = -gap / slope;
      if (r <= lo) {
        lower = INF;
        upper = -INF;
      } else if (r < hi) upper = r;
    } else if (gap < 0) {
      lower = INF;
      upper = -INF;
    }
  }
  out.lower[k] = lower;
  out.upper[k] = upper;
}

/** Whether a move `r` is on the liquidatable side of threshold slot `k`. */
export function isBeyond(t: Thresholds, k: number, r: number): boolean {
  return r < t.lower[k]! || r > t.upper[k]!;
}

/**
 * Per position i: the relative move of its market (all other prices fixed) at which its account
 * becomes liquidatable. Indexed like the store's positions.
 */
export function marketThresholds(store: PositionStore, exposure: MarkExposure): Thresholds {
  const nP = store.positionCount;
  const out: Thresholds = { lower: new Float64Array(nP), upper: new Float64Array(nP) };
  const { gap, canLiquidate, gapSlope } = exposure;
  for (let i = 0; i < nP; i++) {
    const a = store.positionAccount[i]!;
    solveThreshold(out, i, gap[a]!, gapSlope[i]!, canLiquidate[a] === 1, -1, INF);
  }
  return out;
}

/**
 * Per account: the correlated shock x (market m moves by `betas[m]·x`) at which it becomes
 * liquidatable, with the legs netted. Indexed like the store's accounts.
 */
export function shockThresholds(
  store: PositionStore,
  exposure: MarkExposure,
  betas: ArrayLike<number>,
): Thresholds {
  if (betas.length !== store.marketCount) {
    throw new RangeError(`betas: ${betas.length} values for ${store.marketCount} markets`);
  }
  const nA = store.accountCount;
  const out: Thresholds = { lower: new Float64Array(nA), upper: new Float64Array(nA) };
  const { gap, canLiquidate, gapSlope } = exposure;
  for (let a = 0; a < nA; a++) {
    let slope = 0;
    let lo = -INF;
    let hi = INF;
    const end = store.accountStart[a + 1]!;
    for (let i = store.accountStart[a]!; i < end; i++) {
      const b = betas[store.positionMarket[i]!]!;
      slope += gapSlope[i]! * b;
      if (b > 0) lo = Math.max(lo, -1 / b);
      else if (b < 0) hi = Math.min(hi, -1 / b);
    }
    solveThreshold(out, a, gap[a]!, slope, canLiquidate[a] === 1, lo, hi);
  }
  return out;
}

/**
 * Per position: the prices of its market below / above which its account is liquidatable
 * (NaN where there is no such price; `below > mark` or `above < mark`: liquidatable now;
 * `below = +∞`: at any price).
 */
export function thresholdPrices(
  store: PositionStore,
  t: Thresholds,
): { below: Float64Array; above: Float64Array } {
  const nP = store.positionCount;
  const below = new Float64Array(nP);
  const above = new Float64Array(nP);
  for (let i = 0; i < nP; i++) {
    const p = store.price[store.positionMarket[i]!]!;
    const lo = t.lower[i]!;
    const hi = t.upper[i]!;
    below[i] = lo === -INF ? Number.NaN : lo === INF ? INF : p * (1 + lo);
    above[i] = hi === INF ? Number.NaN : hi === -INF ? 0 : p * (1 + hi);
  }
  return { below, above };
}
