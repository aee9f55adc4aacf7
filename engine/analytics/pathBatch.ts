/**
 * PathBatch: Monte-Carlo paths, 32 at a time, against a VarIndex — which accounts each path
 * liquidates, at which step, and what that costs (notional closed, bad debt).
 *
 * Why: this is the inner loop of the one-day VaR (valueAtRisk.ts), run 10,000 times over
 * 100,000 accounts, so its layout is chosen for the machine. Per path q of a batch it keeps
 * the moves (row t holds every market's move at step t), the running extremes of the current
 * path (`run`: lowest / highest move of market m up to step t at [t·2n + 2m] / [t·2n + 2m + 1]),
 * the extremes of each block of BLOCK steps (`blk`) and the day's extremes (`dayT`, transposed
 * so the batch's paths sit side by side). For a leg hurt by falls (rises) its move is never
 * below (above) an extreme of the steps it is taken over, so
 *
 *   gap + Σ_legs slope·(extreme on the side that hurts the leg)
 *
 * is a lower bound of `equity − MM` at every one of those steps: over the day it decides
 * whether an account can be liquidated on that path at all, over a block whether the block can
 * be skipped; the steps of the other blocks are walked exactly.
 *
 * Each reach list (varIndex.ts) is read once per batch: the batch's paths are sorted by the
 * list's excursion, so the paths an entry is within reach of are a prefix of that order
 * (a bit mask), shrinking as the list's reach grows; a second mask per account remembers which
 * paths have looked at it already (in another of its lists). The hot code is split into small
 * functions, one per leg count, with the legs in locals and the search written out: V8
 * compiles each in milliseconds (one large function took it a second) and keeps the slopes in
 * registers.
 */
import type { PositionStore } from "./positionStore.js";
import type { PricePaths } from "./pricePaths.js";
import { entriesWithinReach, type VarIndex } from "./varIndex.js";

/** Paths per batch: one bit each in a 32-bit mask. */
export const BATCH = 32;
/** Steps per block: a block's own extremes let the search for a first crossing skip it. */
const BLOCK = 6;

/** Per-path totals: bad debt, liquidated notional, liquidated accounts. */
export interface PathTotals {
  badDebt: Float64Array;
  notional: Float64Array;
  accounts: Int32Array;
}

export class PathBatch {
  private readonly n: number;
  private readonly S: number;
  private readonly w: number;
  private readonly pStride: number;
  private readonly bStride: number;
  private readonly moves: Float64Array;
  private readonly views: Float64Array[];
  private readonly run: Float64Array;
  private readonly blk: Float64Array;
  private readonly dayT: Float64Array;
  private readonly seen: Int32Array;
  private readonly zs = new Float64Array(BATCH);
  private readonly byZ = new Int32Array(BATCH);
  private readonly prefixMask = new Int32Array(BATCH + 1);
  private readonly maxKeeperReward: Float64Array;
  private readonly keeperRewardRatio: Float64Array;
  /** Path index of the batch's first path. */
  private q0 = 0;

  constructor(
    store: PositionStore,
    private readonly ix: VarIndex,
    private readonly gen: PricePaths,
    /** The per-market scale reach is measured in. */
    private readonly scale: Float64Array,
    /** What accounts liquidatable at the marks add to every path (zeros to leave them out). */
    private readonly now: { badDebt: number; notional: number; accounts: number },
    private readonly out: PathTotals,
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
    this.seen = new Int32Array(ix.multiCount);
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
    const { ix, dayT, zs, byZ, prefixMask, seen } = this;
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
    for (let x = 0; x < nq; x++) prefixMask[x + 1] = prefixMask[x]! | (1 << byZ[x]!);
    const end = entriesWithinReach(ix, c, zs[0]!);
    let within = nq;
    for (let e = listStart[c]!; e < end; e++) {
      const reach = entryReach[e]!;
      while (zs[within - 1]! < reach) within--;
      const j = entryAccount[e]!;
      const mask = prefixMask[within]! & ~seen[j]!;
      if (mask === 0) continue;
      seen[j]! |= mask;
      // The legs go into locals, for two, three and four legs each their own function; five
      // and six legs into scratch arrays (unused ones with slope 0: adding 0·x changes no sum);
      // more legs are read from the index.
      const l0 = entryLeg[e]!;
      const k = entryLeg[e + 1]! - l0;
      if (k === 2) this.entry2(e, l0, mask);
      else if (k === 3) this.entry3(e, l0, mask);
      else if (k === 4) this.entry4(e, l0, mask);
      else if (k <= 6) this.entry6(e, l0, k, mask);
      else this.entryN(e, l0, k, mask);
    }
  }

