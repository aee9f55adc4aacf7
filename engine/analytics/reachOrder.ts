/**
 * Reach: how far (in scaled price moves) the market must move before an account can become
 * liquidatable — per account, and as an order that puts the nearest accounts first.
 *
 * Why: a cascade round or a Monte-Carlo path moves every market at once, so single-market
 * thresholds do not apply and accounts must be re-evaluated — but most are far from
 * liquidation. With moves R, `equity − MM = gap + Σ_i gapSlope_i·R_{m_i}` ≥
 * `gap − Σ_i |gapSlope_i|·s_{m_i}·max_m(|R_m|/s_m)` for any positive per-market scale s, so an
 * account whose reach `gap / Σ_i |gapSlope_i|·s_{m_i}` exceeds the current `max_m |R_m|/s_m`
 * cannot be liquidatable and is skipped. Scale 1 for cascades; daily volatility for
 * Monte-Carlo, so that a volatile market's move does not drag in accounts that only hold calm
 * ones.
 *
 * `reachOrder` goes further for Monte-Carlo, where the same book meets thousands of paths:
 * accounts are split by which way hurts them — every leg loses when prices fall, every leg
 * loses when they rise, or mixed — and sorted by reach within each group, with their
 * coefficients copied into that order. Since `max_m |R_m|/s_m` only needs to run over the
 * markets an account holds, each (group, market) also lists its accounts in reach order: a path
 * looks up, per market, the accounts whose reach its own excursion in that market covers —
 * one binary search each — so an account is looked at only when one of its own markets moved
 * far enough, not whenever the wildest of twenty did. (The VaR now uses varIndex.ts, which
 * refines this layout — lists per market and side of each leg, one-leg accounts by threshold —
 * on the same `accountReach` and `orderByKey`; `reachOrder` stays for callers of the API.)
 */
import type { MarkExposure } from "./markExposure.js";
import type { PositionStore } from "./positionStore.js";

const INF = Number.POSITIVE_INFINITY;

/**
 * Per account (store order): the reach, 0 when liquidatable now, +∞ when no move can make it
 * liquidatable (MM = 0, or no price exposure and a positive gap).
 */
export function accountReach(
  store: PositionStore,
  exposure: MarkExposure,
  scale?: ArrayLike<number>,
): Float64Array {
  const nA = store.accountCount;
  const { gap, canLiquidate, gapSlope } = exposure;
  const { accountStart, positionMarket } = store;
  const out = new Float64Array(nA);
  for (let a = 0; a < nA; a++) {
    if (canLiquidate[a] !== 1) {
      out[a] = INF;
      continue;
    }
    let denom = 0;
    const end = accountStart[a + 1]!;
    for (let i = accountStart[a]!; i < end; i++) {
      const s = gapSlope[i]!;
      denom += (s < 0 ? -s : s) * (scale === undefined ? 1 : scale[positionMarket[i]!]!);
    }
    const g = gap[a]!;
    out[a] = g <= 0 ? 0 : denom > 0 ? g / denom : INF;
  }
  return out;
}

/** Which way hurts an account: falls (all gap slopes ≥ 0), rises (all ≤ 0), or both. */
export const FALLS = 0;
export const RISES = 1;
export const MIXED = 2;

