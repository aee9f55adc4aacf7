import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntMap } from "./intMap.js";
import { flipTick, nextInitializedTickInBitmap } from "./tickBitmap.js";

/** Brute force: scan the word of the (compressed) start, as the pool's one-word search does. */
function reference(initialized: Set<number>, tick: number, spacing: number, lte: boolean) {
  const compressed = Math.floor(tick / spacing);
  const start = lte ? compressed : compressed + 1;
  const word = Math.floor(start / 256);
  const [from, to, step] = lte ? [start, word * 256, -1] : [start, word * 256 + 255, 1];
  for (let c = from; lte ? c >= to : c <= to; c += step) {
    if (initialized.has(c * spacing)) return { next: c * spacing, initialized: true };
  }
  return { next: to * spacing, initialized: false };
}

describe("tick bitmap", () => {
  it("finds the same next tick as a brute-force scan of the word, both ways, across signs", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 10, 60, 200),
        fc.uniqueArray(fc.integer({ min: -1200, max: 1200 }), { maxLength: 40 }),
        fc.integer({ min: -1300 * 200, max: 1300 * 200 }),
        fc.boolean(),
        (spacing, compressedTicks, rawTick, lte) => {
          const ticks = new Set(compressedTicks.map((c) => c * spacing));
          let bitmap = IntMap.empty<bigint>();
          for (const t of ticks) bitmap = flipTick(bitmap, t, spacing);
          const tick = Math.max(-887272, Math.min(887272, rawTick));
          expect(nextInitializedTickInBitmap(bitmap, tick, spacing, lte)).toEqual(
            reference(ticks, tick, spacing, lte),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("stops at word boundaries: 256 spacings a word, negative words included", () => {
    const empty = IntMap.empty<bigint>();
    expect(nextInitializedTickInBitmap(empty, 0, 60, true)).toEqual({
      next: 0,
      initialized: false,
    });
    expect(nextInitializedTickInBitmap(empty, -1, 60, true)).toEqual({
      next: -256 * 60,
      initialized: false,
    });
    // Upward from the word's last spacing the search starts in the next word.
    expect(nextInitializedTickInBitmap(empty, -1, 60, false)).toEqual({
      next: 255 * 60,
      initialized: false,
    });
    expect(nextInitializedTickInBitmap(empty, -61, 60, false)).toEqual({
      next: -60,
      initialized: false,
    });
    expect(nextInitializedTickInBitmap(empty, 76800, 60, false)).toEqual({
      next: 76800 + 255 * 60,
      initialized: false,
    });
  });

  it("flipping twice clears the word; an unspaced tick is refused", () => {
    const once = flipTick(IntMap.empty(), -120, 60);
    expect(once.get(-1)).toBe(1n << 254n);
    expect(flipTick(once, -120, 60).size).toBe(0);
    expect(() => flipTick(IntMap.empty(), 61, 60)).toThrow(/not a multiple of the tick spacing 60/);
  });
});