  // Per entry and leg count: for each path of the mask, h(S) — the day's worst case for each
  // leg separately, which if it leaves a gap makes the account safe on that path — and else
  // the first step it is liquidatable at, if any: blocks whose own extremes it survives are
  // skipped, the steps of the others walked. The search is written out in each (not a call):
  // the slopes stay unboxed in registers.

  private entry2(e: number, l0: number, mask: number): void {
    const { ix, dayT, blk, moves, pStride, bStride, n, S, w } = this;
    const L = BLOCK;
    const g0 = ix.entryGapEquity[2 * e]!;
    const s0 = ix.legData[3 * l0]!;
    const a0 = ix.legAdverse[l0]!;
    const s1 = ix.legData[3 * l0 + 3]!;
    const a1 = ix.legAdverse[l0 + 1]!;
    const [m0, m1] = [a0 >> 1, a1 >> 1];
    const [d0, d1] = [a0 * BATCH, a1 * BATCH];
    do {
      const bit = mask & -mask;
      mask ^= bit;
      const q = 31 - Math.clz32(bit);
      if (g0 + s0 * dayT[d0 + q]! + s1 * dayT[d1 + q]! >= 0) continue;
      const pb = q * pStride;
      let hit = -1;
      for (let t0 = 1, r = q * bStride; hit < 0 && t0 <= S; t0 += L, r += w) {
        if (g0 + s0 * blk[r + a0]! + s1 * blk[r + a1]! >= 0) continue;
        const t1 = Math.min(t0 + L, S + 1);
        for (let t = t0, row = pb + t0 * n; t < t1; t++, row += n) {
          if (g0 + s0 * moves[row + m0]! + s1 * moves[row + m1]! < 0) {
            hit = t;
            break;
          }
        }
      }
      if (hit >= 0) this.liquidate(e, l0, 2, q, pb + hit * n);
    } while (mask !== 0);
  }

  private entry3(e: number, l0: number, mask: number): void {
    const { ix, dayT, blk, moves, pStride, bStride, n, S, w } = this;
    const L = BLOCK;
    const g0 = ix.entryGapEquity[2 * e]!;
    const s0 = ix.legData[3 * l0]!;
    const a0 = ix.legAdverse[l0]!;
    const s1 = ix.legData[3 * l0 + 3]!;
    const a1 = ix.legAdverse[l0 + 1]!;
    const s2 = ix.legData[3 * l0 + 6]!;
    const a2 = ix.legAdverse[l0 + 2]!;
    const [m0, m1, m2] = [a0 >> 1, a1 >> 1, a2 >> 1];
    const [d0, d1, d2] = [a0 * BATCH, a1 * BATCH, a2 * BATCH];
    do {
      const bit = mask & -mask;
      mask ^= bit;
      const q = 31 - Math.clz32(bit);
      if (g0 + s0 * dayT[d0 + q]! + s1 * dayT[d1 + q]! + s2 * dayT[d2 + q]! >= 0) continue;
      const pb = q * pStride;
      let hit = -1;
      for (let t0 = 1, r = q * bStride; hit < 0 && t0 <= S; t0 += L, r += w) {
        if (g0 + s0 * blk[r + a0]! + s1 * blk[r + a1]! + s2 * blk[r + a2]! >= 0) continue;
        const t1 = Math.min(t0 + L, S + 1);
        for (let t = t0, row = pb + t0 * n; t < t1; t++, row += n) {
          if (g0 + s0 * moves[row + m0]! + s1 * moves[row + m1]! + s2 * moves[row + m2]! < 0) {
            hit = t;
            break;
          }
        }
      }
      if (hit >= 0) this.liquidate(e, l0, 3, q, pb + hit * n);
    } while (mask !== 0);
  }

