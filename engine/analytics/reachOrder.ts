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
 * far enough, not whenever the wildest of twenty did.
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
  /** Per ordered account: `equity − MM` and equity at the marks. */
  readonly gap: Float64Array;
  readonly equity: Float64Array;
  /** CSR: positions of ordered account k are [start[k], start[k + 1]). */
  readonly start: Int32Array;
  /** Per ordered position: market, ∂(equity − MM)/∂R, ∂equity/∂R, |size|·mark,
   *  keeperRewardRatio·|size|·mark, and `2·market + (gapSlope < 0 ? 1 : 0)` — the index of the
   *  move that hurts it in an interleaved (fall, rise) per-market array. */
  readonly market: Int32Array;
  readonly gapSlope: Float64Array;
  readonly equitySlope: Float64Array;
  readonly notional: Float64Array;
  readonly keeperBase: Float64Array;
  readonly adverse: Int32Array;
  /** Per (group g, market m), at `lists[listStart[g·n + m] … listStart[g·n + m + 1])`: the
   *  ordered accounts of group g holding m, in reach order. */
  readonly listStart: Int32Array;
  readonly lists: Int32Array;
}

/**
 * Indices of `keys` (finite, ≥ 0) in ascending order through one native numeric sort: the low
 * mantissa bits of each key carry its index (near-ties within 2^-(52−bits) relative may come
 * out in either order; the caller evens them out).
 */
function orderByKey(keys: Float64Array): Int32Array {
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
  const members: number[][] = [[], [], []];
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
    members[neg ? (pos ? MIXED : RISES) : FALLS]!.push(a);
  }
  const count = members[0]!.length + members[1]!.length + members[2]!.length;
  const account = new Int32Array(count);
  const reach = new Float64Array(count);
  const groupStart = new Int32Array(4);
  let k = 0;
  for (let g = 0; g < 3; g++) {
    groupStart[g] = k;
    const list = members[g]!;
    const keys = Float64Array.from(list, (a) => reachAll[a]!);
    const order = orderByKey(keys);
    const first = k;
    for (let j = 0; j < list.length; j++, k++) {
      account[k] = list[order[j]!]!;
      reach[k] = keys[order[j]!]!;
    }
    // A running minimum from the end makes the group monotone and keeps each value a lower bound.
    for (let j = k - 2; j >= first; j--) if (reach[j]! > reach[j + 1]!) reach[j] = reach[j + 1]!;
  }
  groupStart[3] = k;

  let nP = 0;
  for (let j = 0; j < count; j++) {
    const a = account[j]!;
    nP += accountStart[a + 1]! - accountStart[a]!;
  }
  const gap = new Float64Array(count);
  const equity = new Float64Array(count);
  const start = new Int32Array(count + 1);
  const market = new Int32Array(nP);
  const gs = new Float64Array(nP);
  const es = new Float64Array(nP);
  const notional = new Float64Array(nP);
  const keeperBase = new Float64Array(nP);
  const adverse = new Int32Array(nP);
  let p = 0;
  for (let j = 0; j < count; j++) {
    const a = account[j]!;
    gap[j] = exposure.gap[a]!;
    equity[j] = exposure.health.equity[a]!;
    start[j] = p;
    const end = accountStart[a + 1]!;
    for (let i = accountStart[a]!; i < end; i++, p++) {
      const m = store.positionMarket[i]!;
      const s = gapSlope[i]!;
      market[p] = m;
      gs[p] = s;
      es[p] = exposure.equitySlope[i]!;
      notional[p] = exposure.notional[i]!;
      keeperBase[p] = store.keeperRewardRatio[m]! * exposure.notional[i]!;
      adverse[p] = 2 * m + (s < 0 ? 1 : 0);
    }
  }
  start[count] = p;

  // Per (group, market) lists: counting pass, then fill in order (so each list is by reach).
  const n = store.marketCount;
  const listStart = new Int32Array(3 * n + 1);
  for (let g = 0; g < 3; g++) {
    for (let j = groupStart[g]!; j < groupStart[g + 1]!; j++) {
      for (let q = start[j]!; q < start[j + 1]!; q++) listStart[g * n + market[q]! + 1]!++;
    }
  }
  for (let c = 0; c < 3 * n; c++) listStart[c + 1]! += listStart[c]!;
  const fill = listStart.slice(0, 3 * n);
  const lists = new Int32Array(nP);
  for (let g = 0; g < 3; g++) {
    for (let j = groupStart[g]!; j < groupStart[g + 1]!; j++) {
      for (let q = start[j]!; q < start[j + 1]!; q++) lists[fill[g * n + market[q]!]!++] = j;
    }
  }
  return {
    count,
    groupStart,
    account,
    reach,
    gap,
    equity,
    start,
    market,
    gapSlope: gs,
    equitySlope: es,
    notional,
    keeperBase,
    adverse,
    listStart,
    lists,
  };
}

/** End of the prefix of group `g` whose reach is ≤ `x` (an index into the order). */
export function withinReach(order: ReachOrder, g: number, x: number): number {
  const r = order.reach;
  let lo = order.groupStart[g]!;
  let hi = order.groupStart[g + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** End of the prefix of list `c` (= group·n + market) whose accounts' reach is ≤ `x`. */
export function listWithinReach(order: ReachOrder, c: number, x: number): number {
  const { reach, lists } = order;
  let lo = order.listStart[c]!;
  let hi = order.listStart[c + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (reach[lists[mid]!]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
