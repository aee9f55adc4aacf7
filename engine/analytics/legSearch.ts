/**
 * The multi-leg search of the VaR's inner loop (pathBatch.ts): for one entry of a reach list
 * (varIndex.ts) and the batch paths it is decided on, which of them liquidate the account, at
 * which step, and what that costs.
 *
 * Why: this is where a 10,000-path VaR spends most of its time (on the benchmark's book, per
 * path: some 9,500 entry × path day bounds, 2,700 searches for a first crossing, 1,900
 * liquidations), so it is written for what V8 compiles well. Every function computes exactly
 * the numbers of the plain loops, in the same order: the per-path sums are pinned to the last
 * bit by valueAtRisk.pinned.test.ts.
 *
 *  - One function per leg count (2, 3, 4, and 5–6 with an unused sixth leg of slope 0: adding
 *    0·x changes no sum), the legs in locals: V8 keeps the slopes in registers, which a loop
 *    over the legs would reload.
 *  - No jump where the outcome is a coin toss: a path's day bound and a step's `equity − MM`
 *    become one bit each (`+(x < 0) << i`: a compare and a set) and the bits are walked
 *    afterwards; a mispredicted jump costs as much as the arithmetic of a 3-leg bound. (Block
 *    bounds keep their jump: the first blocks of a day mostly pass, and stopping at the first
 *    that fails saves more than the jumps cost.)
 *  - Small integers stay 32-bit integers: masks start as `| 0`, products are `Math.imul` and
 *    indices `(a + b) | 0`, so V8 neither boxes a mask whose top bit is set (a double) nor
 *    checks every addition for overflow.
 *  - The day bounds of all the entry's paths first, in a tight loop; then the search, only for
 *    the paths whose bound fails; the liquidation written out per leg count.
 *
 * Bounds: for a leg hurt by falls (rises) its move is never below (above) an extreme of the
 * steps it is taken over, so `gap + Σ slope·(extreme on the side that hurts the leg)` is a
 * lower bound of `equity − MM` at every one of those steps (floating-point products and sums
 * are monotone, so the computed bound is one too): over the day (`dayT`) it decides whether
 * the account can be liquidated on the path at all, over a block of BLOCK steps (`blk`)
 * whether the block can hold the first crossing; the steps of the first block that can are
 * computed exactly (`moves`), then those of the next, until one crosses.
 */
import { BATCH, type BatchArrays, BLOCK } from "./batchLayout.js";

