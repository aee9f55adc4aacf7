/**
 * Per-tick bookkeeping (v3-core Tick.sol) on the persistent tick map: `update` when a position
 * adds or removes liquidity at a boundary (with the convention that all growth before a tick
 * was initialized happened below it), `cross` when a swap passes it (every "outside" value
 * flips to global − outside, wrapping like the pool's unchecked arithmetic).
 */
import type { IntMap } from "./intMap.js";
import { PoolRevert } from "./poolRevert.js";
import { EMPTY_TICK, type TickInfo } from "./poolState.js";
import { i56, MAX_UINT128, u32, u160, u256 } from "./uint.js";

const INT128_MIN = -(1n << 127n);
const INT128_MAX = (1n << 127n) - 1n;

/** LiquidityMath.addDelta: uint128 plus int128, reverting 'LS' / 'LA' on under/overflow. */
export function addDelta(x: bigint, y: bigint): bigint {
  const z = x + y;
  if (y < 0n && z < 0n) throw new PoolRevert("LS", `liquidity ${x} minus ${-y} is negative`);
  if (y >= 0n && z > MAX_UINT128)
    throw new PoolRevert("LA", `liquidity ${x} plus ${y} overflows uint128`);
  return z;
}

/** SafeCast.toInt128. */
export function toInt128(x: bigint): bigint {
  if (x < INT128_MIN || x > INT128_MAX) throw new PoolRevert("", `${x} does not fit in int128`);
  return x;
}

export interface TickUpdate {
  tick: number;
  tickCurrent: number;
  liquidityDelta: bigint;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  secondsPerLiquidityCumulativeX128: bigint;
  tickCumulative: bigint;
  time: number;
  upper: boolean;
  maxLiquidity: bigint;
}

/**
 * Tick.update. A tick whose gross liquidity returns to 0 is removed (the pool clears it right
 * after, in `_updatePosition`), so the map holds initialized ticks only.
 */
export function updateTick(
  ticks: IntMap<TickInfo>,
  u: TickUpdate,
): { ticks: IntMap<TickInfo>; flipped: boolean } {
  const info = ticks.get(u.tick) ?? EMPTY_TICK;
  const grossBefore = info.liquidityGross;
  const grossAfter = addDelta(grossBefore, u.liquidityDelta);
  if (grossAfter > u.maxLiquidity) {
    throw new PoolRevert("LO", `tick ${u.tick} gross liquidity ${grossAfter} > ${u.maxLiquidity}`);
  }
  const flipped = (grossAfter === 0n) !== (grossBefore === 0n);
  if (grossAfter === 0n) return { ticks: ticks.delete(u.tick), flipped };
  const outside =
    grossBefore === 0n && u.tick <= u.tickCurrent
      ? {
          feeGrowthOutside0X128: u.feeGrowthGlobal0X128,
          feeGrowthOutside1X128: u.feeGrowthGlobal1X128,
          secondsPerLiquidityOutsideX128: u.secondsPerLiquidityCumulativeX128,
          tickCumulativeOutside: u.tickCumulative,
          secondsOutside: u.time,
        }
      : {};
  const next: TickInfo = {
    ...info,
    ...outside,
    initialized: true,
    liquidityGross: grossAfter,
    liquidityNet: toInt128(
      u.upper ? info.liquidityNet - u.liquidityDelta : info.liquidityNet + u.liquidityDelta,
    ),
  };
  return { ticks: ticks.set(u.tick, next), flipped };
}

/** Tick.cross: flips the tick's outside values; returns its liquidityNet. */
export function crossTick(
  ticks: IntMap<TickInfo>,
  tick: number,
  feeGrowthGlobal0X128: bigint,
  feeGrowthGlobal1X128: bigint,
  secondsPerLiquidityCumulativeX128: bigint,
  tickCumulative: bigint,
  time: number,
): { ticks: IntMap<TickInfo>; liquidityNet: bigint } {
  const info = ticks.get(tick) ?? EMPTY_TICK;
  const crossed: TickInfo = {
    ...info,
    feeGrowthOutside0X128: u256(feeGrowthGlobal0X128 - info.feeGrowthOutside0X128),
    feeGrowthOutside1X128: u256(feeGrowthGlobal1X128 - info.feeGrowthOutside1X128),
    secondsPerLiquidityOutsideX128: u160(
      secondsPerLiquidityCumulativeX128 - info.secondsPerLiquidityOutsideX128,
    ),
    tickCumulativeOutside: i56(tickCumulative - info.tickCumulativeOutside),
    secondsOutside: u32(time - info.secondsOutside),
  };
  return { ticks: ticks.set(tick, crossed), liquidityNet: info.liquidityNet };
}