  private entry4(e: number, l0: number, mask: number): void {
    const { ix, dayT, blk, moves, pStride, bStride, n, S, w } = this;
    const L = BLOCK;
    const g0 = ix.entryGapEquity[2 * e]!;
    const s0 = ix.legData[3 * l0]!;
    const a0 = ix.legAdverse[l0]!;
    const s1 = ix.legData[3 * l0 + 3]!;
    const a1 = ix.legAdverse[l0 + 1]!;
    const s2 = ix.legData[3 * l0 + 6]!;
    const a2 = ix.legAdverse[l0 + 2]!;
    const s3 = ix.legData[3 * l0 + 9]!;
    const a3 = ix.legAdverse[l0 + 3]!;
    const [m0, m1, m2, m3] = [a0 >> 1, a1 >> 1, a2 >> 1, a3 >> 1];
    const [d0, d1, d2, d3] = [a0 * BATCH, a1 * BATCH, a2 * BATCH, a3 * BATCH];
    do {
      const bit = mask & -mask;
      mask ^= bit;
      const q = 31 - Math.clz32(bit);
      const h =
        g0 + s0 * dayT[d0 + q]! + s1 * dayT[d1 + q]! + s2 * dayT[d2 + q]! + s3 * dayT[d3 + q]!;
      if (h >= 0) continue;
      const pb = q * pStride;
      let hit = -1;
      for (let t0 = 1, r = q * bStride; hit < 0 && t0 <= S; t0 += L, r += w) {
        const bound =
          g0 + s0 * blk[r + a0]! + s1 * blk[r + a1]! + s2 * blk[r + a2]! + s3 * blk[r + a3]!;
        if (bound >= 0) continue;
        const t1 = Math.min(t0 + L, S + 1);
        for (let t = t0, row = pb + t0 * n; t < t1; t++, row += n) {
          const f =
            g0 +
            s0 * moves[row + m0]! +
            s1 * moves[row + m1]! +
            s2 * moves[row + m2]! +
            s3 * moves[row + m3]!;
          if (f < 0) {
            hit = t;
            break;
          }
        }
      }
      if (hit >= 0) this.liquidate(e, l0, 4, q, pb + hit * n);
    } while (mask !== 0);
  }

  /** Five or six legs, unused ones with slope 0 (adding 0·x changes no sum). */
  private entry6(e: number, l0: number, k: number, mask: number): void {
    const { ix, dayT, blk, moves, pStride, bStride, n, S, w } = this;
    const { legData, legAdverse } = ix;
    const L = BLOCK;
    const g0 = ix.entryGapEquity[2 * e]!;
    const s0 = legData[3 * l0]!;
    const a0 = legAdverse[l0]!;
    const s1 = legData[3 * l0 + 3]!;
    const a1 = legAdverse[l0 + 1]!;
    const s2 = legData[3 * l0 + 6]!;
    const a2 = legAdverse[l0 + 2]!;
    const s3 = legData[3 * l0 + 9]!;
    const a3 = legAdverse[l0 + 3]!;
    const s4 = legData[3 * l0 + 12]!;
    const a4 = legAdverse[l0 + 4]!;
    const s5 = k > 5 ? legData[3 * l0 + 15]! : 0;
    const a5 = k > 5 ? legAdverse[l0 + 5]! : 0;
    const [m0, m1, m2, m3, m4, m5] = [a0 >> 1, a1 >> 1, a2 >> 1, a3 >> 1, a4 >> 1, a5 >> 1];
    const [d0, d1, d2] = [a0 * BATCH, a1 * BATCH, a2 * BATCH];
    const [d3, d4, d5] = [a3 * BATCH, a4 * BATCH, a5 * BATCH];
    do {
      const bit = mask & -mask;
      mask ^= bit;
      const q = 31 - Math.clz32(bit);
      const h =
        g0 +
        s0 * dayT[d0 + q]! +
        s1 * dayT[d1 + q]! +
        s2 * dayT[d2 + q]! +
        s3 * dayT[d3 + q]! +
        s4 * dayT[d4 + q]! +
        s5 * dayT[d5 + q]!;
      if (h >= 0) continue;
      const pb = q * pStride;
      let hit = -1;
      for (let t0 = 1, r = q * bStride; hit < 0 && t0 <= S; t0 += L, r += w) {
        const bound =
          g0 +
          s0 * blk[r + a0]! +
          s1 * blk[r + a1]! +
          s2 * blk[r + a2]! +
          s3 * blk[r + a3]! +
          s4 * blk[r + a4]! +
          s5 * blk[r + a5]!;
        if (bound >= 0) continue;
        const t1 = Math.min(t0 + L, S + 1);
        for (let t = t0, row = pb + t0 * n; t < t1; t++, row += n) {
          const f =
            g0 +
            s0 * moves[row + m0]! +
            s1 * moves[row + m1]! +
            s2 * moves[row + m2]! +
            s3 * moves[row + m3]! +
            s4 * moves[row + m4]! +
            s5 * moves[row + m5]!;
          if (f < 0) {
            hit = t;
            break;
          }
        }
      }
      if (hit >= 0) this.liquidate(e, l0, k, q, pb + hit * n);
    } while (mask !== 0);
  }