/** An entry of two legs, decided on batch paths `lo` (0–31) and `hi` (32–63). */
export function decide2(b: BatchArrays, e: number, l0: number, lo: number, hi: number): void {
  const dayT = b.dayT;
  const { legData, legAdverse, entryGapEquity } = b.ix;
  const g0 = entryGapEquity[2 * e]!;
  const s0 = legData[3 * l0]!;
  const s1 = legData[3 * l0 + 3]!;
  const a0 = legAdverse[l0]! | 0;
  const a1 = legAdverse[l0 + 1]! | 0;
  const d0 = Math.imul(a0, BATCH);
  const d1 = Math.imul(a1, BATCH);
  let failLo = 0;
  for (let left = lo | 0; left !== 0; ) {
    const bit = left & -left;
    left ^= bit;
    const q = 31 - Math.clz32(bit);
    const h = g0 + s0 * dayT[(d0 + q) | 0]! + s1 * dayT[(d1 + q) | 0]!;
    failLo |= +(h < 0) << q;
  }
  let failHi = 0;
  for (let left = hi | 0; left !== 0; ) {
    const bit = left & -left;
    left ^= bit;
    const q = 63 - Math.clz32(bit);
    const h = g0 + s0 * dayT[(d0 + q) | 0]! + s1 * dayT[(d1 + q) | 0]!;
    failHi |= +(h < 0) << q; // q is 32–63: a shift counts mod 32
  }
  if ((failLo | failHi) === 0) return;
  const { blk, moves } = b;
  const n = b.n | 0;
  const S = b.S | 0;
  const w = b.w | 0;
  const pStride = b.pStride | 0;
  const bStride = b.bStride | 0;
  const m0 = a0 >> 1;
  const m1 = a1 >> 1;
  for (let base = 0; base < BATCH; base += 32) {
    let left = (base === 0 ? failLo : failHi) | 0;
    while (left !== 0) {
      const bit = left & -left;
      left ^= bit;
      const q = (base + 31 - Math.clz32(bit)) | 0;
      const pb = Math.imul(q, pStride);
      let hit = -1;
      let r = Math.imul(q, bStride);
      for (let t0 = 1; hit < 0 && t0 <= S; t0 = (t0 + BLOCK) | 0, r = (r + w) | 0) {
        const bound = g0 + s0 * blk[(r + a0) | 0]! + s1 * blk[(r + a1) | 0]!;
        if (bound >= 0) continue;
        const t1 = Math.min(t0 + BLOCK, S + 1);
        let steps = 0;
        let row = (pb + Math.imul(t0, n)) | 0;
        for (let t = t0; t < t1; t++, row = (row + n) | 0) {
          const f = g0 + s0 * moves[(row + m0) | 0]! + s1 * moves[(row + m1) | 0]!;
          steps |= +(f < 0) << (t - t0);
        }
        if (steps !== 0) hit = t0 + 31 - Math.clz32(steps & -steps);
      }
      if (hit < 0) continue;
      // The liquidation, as liquidate() sums it: leg by leg, in the account's order.
      const row = (pb + Math.imul(hit, n)) | 0;
      const mv0 = moves[(row + m0) | 0]!;
      const mv1 = moves[(row + m1) | 0]!;
      const { out, keeperRewardRatio: kr, maxKeeperReward: kmax } = b;
      const p = b.q0 + q;
      let eq = entryGapEquity[2 * e + 1]!;
      let keeper = 0;
      let liqNotional = out.notional[p]!;
      const n0 = legData[3 * l0 + 2]! * (1 + mv0);
      eq += legData[3 * l0 + 1]! * mv0;
      liqNotional += n0;
      keeper += Math.min(kr[m0]! * n0, kmax[m0]!);
      const n1 = legData[3 * l0 + 5]! * (1 + mv1);
      eq += legData[3 * l0 + 4]! * mv1;
      liqNotional += n1;
      keeper += Math.min(kr[m1]! * n1, kmax[m1]!);
      out.notional[p] = liqNotional;
      if (eq < keeper) out.badDebt[p]! += keeper - eq;
      out.accounts[p]!++;
    }
  }
}

