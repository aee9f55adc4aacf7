/**
 * The state of one Uniswap v3 pool (v3-core 1.0.0) as an immutable value, field for field
 * what the pool's views return: slot0, liquidity, fee growth, `ticks(t)`, `tickBitmap(w)`,
 * `observations(i)`. Ticks, bitmap words and observations live in persistent maps, so every
 * operation returns a new state sharing what it did not change. Positions (owner, fees owed)
 * are not mirrored: Curie keeps its own order book of them.
 */
import { IntMap } from "./intMap.js";
import { PoolRevert } from "./poolRevert.js";
import { getTickAtSqrtRatio, MAX_TICK, MIN_TICK } from "./sdkMath.js";
import { MAX_UINT128, u32 } from "./uint.js";

/** `ticks(t)` of the pool. */
export interface TickInfo {
  readonly liquidityGross: bigint;
  readonly liquidityNet: bigint;
  readonly feeGrowthOutside0X128: bigint;
  readonly feeGrowthOutside1X128: bigint;
  readonly tickCumulativeOutside: bigint;
  readonly secondsPerLiquidityOutsideX128: bigint;
  readonly secondsOutside: number;
  readonly initialized: boolean;
}

/** `observations(i)` of the pool. */
export interface Observation {
  readonly blockTimestamp: number;
  readonly tickCumulative: bigint;
  readonly secondsPerLiquidityCumulativeX128: bigint;
  readonly initialized: boolean;
}

export interface PoolState {
  /** Fee in pips (3000 = 0.3 %). */
  readonly fee: number;
  readonly tickSpacing: number;
  readonly maxLiquidityPerTick: bigint;
  readonly sqrtPriceX96: bigint;
  readonly tick: number;
  readonly observationIndex: number;
  readonly observationCardinality: number;
  readonly observationCardinalityNext: number;
  readonly liquidity: bigint;
  readonly feeGrowthGlobal0X128: bigint;
  readonly feeGrowthGlobal1X128: bigint;
  /** Initialized ticks only (the pool deletes a tick whose gross liquidity returns to 0). */
  readonly ticks: IntMap<TickInfo>;
  /** Non-zero bitmap words, by word position. */
  readonly tickBitmap: IntMap<bigint>;
  /**
   * Observations written so far, by index. Slots in [1, observationCardinalityNext) not yet
   * written read as the pool's grown placeholders (blockTimestamp 1); see `observationAt`.
   */
  readonly observations: IntMap<Observation>;
}

export const EMPTY_TICK: TickInfo = Object.freeze({
  liquidityGross: 0n,
  liquidityNet: 0n,
  feeGrowthOutside0X128: 0n,
  feeGrowthOutside1X128: 0n,
  tickCumulativeOutside: 0n,
  secondsPerLiquidityOutsideX128: 0n,
  secondsOutside: 0,
  initialized: false,
});

const EMPTY_OBSERVATION: Observation = Object.freeze({
  blockTimestamp: 0,
  tickCumulative: 0n,
  secondsPerLiquidityCumulativeX128: 0n,
  initialized: false,
});
/** What `Oracle.grow` leaves in a slot it prepares: only the timestamp is set, to 1. */
const GROWN_OBSERVATION: Observation = Object.freeze({ ...EMPTY_OBSERVATION, blockTimestamp: 1 });

/** Tick.tickSpacingToMaxLiquidityPerTick. */
export function maxLiquidityPerTick(tickSpacing: number): bigint {
  const minTick = Math.trunc(MIN_TICK / tickSpacing) * tickSpacing;
  const maxTick = Math.trunc(MAX_TICK / tickSpacing) * tickSpacing;
  const numTicks = (maxTick - minTick) / tickSpacing + 1;
  return MAX_UINT128 / BigInt(numTicks);
}

/** A freshly created pool after `initialize(sqrtPriceX96)` in a block at `time`. */
export function initializePool(a: {
  sqrtPriceX96: bigint;
  fee: number;
  tickSpacing: number;
  time: number;
}): PoolState {
  if (!Number.isInteger(a.tickSpacing) || a.tickSpacing <= 0 || a.tickSpacing >= 16384) {
    throw new RangeError(`initializePool: tickSpacing ${a.tickSpacing} is not in (0, 16384)`);
  }
  if (!Number.isInteger(a.fee) || a.fee < 0 || a.fee >= 1_000_000) {
    throw new RangeError(`initializePool: fee ${a.fee} is not an integer number of pips below 1e6`);
  }
  return {
    fee: a.fee,
    tickSpacing: a.tickSpacing,
    maxLiquidityPerTick: maxLiquidityPerTick(a.tickSpacing),
    sqrtPriceX96: a.sqrtPriceX96,
    tick: getTickAtSqrtRatio(a.sqrtPriceX96),
    observationIndex: 0,
    observationCardinality: 1,
    observationCardinalityNext: 1,
    liquidity: 0n,
    feeGrowthGlobal0X128: 0n,
    feeGrowthGlobal1X128: 0n,
    ticks: IntMap.empty(),
    tickBitmap: IntMap.empty(),
    observations: IntMap.empty<Observation>().set(0, {
      blockTimestamp: u32(a.time),
      tickCumulative: 0n,
      secondsPerLiquidityCumulativeX128: 0n,
      initialized: true,
    }),
  };
}

/** `increaseObservationCardinalityNext(next)`: Oracle.grow (a no-op unless `next` is larger). */
export function increaseObservationCardinalityNext(s: PoolState, next: number): PoolState {
  if (!Number.isInteger(next) || next < 0 || next > 65535) {
    throw new RangeError(`increaseObservationCardinalityNext: ${next} is not a uint16`);
  }
  if (s.observationCardinalityNext === 0) throw new PoolRevert("I", "pool not initialised");
  if (next <= s.observationCardinalityNext) return s;
  return { ...s, observationCardinalityNext: next };
}

/** `ticks(tick)`: the stored info, or all zeros for a tick that is not initialized. */
export function tickInfo(s: PoolState, tick: number): TickInfo {
  return s.ticks.get(tick) ?? EMPTY_TICK;
}

/** `tickBitmap(wordPosition)`. */
export function tickBitmapWord(s: PoolState, wordPosition: number): bigint {
  return s.tickBitmap.get(wordPosition) ?? 0n;
}

/** `observations(index)`, including the placeholders `Oracle.grow` writes. */
export function observationAt(s: PoolState, index: number): Observation {
  const stored = s.observations.get(index);
  if (stored) return stored;
  return index > 0 && index < s.observationCardinalityNext ? GROWN_OBSERVATION : EMPTY_OBSERVATION;
}

/** Initialized ticks, ascending. */
export function initializedTicks(s: PoolState): number[] {
  return s.ticks.keys();
}