export interface ReachOrder {
  /** Accounts in the order (those with finite reach). */
  readonly count: number;
  /** Ordered accounts of group g are [groupStart[g], groupStart[g + 1]) — FALLS, RISES, MIXED. */
  readonly groupStart: Int32Array;
  /** Store account index of each ordered account. */
  readonly account: Int32Array;
  /** Reach, ascending within each group (a lower bound of the exact reach, never above it). */
  readonly reach: Float64Array;
  /**
   * Per ordered account j, 32 bytes in one buffer, read through two views: `accountF64[4j]` is
   * `equity − MM` at the marks, `accountF64[4j + 1]` the equity; its positions are
   * `accountI32[8j + 4] … accountI32[8j + 5]`, its liquidation record starts at
   * `accountI32[8j + 6]`. (Interleaved so that looking at an account costs one cache line,
   * not one per array.)
   */
  readonly accountF64: Float64Array;
  readonly accountI32: Int32Array;
  /**
   * Per ordered position p, 16 bytes: `positionF64[2p]` is ∂(equity − MM)/∂R,
   * `positionI32[4p + 2]` the index of the move that hurts it in an interleaved (fall, rise)
   * per-market array (`2·market + (slope < 0 ? 1 : 0)`), `positionI32[4p + 3]` its market.
   */
  readonly positionF64: Float64Array;
  readonly positionI32: Int32Array;
  /**
   * Per ordered account j, what pricing its liquidation needs, in one record starting at
   * `r = accountI32[8j + 6]`: `liquidation[r]` = equity at the marks, then per leg l at
   * `r + 1 + 4l`: ∂equity/∂R, |size|·mark, keeperRewardRatio·|size|·mark, market.
   */
  readonly liquidation: Float64Array;
  /**
   * Per (group g, market m), list c = g·n + m holds entries `listStart[c] … listStart[c + 1]`:
   * the ordered accounts of group g holding m, in reach order, each with what deciding whether
   * it can be liquidated needs written inline (16 bytes a leg), so a list is read front to
   * back. Entry e has reach `entryReach[e]` and starts at word `o = entryOffset[e]` of one
   * buffer (views `entryF64`, `entryI32`): `entryF64[o/2]` gap, `entryI32[o + 2]` the start
   * of the account's `liquidation` record, `entryI32[o + 3]` legs k; leg l at `w = o + 4 + 4l`:
   * `entryF64[w/2]` gap slope, `entryI32[w + 2]` adverse index, `entryI32[w + 3]` market.
   * (The liquidation record is read only for accounts that are liquidated: few of those looked
   * at. A one-leg account is in one list only, so its record is copied inline after its leg,
   * at `entryF64[(o + 8)/2 …]`: equity, ∂equity/∂R, |size|·mark, keeperRewardRatio·|size|·mark.)
   */
  readonly listStart: Int32Array;
  readonly entryReach: Float64Array;
  readonly entryOffset: Int32Array;
  readonly entryF64: Float64Array;
  readonly entryI32: Int32Array;
}

/**
 * Indices of `keys` (finite, ≥ 0) in ascending order through one native numeric sort: the low
 * mantissa bits of each key carry its index (near-ties within 2^-(52−bits) relative may come
 * out in either order; the caller evens them out).
 */
export function orderByKey(keys: Float64Array): Int32Array {
  const n = keys.length;
  let bits = 1;
  while (1 << bits < n) bits++;
  const mask = (1 << bits) - 1;
  const packed = Float64Array.from(keys);
  const words = new Uint32Array(packed.buffer);
  for (let i = 0; i < n; i++) words[2 * i] = (words[2 * i]! & ~mask) | i; // little-endian low word
  packed.sort();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = words[2 * i]! & mask;
  return out;
}

