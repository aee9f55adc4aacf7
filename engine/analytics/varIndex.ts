/**
 * VarIndex: the book laid out for Monte-Carlo — which accounts a path can liquidate, in the
 * order a path finds them, with what pricing their liquidation needs close by.
 *
 * Why: a one-day VaR walks 10,000 paths over the same 100,000 accounts, so everything that does
 * not depend on the path is decided once, here, and each path touches only accounts its own
 * moves can reach. With moves R, `equity − MM = gap + Σ_i slope_i·R_{m_i}` (markExposure.ts),
 * and the index splits the book three ways:
 *
 *  - liquidatable at the marks already (`MM > 0`, gap < 0): liquidated at step 0 of every path
 *    at the marks — one sum (notional, bad debt, count) for all paths;
 *  - one leg: liquidatable exactly when its market's move passes a threshold,
 *    `σ·R < τ` with σ = +1 for a long-ish leg (slope > 0, τ = −gap/slope) and σ = −1 for a
 *    short-ish one (τ = gap/slope). Per (market, side) the accounts are sorted by τ, nearest
 *    first, so the accounts liquidated by step t are a prefix — those with τ above the running
 *    minimum of σ·R — and a path merges each list against its running extreme: no search per
 *    account, and each account's record (equity, ∂equity/∂R, notional, keeper reward ratio ×
 *    notional) sits in list order beside its threshold;
 *  - several legs: numbered j = 0, 1, … by reach `gap / Σ|slope_i|·scale_{m_i}` (the smallest
 *    scaled move that could liquidate them), and listed per (market, side) of each leg: the
 *    list of (m, falls) holds the accounts with a leg in m that loses when m falls. An account
 *    can be liquidated only if the excursion of one of its legs' markets, on the side that
 *    hurts that leg, reaches its reach; so a path reads, per list, the prefix its own excursion
 *    covers. Entries carry what deciding needs (gap, slopes, which excursion hurts each leg),
 *    in flat columns read front to back, what pricing a liquidation needs beside them.
 *
 * Accounts no move can liquidate (MM = 0, or no exposure and a positive gap) are left out.
 */
import type { MarkExposure } from "./markExposure.js";
import type { PositionStore } from "./positionStore.js";
import { accountReach, orderByKey } from "./reachOrder.js";

const INF = Number.POSITIVE_INFINITY;

export interface VarIndex {
  readonly marketCount: number;

  /** Accounts liquidatable at the marks: how many, their notional and their bad debt there. */
  readonly nowCount: number;
  readonly nowNotional: number;
  readonly nowBadDebt: number;

  /**
   * One-leg accounts: list `c = 2m + side` (side 0: long-ish, 1: short-ish) is entries
   * `oneStart[c] … oneStart[c + 1]`, τ descending. Entry e: threshold `oneTau[e]`, record
   * `oneRec[4e …]`: equity at the marks, ∂equity/∂R, notional at the mark,
   * keeperRewardRatio·notional.
   */
  readonly oneStart: Int32Array;
  readonly oneTau: Float64Array;
  readonly oneRec: Float64Array;

  /** Multi-leg accounts, numbered j = 0 … multiCount − 1 by reach. */
  readonly multiCount: number;
  /**
   * List `c = 2m + side` (side 0: a leg in m hurt by falls, 1: by rises) is entries
   * `listStart[c] … listStart[c + 1]`, reach ascending (so j ascending). Entry e: `entryReach`,
   * `entryGapEquity[2e]` (equity − MM at the marks) and `[2e + 1]` (equity at the marks), the
   * account j (`entryAccount`); its legs are slots `entryLeg[e] … entryLeg[e + 1]`, in the
   * account's own leg order. Slot l: `legAdverse[l]`, the index of the excursion that hurts the
   * leg (`2·market` when falls hurt, `2·market + 1` when rises do; the market is
   * `legAdverse >> 1`), and three numbers at `legData[3l …]`: the gap slope ∂(equity − MM)/∂R,
   * ∂equity/∂R and the notional at the mark. The first decides, the others price a
   * liquidation; side by side, so pricing reads memory the decision has just read.
   */
  readonly listStart: Int32Array;
  readonly entryReach: Float64Array;
  readonly entryGapEquity: Float64Array;
  readonly entryAccount: Int32Array;
  readonly entryLeg: Int32Array;
  readonly legData: Float64Array;
  readonly legAdverse: Int32Array;
}

