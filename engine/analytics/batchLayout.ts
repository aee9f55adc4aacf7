/**
 * The memory layout of a batch of Monte-Carlo paths, shared by the code that fills it
 * (pathBatch.ts) and the code that searches it (legSearch.ts).
 *
 * Why a batch: the reach lists of the index (varIndex.ts) are read once per batch, not once per
 * path, and what a list entry needs (gap, slopes, pricing: some 130 bytes) is loaded once for
 * all the batch's paths it reaches. 64 paths (two 32-bit masks) read the index half as often
 * as 32 did, while a batch's moves (64 × 25 steps × 20 markets, 256 KB on the benchmark's book)
 * still sit in the core's cache.
 */
import type { VarIndex } from "./varIndex.js";

/** Paths per batch: one bit each in two 32-bit masks (paths 0–31 and 32–63). */
export const BATCH = 64;
/** Steps per block: a block's own extremes let the search for a first crossing skip it. */
export const BLOCK = 6;

/** Per-path totals: bad debt, liquidated notional, liquidated accounts. */
export interface PathTotals {
  badDebt: Float64Array;
  notional: Float64Array;
  accounts: Int32Array;
}

/**
 * A batch, for the search. With n markets, S steps and w = 2n excursions (2m: market m's
 * lowest move, 2m + 1: its highest):
 *  - `moves[q·pStride + t·n + m]`: batch path q's move of market m at step t (row 0 is zeros);
 *  - `blk[q·bStride + b·w + x]`: excursion x over block b, steps 1 + b·BLOCK … (the last
 *    block may be shorter);
 *  - `dayT[x·BATCH + q]`: excursion x over the day, transposed so a batch's paths sit side by
 *    side;
 *  - `out`: the totals, path `q0 + q` for batch path q.
 */
export interface BatchArrays {
  readonly ix: VarIndex;
  readonly n: number;
  readonly S: number;
  readonly w: number;
  readonly pStride: number;
  readonly bStride: number;
  readonly moves: Float64Array;
  readonly blk: Float64Array;
  readonly dayT: Float64Array;
  readonly maxKeeperReward: Float64Array;
  readonly keeperRewardRatio: Float64Array;
  readonly out: PathTotals;
  /** Path index of the batch's first path. */
  readonly q0: number;
}