/** An entry of three legs, decided on batch paths `lo` (0–31) and `hi` (32–63). */
export function decide3(b: BatchArrays, e: number, l0: number, lo: number, hi: number): void {
  const dayT = b.dayT;
  const { legData, legAdverse, entryGapEquity } = b.ix;
  const g0 = entryGapEquity[2 * e]!;
  const s0 = legData[3 * l0]!;
  const s1 = legData[3 * l0 + 3]!;
  const s2 = legData[3 * l0 + 6]!;
  const a0 = legAdverse[l0]! | 0;
  const a1 = legAdverse[l0 + 1]! | 0;
  const a2 = legAdverse[l0 + 2]! | 0;
  const d0 = Math.imul(a0, BATCH);
  const d1 = Math.imul(a1, BATCH);
  const d2 = Math.imul(a2, BATCH);
  let failLo = 0;
  for (let left = lo | 0; left !== 0; ) {
    const bit = left & -left;
    left ^= bit;
    const q = 31 - Math.clz32(bit);
    const h = g0 + s0 * dayT[(d0 + q) | 0]! + s1 * dayT[(d1 + q) | 0]! + s2 * dayT[(d2 + q) | 0]!;
    failLo |= +(h < 0) << q;
  }
  let failHi = 0;
  for (let left = hi | 0; left !== 0; ) {
    const bit = left & -left;
    left ^= bit;
    const q = 63 - Math.clz32(bit);
    const h = g0 + s0 * dayT[(d0 + q) | 0]! + s1 * dayT[(d1 + q) | 0]! + s2 * dayT[(d2 + q) | 0]!;
    failHi |= +(h < 0) << q; // q is 32–63: a shift counts mod 32
  }
  if ((failLo | failHi) === 0) return;
  const { blk, moves } = b;
  const n = b.n | 0;
  const S = b.S | 0;
  const w = b.w | 0;
  const pStride = b.pStride | 0;
  const bStride = b.bStride | 0;
  const m0 = a0 >> 1;
  const m1 = a1 >> 1;
  const m2 = a2 >> 1;
  for (let base = 0; base < BATCH; base += 32) {
    let left = (base === 0 ? failLo : failHi) | 0;
    while (left !== 0) {
      const bit = left & -left;
      left ^= bit;
      const q = (base + 31 - Math.clz32(bit)) | 0;
      const pb = Math.imul(q, pStride);
      let hit = -1;
      let r = Math.imul(q, bStride);
      for (let t0 = 1; hit < 0 && t0 <= S; t0 = (t0 + BLOCK) | 0, r = (r + w) | 0) {
        const bound =
          g0 + s0 * blk[(r + a0) | 0]! + s1 * blk[(r + a1) | 0]! + s2 * blk[(r + a2) | 0]!;
        if (bound >= 0) continue;
        const t1 = Math.min(t0 + BLOCK, S + 1);
        let steps = 0;
        let row = (pb + Math.imul(t0, n)) | 0;
        for (let t = t0; t < t1; t++, row = (row + n) | 0) {
          const f =
            g0 +
            s0 * moves[(row + m0) | 0]! +
            s1 * moves[(row + m1) | 0]! +
            s2 * moves[(row + m2) | 0]!;
          steps |= +(f < 0) << (t - t0);
        }
        if (steps !== 0) hit = t0 + 31 - Math.clz32(steps & -steps);
      }
      if (hit < 0) continue;
      // The liquidation, as liquidate() sums it: leg by leg, in the account's order.
      const row = (pb + Math.imul(hit, n)) | 0;
      const mv0 = moves[(row + m0) | 0]!;
      const mv1 = moves[(row + m1) | 0]!;
      const mv2 = moves[(row + m2) | 0]!;
      const { out, keeperRewardRatio: kr, maxKeeperReward: kmax } = b;
      const p = b.q0 + q;
      let eq = entryGapEquity[2 * e + 1]!;
      let keeper = 0;
      let liqNotional = out.notional[p]!;
      const n0 = legData[3 * l0 + 2]! * (1 + mv0);
      eq += legData[3 * l0 + 1]! * mv0;
      liqNotional += n0;
      keeper += Math.min(kr[m0]! * n0, kmax[m0]!);
      const n1 = legData[3 * l0 + 5]! * (1 + mv1);
      eq += legData[3 * l0 + 4]! * mv1;
      liqNotional += n1;
      keeper += Math.min(kr[m1]! * n1, kmax[m1]!);
      const n2 = legData[3 * l0 + 8]! * (1 + mv2);
      eq += legData[3 * l0 + 7]! * mv2;
      liqNotional += n2;
      keeper += Math.min(kr[m2]! * n2, kmax[m2]!);
      out.notional[p] = liqNotional;
      if (eq < keeper) out.badDebt[p]! += keeper - eq;
      out.accounts[p]!++;
    }
  }
}