export function reachOrder(
  store: PositionStore,
  exposure: MarkExposure,
  scale?: ArrayLike<number>,
): ReachOrder {
  const nA = store.accountCount;
  const reachAll = accountReach(store, exposure, scale);
  const { gapSlope } = exposure;
  const { accountStart } = store;
  // Group, then sort each group by reach.
  const groupOf = new Int8Array(nA).fill(-1);
  const size = [0, 0, 0];
  for (let a = 0; a < nA; a++) {
    if (reachAll[a] === INF) continue;
    let pos = false;
    let neg = false;
    const end = accountStart[a + 1]!;
    for (let i = accountStart[a]!; i < end; i++) {
      const s = gapSlope[i]!;
      if (s > 0) pos = true;
      else if (s < 0) neg = true;
    }
    const g = neg ? (pos ? MIXED : RISES) : FALLS;
    groupOf[a] = g;
    size[g]!++;
  }
  const count = size[0]! + size[1]! + size[2]!;
  const account = new Int32Array(count);
  const reach = new Float64Array(count);
  const groupStart = Int32Array.of(0, size[0]!, size[0]! + size[1]!, count);
  let k = 0;
  for (let g = 0; g < 3; g++) {
    const list = new Int32Array(size[g]!);
    const keys = new Float64Array(size[g]!);
    let c = 0;
    for (let a = 0; a < nA; a++) {
      if (groupOf[a] !== g) continue;
      list[c] = a;
      keys[c] = reachAll[a]!;
      c++;
    }
    const order = orderByKey(keys);
    const first = k;
    for (let j = 0; j < c; j++, k++) {
      account[k] = list[order[j]!]!;
      reach[k] = keys[order[j]!]!;
    }
    // A running minimum from the end makes the group monotone and keeps each value a lower bound.
    for (let j = k - 2; j >= first; j--) if (reach[j]! > reach[j + 1]!) reach[j] = reach[j + 1]!;
  }

  let nP = 0;
  for (let j = 0; j < count; j++) {
    const a = account[j]!;
    nP += accountStart[a + 1]! - accountStart[a]!;
  }
  const accountBuf = new ArrayBuffer(32 * count);
  const accountF64 = new Float64Array(accountBuf);
  const accountI32 = new Int32Array(accountBuf);
  const positionBuf = new ArrayBuffer(16 * nP);
  const positionF64 = new Float64Array(positionBuf);
  const positionI32 = new Int32Array(positionBuf);
  const liquidation = new Float64Array(count + 4 * nP);
  let rec = 0;
  let p = 0;
  for (let j = 0; j < count; j++) {
    const a = account[j]!;
    accountF64[4 * j] = exposure.gap[a]!;
    accountF64[4 * j + 1] = exposure.health.equity[a]!;
    accountI32[8 * j + 4] = p;
    accountI32[8 * j + 6] = rec;
    liquidation[rec++] = exposure.health.equity[a]!;
    const end = accountStart[a + 1]!;
    for (let i = accountStart[a]!; i < end; i++, p++) {
      const m = store.positionMarket[i]!;
      const s = gapSlope[i]!;
      positionF64[2 * p] = s;
      positionI32[4 * p + 2] = 2 * m + (s < 0 ? 1 : 0);
      positionI32[4 * p + 3] = m;
      liquidation[rec++] = exposure.equitySlope[i]!;
      liquidation[rec++] = exposure.notional[i]!;
      liquidation[rec++] = store.keeperRewardRatio[m]! * exposure.notional[i]!;
      liquidation[rec++] = m;
    }
    accountI32[8 * j + 5] = p;
  }

  // Per (group, market) lists: counting pass, then fill in order (so each list is by reach).
  const n = store.marketCount;
  const listStart = new Int32Array(3 * n + 1);
  let words = 0;
  for (let g = 0; g < 3; g++) {
    for (let j = groupStart[g]!; j < groupStart[g + 1]!; j++) {
      const q0 = accountI32[8 * j + 4]!;
      const q1 = accountI32[8 * j + 5]!;
      for (let q = q0; q < q1; q++) listStart[g * n + positionI32[4 * q + 3]! + 1]!++;
      words += q1 - q0 === 1 ? 16 : (q1 - q0) * (4 + 4 * (q1 - q0));
    }
  }
  for (let c = 0; c < 3 * n; c++) listStart[c + 1]! += listStart[c]!;
  const fill = listStart.slice(0, 3 * n);
  const entryAccount = new Int32Array(nP);
  for (let g = 0; g < 3; g++) {
    for (let j = groupStart[g]!; j < groupStart[g + 1]!; j++) {
      for (let q = accountI32[8 * j + 4]!; q < accountI32[8 * j + 5]!; q++) {
        entryAccount[fill[g * n + positionI32[4 * q + 3]!]!++] = j;
      }
    }
  }
  // Entries are written in list order, so that reading a list reads memory front to back.
  const entryReach = new Float64Array(nP);
  const entryOffset = new Int32Array(nP);
  const entryBuf = new ArrayBuffer(4 * words);
  const entryF64 = new Float64Array(entryBuf);
  const entryI32 = new Int32Array(entryBuf);
  let o = 0;
  for (let e = 0; e < nP; e++) {
    const j = entryAccount[e]!;
    const q0 = accountI32[8 * j + 4]!;
    const q1 = accountI32[8 * j + 5]!;
    entryReach[e] = reach[j]!;
    entryOffset[e] = o;
    entryF64[o >> 1] = accountF64[4 * j]!;
    entryI32[o + 2] = accountI32[8 * j + 6]!;
    entryI32[o + 3] = q1 - q0;
    o += 4;
    for (let r = q0; r < q1; r++, o += 4) {
      entryF64[o >> 1] = positionF64[2 * r]!;
      entryI32[o + 2] = positionI32[4 * r + 2]!;
      entryI32[o + 3] = positionI32[4 * r + 3]!;
    }
    if (q1 - q0 === 1) {
      const rec = accountI32[8 * j + 6]!;
      for (let f = 0; f < 4; f++, o += 2) entryF64[o >> 1] = liquidation[rec + f]!;
    }
  }
  return {
    count,
    groupStart,
    account,
    reach,
    accountF64,
    accountI32,
    positionF64,
    positionI32,
    liquidation,
    listStart,
    entryReach,
    entryOffset,
    entryF64,
    entryI32,
  };
}

/** End of the prefix of list `c` (= group·n + market) whose accounts' reach is ≤ `x`. */
export function listWithinReach(order: ReachOrder, c: number, x: number): number {
  const r = order.entryReach;
  let lo = order.listStart[c]!;
  let hi = order.listStart[c + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
