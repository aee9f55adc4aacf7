/**
 * PathBatch: Monte-Carlo paths, BATCH (64) at a time, against a VarIndex — which accounts each
 * path liquidates, at which step, and what that costs (notional closed, bad debt).
 *
 * Why: this is the inner loop of the one-day VaR (valueAtRisk.ts), run 10,000 times over
 * 100,000 accounts, so its layout is chosen for the machine (batchLayout.ts). Per path q of a
 * batch it keeps the moves (row t holds every market's move at step t), the extremes of each
 * block of BLOCK steps (`blk`) and the day's extremes (`dayT`, transposed so the batch's paths
 * sit side by side), and, for the path being generated, its running extremes (`run`: lowest /
 * highest move of market m up to step t at [t·2n + 2m] / [t·2n + 2m + 1]). One-leg accounts
 * are merged against the running extremes path by path (oneLeg); the others are searched
 * batch by batch (scanList, legSearch.ts).
 *
 * Each reach list (varIndex.ts) is read once per batch: the batch's paths are sorted by the
 * list's excursion, so the paths an entry is within reach of are a prefix of that order (two
 * bit masks), shrinking as the list's reach grows; two more masks per account remember which
 * paths have looked at it already (in another of its lists). An account is thus decided on a
 * path in the first of its lists that reaches it, and its liquidation added to the path's
 * totals in that list's order: the order of the sums, which a rewrite must keep to give the
 * same numbers to the last bit.
 */
import { BATCH, type BatchArrays, BLOCK, type PathTotals } from "./batchLayout.js";
import { decide2, decide3, decide4, decide6, decideN } from "./legSearch.js";
import type { PositionStore } from "./positionStore.js";
import type { PricePaths } from "./pricePaths.js";
import { entriesWithinReach, type VarIndex } from "./varIndex.js";

export { BATCH, type PathTotals } from "./batchLayout.js";

export class PathBatch implements BatchArrays {
  readonly n: number;
  readonly S: number;
  readonly w: number;
  readonly pStride: number;
  readonly bStride: number;
  readonly moves: Float64Array;
  private readonly views: Float64Array[];
  private readonly run: Float64Array;
  readonly blk: Float64Array;
  readonly dayT: Float64Array;
  /** Per multi-leg account j: the paths that have looked at it, [2j] 0–31, [2j + 1] 32–63. */
  private readonly seen: Int32Array;
  private readonly zs = new Float64Array(BATCH);
  private readonly byZ = new Int32Array(BATCH);
  private readonly prefixLo = new Int32Array(BATCH + 1);
  private readonly prefixHi = new Int32Array(BATCH + 1);
  readonly maxKeeperReward: Float64Array;
  readonly keeperRewardRatio: Float64Array;
  /** Path index of the batch's first path. */
  q0 = 0;

  constructor(
    store: PositionStore,
    readonly ix: VarIndex,
    private readonly gen: PricePaths,
    /** The per-market scale reach is measured in. */
    private readonly scale: Float64Array,
    /** What accounts liquidatable at the marks add to every path (zeros to leave them out). */
    private readonly now: { badDebt: number; notional: number; accounts: number },
    readonly out: PathTotals,
  ) {
    const n = store.marketCount;
    const S = gen.steps;
    this.n = n;
    this.S = S;
    this.w = 2 * n;
    this.pStride = (S + 1) * n;
    this.bStride = Math.ceil(S / BLOCK) * this.w;
    this.moves = new Float64Array(BATCH * this.pStride);
    this.views = Array.from({ length: BATCH }, (_, q) =>
      this.moves.subarray(q * this.pStride, (q + 1) * this.pStride),
    );
    this.run = new Float64Array((S + 1) * this.w);
    this.blk = new Float64Array(BATCH * this.bStride);
    this.dayT = new Float64Array(this.w * BATCH);
    this.seen = new Int32Array(2 * ix.multiCount);
    this.maxKeeperReward = store.maxKeeperReward;
    this.keeperRewardRatio = store.keeperRewardRatio;
  }

  /** Paths q0 … q0 + nq − 1 (nq ≤ BATCH): generated, and their totals written to `out`. */
  evaluate(q0: number, nq: number): void {
    this.q0 = q0;
    for (let q = 0; q < nq; q++) {
      this.gen.next(this.views[q]!);
      this.extremes(q);
      this.oneLeg(q);
    }
    this.seen.fill(0);
    for (let c = 0; c < this.w; c++) this.scanList(c, nq);
  }