/** An entry of four legs, decided on batch paths `lo` (0–31) and `hi` (32–63). */
export function decide4(b: BatchArrays, e: number, l0: number, lo: number, hi: number): void {
  const dayT = b.dayT;
  const { legData, legAdverse, entryGapEquity } = b.ix;
  const g0 = entryGapEquity[2 * e]!;
  const s0 = legData[3 * l0]!;
  const s1 = legData[3 * l0 + 3]!;
  const s2 = legData[3 * l0 + 6]!;
  const s3 = legData[3 * l0 + 9]!;
  const a0 = legAdverse[l0]! | 0;
  const a1 = legAdverse[l0 + 1]! | 0;
  const a2 = legAdverse[l0 + 2]! | 0;
  const a3 = legAdverse[l0 + 3]! | 0;
  const d0 = Math.imul(a0, BATCH);
  const d1 = Math.imul(a1, BATCH);
  const d2 = Math.imul(a2, BATCH);
  const d3 = Math.imul(a3, BATCH);
  let failLo = 0;
  for (let left = lo | 0; left !== 0; ) {
    const bit = left & -left;
    left ^= bit;
    const q = 31 - Math.clz32(bit);
    const h =
      g0 +
      s0 * dayT[(d0 + q) | 0]! +
      s1 * dayT[(d1 + q) | 0]! +
      s2 * dayT[(d2 + q) | 0]! +
      s3 * dayT[(d3 + q) | 0]!;
    failLo |= +(h < 0) << q;
  }
  let failHi = 0;
  for (let left = hi | 0; left !== 0; ) {
    const bit = left & -left;
    left ^= bit;
    const q = 63 - Math.clz32(bit);
    const h =
      g0 +
      s0 * dayT[(d0 + q) | 0]! +
      s1 * dayT[(d1 + q) | 0]! +
      s2 * dayT[(d2 + q) | 0]! +
      s3 * dayT[(d3 + q) | 0]!;
    failHi |= +(h < 0) << q; // q is 32–63: a shift counts mod 32
  }
  if ((failLo | failHi) === 0) return;
  const { blk, moves } = b;
  const n = b.n | 0;
  const S = b.S | 0;
  const w = b.w | 0;
  const pStride = b.pStride | 0;
  const bStride = b.bStride | 0;
  const m0 = a0 >> 1;
  const m1 = a1 >> 1;
  const m2 = a2 >> 1;
  const m3 = a3 >> 1;
  for (let base = 0; base < BATCH; base += 32) {
    let left = (base === 0 ? failLo : failHi) | 0;
    while (left !== 0) {
      const bit = left & -left;
      left ^= bit;
      const q = (base + 31 - Math.clz32(bit)) | 0;
      const pb = Math.imul(q, pStride);
      let hit = -1;
      let r = Math.imul(q, bStride);
      for (let t0 = 1; hit < 0 && t0 <= S; t0 = (t0 + BLOCK) | 0, r = (r + w) | 0) {
        const bound =
          g0 +
          s0 * blk[(r + a0) | 0]! +
          s1 * blk[(r + a1) | 0]! +
          s2 * blk[(r + a2) | 0]! +
          s3 * blk[(r + a3) | 0]!;
        if (bound >= 0) continue;
        const t1 = Math.min(t0 + BLOCK, S + 1);
        let steps = 0;
        let row = (pb + Math.imul(t0, n)) | 0;
        for (let t = t0; t < t1; t++, row = (row + n) | 0) {
          const f =
            g0 +
            s0 * moves[(row + m0) | 0]! +
            s1 * moves[(row + m1) | 0]! +
            s2 * moves[(row + m2) | 0]! +
            s3 * moves[(row + m3) | 0]!;
          steps |= +(f < 0) << (t - t0);
        }
        if (steps !== 0) hit = t0 + 31 - Math.clz32(steps & -steps);
      }
      if (hit < 0) continue;
      // The liquidation, as liquidate() sums it: leg by leg, in the account's order.
      const row = (pb + Math.imul(hit, n)) | 0;
      const mv0 = moves[(row + m0) | 0]!;
      const mv1 = moves[(row + m1) | 0]!;
      const mv2 = moves[(row + m2) | 0]!;
      const mv3 = moves[(row + m3) | 0]!;
      const { out, keeperRewardRatio: kr, maxKeeperReward: kmax } = b;
      const p = b.q0 + q;
      let eq = entryGapEquity[2 * e + 1]!;
      let keeper = 0;
      let liqNotional = out.notional[p]!;
      const n0 = legData[3 * l0 + 2]! * (1 + mv0);
      eq += legData[3 * l0 + 1]! * mv0;
      liqNotional += n0;
      keeper += Math.min(kr[m0]! * n0, kmax[m0]!);
      const n1 = legData[3 * l0 + 5]! * (1 + mv1);
      eq += legData[3 * l0 + 4]! * mv1;
      liqNotional += n1;
      keeper += Math.min(kr[m1]! * n1, kmax[m1]!);
      const n2 = legData[3 * l0 + 8]! * (1 + mv2);
      eq += legData[3 * l0 + 7]! * mv2;
      liqNotional += n2;
      keeper += Math.min(kr[m2]! * n2, kmax[m2]!);
      const n3 = legData[3 * l0 + 11]! * (1 + mv3);
      eq += legData[3 * l0 + 10]! * mv3;
      liqNotional += n3;
      keeper += Math.min(kr[m3]! * n3, kmax[m3]!);
      out.notional[p] = liqNotional;
      if (eq < keeper) out.badDebt[p]! += keeper - eq;
      out.accounts[p]!++;
    }
  }
}

