import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { observe, transform, writeObservation } from "./oracle.js";
import { PoolRevert } from "./poolRevert.js";
import {
  increaseObservationCardinalityNext,
  initializePool,
  observationAt,
  type PoolState,
} from "./poolState.js";
import { getSqrtRatioAtTick } from "./sdkMath.js";
import { u32 } from "./uint.js";

interface Block {
  gap: number;
  tick: number;
  liquidity: bigint;
  grow: number;
}

const block = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
  tick: fc.integer({ min: -50_000, max: 50_000 }),
  liquidity: fc.bigInt({ min: 0n, max: 10n ** 24n }),
  grow: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 })),
});

/**
 * Plays blocks the way the pool does: each operation writes an observation with the tick and
 * liquidity in force before it, then changes them. Returns the state and, as the reference,
 * the (unwrapped) times at which the tick changed.
 */
function play(start: number, tick0: number, blocks: Block[]) {
  let s: PoolState = initializePool({
    sqrtPriceX96: getSqrtRatioAtTick(tick0),
    fee: 3000,
    tickSpacing: 60,
    time: u32(start),
  });
  const segments = [{ from: start, tick: s.tick }];
  let t = start;
  for (const b of blocks) {
    t += b.gap;
    if (b.grow) s = increaseObservationCardinalityNext(s, s.observationCardinalityNext + b.grow);
    s = { ...s, ...writeObservation(s, u32(t)), tick: b.tick, liquidity: b.liquidity };
    segments.push({ from: t, tick: b.tick });
  }
  return { s, segments, now: t };
}

/** ∫ tick dt from the start to `at` (unwrapped seconds). */
function tickIntegral(segments: { from: number; tick: number }[], at: number): bigint {
  let total = 0n;
  for (const [i, seg] of segments.entries()) {
    const end = Math.min(at, segments[i + 1]?.from ?? at);
    if (end > seg.from) total += BigInt(seg.tick) * BigInt(end - seg.from);
  }
  return total;
}

describe("oracle", () => {
  it("observe equals the integral of the tick over every retained second and reverts OLD before", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant(1_767_225_600), fc.integer({ min: 2 ** 32 - 3000, max: 2 ** 32 - 1 })),
        fc.integer({ min: -50_000, max: 50_000 }),
        fc.array(block, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 500 }),
        (start, tick0, blocks, wait) => {
          const { s, segments, now: last } = play(start, tick0, blocks);
          const now = last + wait;
          const initialized = Array.from({ length: s.observationCardinality }, (_, i) =>
            observationAt(s, i),
          ).filter((o) => o.initialized);
          // Oldest retained observation, unwrapped (all within 2^32 s of the start).
          const unwrap = (ts: number) =>
            (ts >= u32(start) ? ts - u32(start) : ts + 2 ** 32 - u32(start)) + start;
          const oldest = Math.min(...initialized.map((o) => unwrap(o.blockTimestamp)));
          for (let ago = 0; ago <= now - start + 5; ago += 1 + Math.floor((now - start) / 40)) {
            const target = now - ago;
            if (target >= oldest) {
              expect(observe(s, u32(now), [ago]).tickCumulatives[0]).toBe(
                tickIntegral(segments, target),
              );
            } else {
              expect(() => observe(s, u32(now), [ago])).toThrow(PoolRevert);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("writes at most once per block and grows the ring only when it wraps onto its last slot", () => {
    let s = initializePool({
      sqrtPriceX96: getSqrtRatioAtTick(0),
      fee: 3000,
      tickSpacing: 60,
      time: 100,
    });
    s = increaseObservationCardinalityNext(s, 3);
    expect(observationAt(s, 2)).toMatchObject({ blockTimestamp: 1, initialized: false });
    expect(observationAt(s, 3)).toMatchObject({ blockTimestamp: 0, initialized: false });
    const write = (time: number) => {
      s = { ...s, ...writeObservation(s, time) };
      return [s.observationIndex, s.observationCardinality];
    };
    expect(write(110)).toEqual([1, 3]);
    expect(write(110)).toEqual([1, 3]);
    expect(write(120)).toEqual([2, 3]);
    s = increaseObservationCardinalityNext(s, 5);
    // index 2 is the last slot of a ring of 3: the next write moves to a ring of 5.
    expect(write(130)).toEqual([3, 5]);
    expect(write(140)).toEqual([4, 5]);
    expect(write(150)).toEqual([0, 5]);
    expect(increaseObservationCardinalityNext(s, 4)).toBe(s);
  });

  it("wraps tick cumulatives at int56 and seconds per liquidity at uint160", () => {
    const last = {
      blockTimestamp: 2 ** 32 - 1,
      tickCumulative: 2n ** 55n - 1n,
      secondsPerLiquidityCumulativeX128: 2n ** 160n - 1n,
      initialized: true,
    };
    const next = transform(last, 0, 1, 0n);
    expect(next.tickCumulative).toBe(-(2n ** 55n));
    expect(next.secondsPerLiquidityCumulativeX128).toBe((1n << 128n) - 1n);
  });
});
