/**
 * The pool's tick bitmap (v3-core TickBitmap.sol): one bit per usable tick (tick / spacing),
 * 256 to a word; a swap never looks past the current word, so its steps stop at word
 * boundaries even without an initialized tick there — the mirror must stop at the same places.
 */
import type { IntMap } from "./intMap.js";
import { PoolRevert } from "./poolRevert.js";
import type { PoolState } from "./poolState.js";
import { leastSignificantBit, mostSignificantBit } from "./uint.js";

const WORD_MASK = (1n << 256n) - 1n;

/** TickBitmap.flipTick. */
export function flipTick(
  bitmap: IntMap<bigint>,
  tick: number,
  tickSpacing: number,
): IntMap<bigint> {
  if (tick % tickSpacing !== 0) {
    throw new PoolRevert("", `tick ${tick} is not a multiple of the tick spacing ${tickSpacing}`);
  }
  const compressed = tick / tickSpacing;
  const word = compressed >> 8;
  const flipped = (bitmap.get(word) ?? 0n) ^ (1n << BigInt(compressed & 255));
  return flipped === 0n ? bitmap.delete(word) : bitmap.set(word, flipped);
}

/** TickBitmap.nextInitializedTickWithinOneWord on raw bitmap words. */
export function nextInitializedTickInBitmap(
  bitmap: IntMap<bigint>,
  tick: number,
  tickSpacing: number,
  lte: boolean,
): { next: number; initialized: boolean } {
  let compressed = Math.trunc(tick / tickSpacing);
  if (tick < 0 && tick % tickSpacing !== 0) compressed--;
  if (lte) {
    const bitPos = compressed & 255;
    const mask = (1n << BigInt(bitPos + 1)) - 1n;
    const masked = (bitmap.get(compressed >> 8) ?? 0n) & mask;
    return masked !== 0n
      ? {
          next: (compressed - (bitPos - mostSignificantBit(masked))) * tickSpacing,
          initialized: true,
        }
      : { next: (compressed - bitPos) * tickSpacing, initialized: false };
  }
  const bitPos = (compressed + 1) & 255;
  const mask = WORD_MASK ^ ((1n << BigInt(bitPos)) - 1n);
  const masked = (bitmap.get((compressed + 1) >> 8) ?? 0n) & mask;
  return masked !== 0n
    ? {
        next: (compressed + 1 + (leastSignificantBit(masked) - bitPos)) * tickSpacing,
        initialized: true,
      }
    : { next: (compressed + 1 + (255 - bitPos)) * tickSpacing, initialized: false };
}

/**
 * The next initialized tick at or below (`lte`) / above the tick, within the current bitmap
 * word — what both the pool's swap loop and Curie's OrderBook.replaySwap walk.
 */
export function nextInitializedTickWithinOneWord(
  s: PoolState,
  tick: number,
  lte: boolean,
): { next: number; initialized: boolean } {
  return nextInitializedTickInBitmap(s.tickBitmap, tick, s.tickSpacing, lte);
}