/** An entry of five or six legs, decided on batch paths `lo` (0–31) and `hi` (32–63). */
export function decide6(
  b: BatchArrays,
  e: number,
  l0: number,
  k: number,
  lo: number,
  hi: number,
): void {
  const dayT = b.dayT;
  const { legData, legAdverse, entryGapEquity } = b.ix;
  const g0 = entryGapEquity[2 * e]!;
  const s0 = legData[3 * l0]!;
  const s1 = legData[3 * l0 + 3]!;
  const s2 = legData[3 * l0 + 6]!;
  const s3 = legData[3 * l0 + 9]!;
  const s4 = legData[3 * l0 + 12]!;
  const s5 = k > 5 ? legData[3 * l0 + 15]! : 0;
  const a0 = legAdverse[l0]! | 0;
  const a1 = legAdverse[l0 + 1]! | 0;
  const a2 = legAdverse[l0 + 2]! | 0;
  const a3 = legAdverse[l0 + 3]! | 0;
  const a4 = legAdverse[l0 + 4]! | 0;
  const a5 = k > 5 ? legAdverse[l0 + 5]! | 0 : 0;
  const d0 = Math.imul(a0, BATCH);
  const d1 = Math.imul(a1, BATCH);
  const d2 = Math.imul(a2, BATCH);
  const d3 = Math.imul(a3, BATCH);
  const d4 = Math.imul(a4, BATCH);
  const d5 = Math.imul(a5, BATCH);
  let failLo = 0;
  for (let left = lo | 0; left !== 0; ) {
    const bit = left & -left;
    left ^= bit;
    const q = 31 - Math.clz32(bit);
    const h =
      g0 +
      s0 * dayT[(d0 + q) | 0]! +
      s1 * dayT[(d1 + q) | 0]! +
      s2 * dayT[(d2 + q) | 0]! +
      s3 * dayT[(d3 + q) | 0]! +
      s4 * dayT[(d4 + q) | 0]! +
      s5 * dayT[(d5 + q) | 0]!;
    failLo |= +(h < 0) << q;
  }
  let failHi = 0;
  for (let left = hi | 0; left !== 0; ) {
    const bit = left & -left;
    left ^= bit;
    const q = 63 - Math.clz32(bit);
    const h =
      g0 +
      s0 * dayT[(d0 + q) | 0]! +
      s1 * dayT[(d1 + q) | 0]! +
      s2 * dayT[(d2 + q) | 0]! +
      s3 * dayT[(d3 + q) | 0]! +
      s4 * dayT[(d4 + q) | 0]! +
      s5 * dayT[(d5 + q) | 0]!;
    failHi |= +(h < 0) << q; // q is 32–63: a shift counts mod 32
  }
  if ((failLo | failHi) === 0) return;
  const { blk, moves } = b;
  const n = b.n | 0;
  const S = b.S | 0;
  const w = b.w | 0;
  const pStride = b.pStride | 0;
  const bStride = b.bStride | 0;
  const m0 = a0 >> 1;
  const m1 = a1 >> 1;
  const m2 = a2 >> 1;
  const m3 = a3 >> 1;
  const m4 = a4 >> 1;
  const m5 = a5 >> 1;
  for (let base = 0; base < BATCH; base += 32) {
    let left = (base === 0 ? failLo : failHi) | 0;
    while (left !== 0) {
      const bit = left & -left;
      left ^= bit;
      const q = (base + 31 - Math.clz32(bit)) | 0;
      const pb = Math.imul(q, pStride);
      let hit = -1;
      let r = Math.imul(q, bStride);
      for (let t0 = 1; hit < 0 && t0 <= S; t0 = (t0 + BLOCK) | 0, r = (r + w) | 0) {
        const bound =
          g0 +
          s0 * blk[(r + a0) | 0]! +
          s1 * blk[(r + a1) | 0]! +
          s2 * blk[(r + a2) | 0]! +
          s3 * blk[(r + a3) | 0]! +
          s4 * blk[(r + a4) | 0]! +
          s5 * blk[(r + a5) | 0]!;
        if (bound >= 0) continue;
        const t1 = Math.min(t0 + BLOCK, S + 1);
        let steps = 0;
        let row = (pb + Math.imul(t0, n)) | 0;
        for (let t = t0; t < t1; t++, row = (row + n) | 0) {
          const f =
            g0 +
            s0 * moves[(row + m0) | 0]! +
            s1 * moves[(row + m1) | 0]! +
            s2 * moves[(row + m2) | 0]! +
            s3 * moves[(row + m3) | 0]! +
            s4 * moves[(row + m4) | 0]! +
            s5 * moves[(row + m5) | 0]!;
          steps |= +(f < 0) << (t - t0);
        }
        if (steps !== 0) hit = t0 + 31 - Math.clz32(steps & -steps);
      }
      if (hit >= 0) liquidate(b, e, l0, k, q, (pb + Math.imul(hit, n)) | 0);
    }
  }
}

