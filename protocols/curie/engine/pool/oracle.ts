/**
 * The pool's price oracle (v3-core Oracle.sol) on a PoolState: one observation per block at
 * most (`write` returns early when the newest observation has this block's timestamp), the
 * cardinality growing only when the ring wraps onto its last slot, uint32 timestamp
 * comparisons that survive the 2106 wrap, and `observe`'s linear interpolation with the
 * Solidity divisions (int56 truncating toward zero, uint160 wrap-around).
 */

import { PoolRevert } from "./poolRevert.js";
import { type Observation, observationAt, type PoolState } from "./poolState.js";
import { i56, u32, u160 } from "./uint.js";

export interface Cumulatives {
  tickCumulative: bigint;
  secondsPerLiquidityCumulativeX128: bigint;
}

/** Oracle.transform: `last` carried forward to `blockTimestamp` at `tick` and `liquidity`. */
export function transform(
  last: Observation,
  blockTimestamp: number,
  tick: number,
  liquidity: bigint,
): Observation {
  const delta = BigInt(u32(blockTimestamp - last.blockTimestamp));
  return {
    blockTimestamp,
    tickCumulative: i56(last.tickCumulative + i56(BigInt(tick) * delta)),
    secondsPerLiquidityCumulativeX128: u160(
      last.secondsPerLiquidityCumulativeX128 + (delta << 128n) / (liquidity > 0n ? liquidity : 1n),
    ),
    initialized: true,
  };
}

/**
 * Oracle.write with the state's slot0 and liquidity (the values before the operation that
 * writes): returns the new index, cardinality and observations.
 */
export function writeObservation(
  s: PoolState,
  time: number,
): Pick<PoolState, "observationIndex" | "observationCardinality" | "observations"> {
  const index = s.observationIndex;
  const last = observationAt(s, index);
  if (last.blockTimestamp === time) {
    return {
      observationIndex: index,
      observationCardinality: s.observationCardinality,
      observations: s.observations,
    };
  }
  const cardinality =
    s.observationCardinalityNext > s.observationCardinality &&
    index === s.observationCardinality - 1
      ? s.observationCardinalityNext
      : s.observationCardinality;
  const next = (index + 1) % cardinality;
  return {
    observationIndex: next,
    observationCardinality: cardinality,
    observations: s.observations.set(next, transform(last, time, s.tick, s.liquidity)),
  };
}

/** Oracle.lte: a ≤ b for uint32 timestamps, both at or before `time` modulo 2^32. */
function lte(time: number, a: number, b: number): boolean {
  if (a <= time && b <= time) return a <= b;
  const aAdjusted = a > time ? a : a + 2 ** 32;
  const bAdjusted = b > time ? b : b + 2 ** 32;
  return aAdjusted <= bAdjusted;
}

function binarySearch(
  s: PoolState,
  time: number,
  target: number,
): [beforeOrAt: Observation, atOrAfter: Observation] {
  const cardinality = s.observationCardinality;
  let l = (s.observationIndex + 1) % cardinality;
  let r = l + cardinality - 1;
  for (;;) {
    const i = Math.floor((l + r) / 2);
    const beforeOrAt = observationAt(s, i % cardinality);
    if (!beforeOrAt.initialized) {
      l = i + 1;
      continue;
    }
    const atOrAfter = observationAt(s, (i + 1) % cardinality);
    const targetAtOrAfter = lte(time, beforeOrAt.blockTimestamp, target);
    if (targetAtOrAfter && lte(time, target, atOrAfter.blockTimestamp)) {
      return [beforeOrAt, atOrAfter];
    }
    if (!targetAtOrAfter) r = i - 1;
    else l = i + 1;
  }
}

function surroundingObservations(
  s: PoolState,
  time: number,
  target: number,
): [beforeOrAt: Observation, atOrAfter: Observation | undefined] {
  const newest = observationAt(s, s.observationIndex);
  if (lte(time, newest.blockTimestamp, target)) {
    if (newest.blockTimestamp === target) return [newest, undefined];
    return [newest, transform(newest, target, s.tick, s.liquidity)];
  }
  let oldest = observationAt(s, (s.observationIndex + 1) % s.observationCardinality);
  if (!oldest.initialized) oldest = observationAt(s, 0);
  if (!lte(time, oldest.blockTimestamp, target)) {
    throw new PoolRevert(
      "OLD",
      `${u32(time - target)} s ago (t=${target}) is before the oldest observation (t=${oldest.blockTimestamp})`,
    );
  }
  return binarySearch(s, time, target);
}

/** Oracle.observeSingle at block time `time`, with the state's slot0 and liquidity. */
export function observeSingle(s: PoolState, time: number, secondsAgo: number): Cumulatives {
  if (secondsAgo === 0) {
    let last = observationAt(s, s.observationIndex);
    if (last.blockTimestamp !== time) last = transform(last, time, s.tick, s.liquidity);
    return cumulatives(last);
  }
  const target = u32(time - secondsAgo);
  const [beforeOrAt, atOrAfter] = surroundingObservations(s, time, target);
  if (target === beforeOrAt.blockTimestamp) return cumulatives(beforeOrAt);
  // atOrAfter is only missing when beforeOrAt is at the target (handled above).
  const after = atOrAfter!;
  if (target === after.blockTimestamp) return cumulatives(after);
  const observationTimeDelta = BigInt(u32(after.blockTimestamp - beforeOrAt.blockTimestamp));
  const targetDelta = BigInt(u32(target - beforeOrAt.blockTimestamp));
  const tickSlope = i56(after.tickCumulative - beforeOrAt.tickCumulative) / observationTimeDelta;
  const splDelta = u160(
    after.secondsPerLiquidityCumulativeX128 - beforeOrAt.secondsPerLiquidityCumulativeX128,
  );
  return {
    tickCumulative: i56(beforeOrAt.tickCumulative + i56(tickSlope * targetDelta)),
    secondsPerLiquidityCumulativeX128: u160(
      beforeOrAt.secondsPerLiquidityCumulativeX128 +
        u160((splDelta * targetDelta) / observationTimeDelta),
    ),
  };
}

function cumulatives(o: Observation): Cumulatives {
  return {
    tickCumulative: o.tickCumulative,
    secondsPerLiquidityCumulativeX128: o.secondsPerLiquidityCumulativeX128,
  };
}

/** `observe(secondsAgos)` at block time `time`; reverts 'OLD' like the pool. */
export function observe(
  s: PoolState,
  time: number,
  secondsAgos: readonly number[],
): { tickCumulatives: bigint[]; secondsPerLiquidityCumulativeX128s: bigint[] } {
  if (s.observationCardinality === 0) throw new PoolRevert("I", "pool not initialised");
  const t = u32(time);
  const tickCumulatives: bigint[] = [];
  const secondsPerLiquidityCumulativeX128s: bigint[] = [];
  for (const ago of secondsAgos) {
    if (!Number.isInteger(ago) || ago < 0 || ago >= 2 ** 32) {
      throw new RangeError(`observe: secondsAgo ${ago} is not a uint32`);
    }
    const c = observeSingle(s, t, ago);
    tickCumulatives.push(c.tickCumulative);
    secondsPerLiquidityCumulativeX128s.push(c.secondsPerLiquidityCumulativeX128);
  }
  return { tickCumulatives, secondsPerLiquidityCumulativeX128s };
}