/** Builds the index of `store` for moves measured in `scale` (one value per market). */
export function varIndex(
  store: PositionStore,
  exposure: MarkExposure,
  scale: ArrayLike<number>,
): VarIndex {
  const n = store.marketCount;
  const nA = store.accountCount;
  const { accountStart, positionMarket, keeperRewardRatio, maxKeeperReward } = store;
  const { gap, canLiquidate, gapSlope, equitySlope, notional } = exposure;
  const equity = exposure.health.equity;
  const reachAll = accountReach(store, exposure, scale);

  // ---- at the marks; one-leg accounts counted per list; multi-leg accounts marked
  let nowCount = 0;
  let nowNotional = 0;
  let nowBadDebt = 0;
  const oneStart = new Int32Array(2 * n + 1);
  /** 1 + list of a one-leg account, −1 for a multi-leg account, 0 for the others. */
  const kind = new Int32Array(nA);
  let multiCount = 0;
  for (let a = 0; a < nA; a++) {
    if (canLiquidate[a] !== 1) continue;
    const p0 = accountStart[a]!;
    const p1 = accountStart[a + 1]!;
    if (gap[a]! < 0) {
      let keeper = 0;
      for (let i = p0; i < p1; i++) {
        const m = positionMarket[i]!;
        nowNotional += notional[i]!;
        keeper += Math.min(keeperRewardRatio[m]! * notional[i]!, maxKeeperReward[m]!);
      }
      if (equity[a]! < keeper) nowBadDebt += keeper - equity[a]!;
      nowCount++;
      continue;
    }
    if (reachAll[a] === INF) continue;
    if (p1 - p0 === 1) {
      const s = gapSlope[p0]!;
      if (s === 0) continue; // a gap ≥ 0 that no move changes
      const c = 2 * positionMarket[p0]! + (s < 0 ? 1 : 0);
      kind[a] = 1 + c;
      oneStart[c + 1]!++;
      continue;
    }
    kind[a] = -1;
    multiCount++;
  }

  // ---- one leg: per list, τ descending
  for (let c = 0; c < 2 * n; c++) oneStart[c + 1]! += oneStart[c]!;
  const nOne = oneStart[2 * n]!;
  const oneAccount = new Int32Array(nOne);
  const fill = oneStart.slice(0, 2 * n);
  for (let a = 0; a < nA; a++) if (kind[a]! > 0) oneAccount[fill[kind[a]! - 1]!++] = a;
  const oneTau = new Float64Array(nOne);
  const oneRec = new Float64Array(4 * nOne);
  for (let c = 0; c < 2 * n; c++) {
    const s0 = oneStart[c]!;
    const len = oneStart[c + 1]! - s0;
    // Sorted by −τ ascending (τ ≤ 0, so −τ is a finite key ≥ 0): nearest first.
    const keys = new Float64Array(len);
    for (let e = 0; e < len; e++) {
      const a = oneAccount[s0 + e]!;
      const s = gapSlope[accountStart[a]!]!;
      keys[e] = s > 0 ? gap[a]! / s : -gap[a]! / s;
    }
    const order = orderByKey(keys);
    for (let e = 0; e < len; e++) {
      const a = oneAccount[s0 + order[e]!]!;
      const i = accountStart[a]!;
      const x = s0 + e;
      // τ from the account itself (the sort key carries index bits in its last places).
      const s = gapSlope[i]!;
      oneTau[x] = s > 0 ? -gap[a]! / s : gap[a]! / s;
      oneRec[4 * x] = equity[a]!;
      oneRec[4 * x + 1] = equitySlope[i]!;
      oneRec[4 * x + 2] = notional[i]!;
      oneRec[4 * x + 3] = keeperRewardRatio[positionMarket[i]!]! * notional[i]!;
    }
    // Those index bits may leave near-ties out of order: make τ non-increasing, moving the
    // record with its threshold (insertion; near-ties are rare and adjacent).
    for (let e = s0 + 1; e < s0 + len; e++) {
      for (let x = e; x > s0 && oneTau[x - 1]! < oneTau[x]!; x--) {
        swap(oneTau, x - 1, x, 1);
        swap(oneRec, x - 1, x, 4);
      }
    }
  }

  // ---- several legs: accounts by reach (j), then listed per (market, side) of each leg
  const account = new Int32Array(multiCount);
  const reach = new Float64Array(multiCount);
  {
    const keys = new Float64Array(multiCount);
    let c = 0;
    for (let a = 0; a < nA; a++) {
      if (kind[a] !== -1) continue;
      account[c] = a;
      keys[c] = reachAll[a]!;
      c++;
    }
    const order = orderByKey(keys);
    const list = account.slice();
    for (let j = 0; j < multiCount; j++) {
      account[j] = list[order[j]!]!;
      reach[j] = keys[order[j]!]!;
    }
    // A running minimum from the end makes the order monotone and keeps each value a lower
    // bound of the account's reach (the key's index bits may have raised it a little).
    for (let j = multiCount - 2; j >= 0; j--)
      if (reach[j]! > reach[j + 1]!) reach[j] = reach[j + 1]!;
  }

  // How many entries and leg slots each list gets.
  const listStart = new Int32Array(2 * n + 1);
  const listSlots = new Int32Array(2 * n + 1);
  for (let j = 0; j < multiCount; j++) {
    const a = account[j]!;
    const p0 = accountStart[a]!;
    const k = accountStart[a + 1]! - p0;
    for (let i = p0; i < p0 + k; i++) {
      const s = gapSlope[i]!;
      if (s === 0) continue; // a leg no move of its market makes worse: in no list
      const c = 2 * positionMarket[i]! + (s < 0 ? 1 : 0);
      listStart[c + 1]!++;
      listSlots[c + 1]! += k;
    }
  }
  for (let c = 0; c < 2 * n; c++) {
    listStart[c + 1]! += listStart[c]!;
    listSlots[c + 1]! += listSlots[c]!;
  }
  const nEntries = listStart[2 * n]!;
  const nSlots = listSlots[2 * n]!;
  const entryReach = new Float64Array(nEntries);
  const entryGapEquity = new Float64Array(2 * nEntries);
  const entryAccount = new Int32Array(nEntries);
  const entryLeg = new Int32Array(nEntries + 1);
  const legData = new Float64Array(3 * nSlots);
  const legAdverse = new Int32Array(nSlots);
  const nextEntry = listStart.slice(0, 2 * n);
  const nextSlot = listSlots.slice(0, 2 * n);
  // Accounts in j order, so each list is filled in reach order.
  for (let j = 0; j < multiCount; j++) {
    const a = account[j]!;
    const p0 = accountStart[a]!;
    const p1 = accountStart[a + 1]!;
    for (let i = p0; i < p1; i++) {
      const s = gapSlope[i]!;
      if (s === 0) continue;
      const c = 2 * positionMarket[i]! + (s < 0 ? 1 : 0);
      const e = nextEntry[c]!++;
      entryReach[e] = reach[j]!;
      entryGapEquity[2 * e] = gap[a]!;
      entryGapEquity[2 * e + 1] = equity[a]!;
      entryAccount[e] = j;
      let slot = nextSlot[c]!;
      entryLeg[e] = slot;
      for (let l = p0; l < p1; l++, slot++) {
        const sl = gapSlope[l]!;
        legData[3 * slot] = sl;
        legData[3 * slot + 1] = equitySlope[l]!;
        legData[3 * slot + 2] = notional[l]!;
        legAdverse[slot] = 2 * positionMarket[l]! + (sl < 0 ? 1 : 0);
      }
      nextSlot[c] = slot;
    }
  }
  entryLeg[nEntries] = nSlots;

  return {
    marketCount: n,
    nowCount,
    nowNotional,
    nowBadDebt,
    oneStart,
    oneTau,
    oneRec,
    multiCount,
    listStart,
    entryReach,
    entryGapEquity,
    entryAccount,
    entryLeg,
    legData,
    legAdverse,
  };
}

function swap(a: Float64Array, x: number, y: number, width: number): void {
  for (let f = 0; f < width; f++) {
    const t = a[x * width + f]!;
    a[x * width + f] = a[y * width + f]!;
    a[y * width + f] = t;
  }
}

/** End of the prefix of multi-leg list `c` whose accounts' reach is ≤ `x`. */
export function entriesWithinReach(index: VarIndex, c: number, x: number): number {
  const r = index.entryReach;
  let lo = index.listStart[c]!;
  let hi = index.listStart[c + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