/** An entry of more than six legs, on batch paths `lo` and `hi`: the legs read from the index. */
export function decideN(b: BatchArrays, e: number, l0: number, k: number, lo: number, hi: number) {
  const { dayT, blk, moves } = b;
  const { legData, legAdverse, entryGapEquity } = b.ix;
  const { n, S, w, pStride, bStride } = b;
  const g0 = entryGapEquity[2 * e]!;
  const l1 = l0 + k;
  for (let base = 0; base < BATCH; base += 32) {
    for (let left = (base === 0 ? lo : hi) | 0; left !== 0; ) {
      const bit = left & -left;
      left ^= bit;
      const q = base + 31 - Math.clz32(bit);
      let h = g0;
      for (let l = l0; l < l1; l++) h += legData[3 * l]! * dayT[legAdverse[l]! * BATCH + q]!;
      if (h >= 0) continue;
      const pb = q * pStride;
      let hit = -1;
      for (let t0 = 1, r = q * bStride; hit < 0 && t0 <= S; t0 += BLOCK, r += w) {
        let bound = g0;
        for (let l = l0; l < l1; l++) bound += legData[3 * l]! * blk[r + legAdverse[l]!]!;
        if (bound >= 0) continue;
        const t1 = Math.min(t0 + BLOCK, S + 1);
        for (let t = t0, row = pb + t0 * n; t < t1; t++, row += n) {
          let f = g0;
          for (let l = l0; l < l1; l++) f += legData[3 * l]! * moves[row + (legAdverse[l]! >> 1)]!;
          if (f < 0) {
            hit = t;
            break;
          }
        }
      }
      if (hit >= 0) liquidate(b, e, l0, k, q, pb + hit * n);
    }
  }
}

/**
 * Liquidates the account of entry e (k legs from slot l0) on batch path q, at row `row` of
 * `moves`: adds its notional there, leg by leg, and its bad debt (keeper first) to the path's
 * totals.
 */
function liquidate(b: BatchArrays, e: number, l0: number, k: number, q: number, row: number) {
  const { moves, maxKeeperReward, keeperRewardRatio, out } = b;
  const { entryGapEquity, legAdverse, legData } = b.ix;
  let eq = entryGapEquity[2 * e + 1]!;
  let keeper = 0;
  const p = b.q0 + q;
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