  /** Running extremes of path q (into `run`), its block extremes and its day's extremes. */
  private extremes(q: number): void {
    const { n, S, w, moves, run, blk, dayT } = this;
    const pb = q * this.pStride;
    const bb = q * this.bStride;
    for (let x = 0; x < w; x++) run[x] = 0;
    for (let t = 1; t <= S; t++) {
      const row = pb + t * n;
      const r = t * w;
      for (let m = 0; m < n; m++) {
        const v = moves[row + m]!;
        run[r + 2 * m] = Math.min(run[r - w + 2 * m]!, v);
        run[r + 2 * m + 1] = Math.max(run[r - w + 2 * m + 1]!, v);
      }
    }
    for (let b = 0, t0 = 1; t0 <= S; b++, t0 += BLOCK) {
      const t1 = Math.min(t0 + BLOCK, S + 1);
      for (let m = 0; m < n; m++) {
        let lo = moves[pb + t0 * n + m]!;
        let hi = lo;
        for (let t = t0 + 1; t < t1; t++) {
          const v = moves[pb + t * n + m]!;
          if (v < lo) lo = v;
          else if (v > hi) hi = v;
        }
        blk[bb + b * w + 2 * m] = lo;
        blk[bb + b * w + 2 * m + 1] = hi;
      }
    }
    const day = S * w;
    for (let x = 0; x < w; x++) dayT[x * BATCH + q] = run[day + x]!;
  }

  /**
   * One-leg accounts on path q (whose running extremes are in `run`), plus the accounts
   * liquidatable at the marks: list c = 2m + side; σ·R below τ liquidates, σ = +1 (side 0) or
   * −1 (side 1). The running minimum of σ·R is −run max for side 1; the entries liquidated by
   * each step are a prefix of the list, priced at that step's move.
   */
  private oneLeg(q: number): void {
    const { n, S, w, moves, run, maxKeeperReward } = this;
    const { oneStart, oneTau, oneRec } = this.ix;
    const pb = q * this.pStride;
    const day = S * w;
    let bad = this.now.badDebt;
    let liqNotional = this.now.notional;
    let liqCount = this.now.accounts;
    for (let c = 0; c < w; c++) {
      let e = oneStart[c]!;
      const end = oneStart[c + 1]!;
      if (e === end) continue;
      const m = c >> 1;
      const side = c & 1;
      const xDay = side === 0 ? run[day + c]! : -run[day + c]!;
      if (!(oneTau[e]! > xDay)) continue;
      const cap = maxKeeperReward[m]!;
      for (let t = 1; t <= S && e < end; t++) {
        const x = side === 0 ? run[t * w + c]! : -run[t * w + c]!;
        if (!(oneTau[e]! > x)) continue;
        const mv = moves[pb + t * n + m]!;
        const gr = 1 + mv;
        const e0 = e;
        do {
          const r = 4 * e;
          const eq = oneRec[r]! + oneRec[r + 1]! * mv;
          liqNotional += oneRec[r + 2]! * gr;
          const keeper = Math.min(oneRec[r + 3]! * gr, cap);
          if (eq < keeper) bad += keeper - eq;
          e++;
        } while (e < end && oneTau[e]! > x);
        liqCount += e - e0;
      }
    }
    const p = this.q0 + q;
    this.out.badDebt[p] = bad;
    this.out.notional[p] = liqNotional;
    this.out.accounts[p] = liqCount;
  }

  /**
   * Multi-leg list c = 2m + side (a leg in m hurt by falls, side 0, or rises, 1) against the
   * batch: z is that excursion of m over the day, in scale units, per path.
   */
  private scanList(c: number, nq: number): void {
    const { ix, dayT, zs, byZ, prefixLo, prefixHi, seen } = this;
    const { listStart, entryReach, entryAccount, entryLeg } = ix;
    if (listStart[c] === listStart[c + 1]) return;
    const sc = this.scale[c >> 1]!;
    for (let q = 0; q < nq; q++) {
      const d = dayT[c * BATCH + q]!;
      const z = (c & 1) === 0 ? -d / sc : d / sc;
      let x = q;
      for (; x > 0 && zs[x - 1]! < z; x--) {
        zs[x] = zs[x - 1]!;
        byZ[x] = byZ[x - 1]!;
      }
      zs[x] = z;
      byZ[x] = q;
    }
    for (let x = 0; x < nq; x++) {
      const q = byZ[x]!;
      prefixLo[x + 1] = prefixLo[x]! | (q < 32 ? 1 << q : 0);
      prefixHi[x + 1] = prefixHi[x]! | (q < 32 ? 0 : 1 << (q - 32));
    }
    const end = entriesWithinReach(ix, c, zs[0]!);
    let within = nq;
    for (let e = listStart[c]!; e < end; e++) {
      const reach = entryReach[e]!;
      while (zs[within - 1]! < reach) within--;
      const j = entryAccount[e]!;
      const lo = prefixLo[within]! & ~seen[2 * j]!;
      const hi = prefixHi[within]! & ~seen[2 * j + 1]!;
      if ((lo | hi) === 0) continue;
      seen[2 * j]! |= lo;
      seen[2 * j + 1]! |= hi;
      const l0 = entryLeg[e]!;
      const k = entryLeg[e + 1]! - l0;
      if (k === 2) decide2(this, e, l0, lo, hi);
      else if (k === 3) decide3(this, e, l0, lo, hi);
      else if (k === 4) decide4(this, e, l0, lo, hi);
      else if (k <= 6) decide6(this, e, l0, k, lo, hi);
      else decideN(this, e, l0, k, lo, hi);
    }
  }
}