  /** More than six legs: read from the index. */
  private entryN(e: number, l0: number, k: number, mask: number): void {
    const { ix, dayT, blk, moves, pStride, bStride, n, S, w } = this;
    const { legData, legAdverse } = ix;
    const L = BLOCK;
    const g0 = ix.entryGapEquity[2 * e]!;
    const l1 = l0 + k;
    do {
      const bit = mask & -mask;
      mask ^= bit;
      const q = 31 - Math.clz32(bit);
      let h = g0;
      for (let l = l0; l < l1; l++) h += legData[3 * l]! * dayT[legAdverse[l]! * BATCH + q]!;
      if (h >= 0) continue;
      const pb = q * pStride;
      let hit = -1;
      for (let t0 = 1, r = q * bStride; hit < 0 && t0 <= S; t0 += L, r += w) {
        let bound = g0;
        for (let l = l0; l < l1; l++) bound += legData[3 * l]! * blk[r + legAdverse[l]!]!;
        if (bound >= 0) continue;
        const t1 = Math.min(t0 + L, S + 1);
        for (let t = t0, row = pb + t0 * n; t < t1; t++, row += n) {
          let f = g0;
          for (let l = l0; l < l1; l++) f += legData[3 * l]! * moves[row + (legAdverse[l]! >> 1)]!;
          if (f < 0) {
            hit = t;
            break;
          }
        }
      }
      if (hit >= 0) this.liquidate(e, l0, k, q, pb + hit * n);
    } while (mask !== 0);
  }

  /**
   * Liquidates the account of entry e (k legs from slot l0) on batch path q, at row `row` of
   * `moves`.
   */
  private liquidate(e: number, l0: number, k: number, q: number, row: number): void {
    const { moves, maxKeeperReward, keeperRewardRatio, out } = this;
    const { entryGapEquity, legAdverse, legData } = this.ix;
    let eq = entryGapEquity[2 * e + 1]!;
    let keeper = 0;
    const p = this.q0 + q;
    let liqNotional = out.notional[p]!;
    for (let l = l0; l < l0 + k; l++) {
      const mk = legAdverse[l]! >> 1;
      const mv = moves[row + mk]!;
      const notional = legData[3 * l + 2]! * (1 + mv);
      eq += legData[3 * l + 1]! * mv;
      liqNotional += notional;
      keeper += Math.min(keeperRewardRatio[mk]! * notional, maxKeeperReward[mk]!);
    }
    out.notional[p] = liqNotional;
    if (eq < keeper) out.badDebt[p]! += keeper - eq;
    out.accounts[p]!++;
  }
}
