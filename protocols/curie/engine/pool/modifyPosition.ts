/**
 * `mint` and `burn` (v3-core `_modifyPosition` / `_updatePosition`): update both boundary
 * ticks with the oracle's current cumulatives, flip their bitmap bits when they become
 * (un)initialized, and — when the range holds the current price — write an observation
 * (with the liquidity before) and change the active liquidity. Amounts round up on mint and
 * down on burn, as the pool's signed SqrtPriceMath helpers do.
 */
import { observeSingle, writeObservation } from "./oracle.js";
import { PoolRevert } from "./poolRevert.js";
import type { PoolState } from "./poolState.js";
import {
  getAmount0Delta,
  getAmount1Delta,
  getSqrtRatioAtTick,
  MAX_TICK,
  MIN_TICK,
} from "./sdkMath.js";
import { addDelta, toInt128, updateTick } from "./tick.js";
import { flipTick } from "./tickBitmap.js";
import { u32 } from "./uint.js";

export interface PositionChange {
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  /** Block timestamp of the mint or burn. */
  time: number;
}

export interface PositionChangeResult {
  state: PoolState;
  amount0: bigint;
  amount1: bigint;
}

function checkTicks(tickLower: number, tickUpper: number): void {
  if (!(tickLower < tickUpper))
    throw new PoolRevert("TLU", `tickLower ${tickLower} ≥ tickUpper ${tickUpper}`);
  if (tickLower < MIN_TICK) throw new PoolRevert("TLM", `tickLower ${tickLower} < ${MIN_TICK}`);
  if (tickUpper > MAX_TICK) throw new PoolRevert("TUM", `tickUpper ${tickUpper} > ${MAX_TICK}`);
}

/** SqrtPriceMath.getAmount0Delta / getAmount1Delta, signed form: up when adding, down when removing. */
function signedAmount(
  delta: (a: bigint, b: bigint, l: bigint, up: boolean) => bigint,
  a: bigint,
  b: bigint,
  liquidityDelta: bigint,
): bigint {
  return liquidityDelta < 0n
    ? -delta(a, b, -liquidityDelta, false)
    : delta(a, b, liquidityDelta, true);
}

function modifyPosition(
  s: PoolState,
  tickLower: number,
  tickUpper: number,
  liquidityDelta: bigint,
  time: number,
): { state: PoolState; amount0: bigint; amount1: bigint } {
  checkTicks(tickLower, tickUpper);
  if (liquidityDelta === 0n) return { state: s, amount0: 0n, amount1: 0n };
  const now = u32(time);
  const { tickCumulative, secondsPerLiquidityCumulativeX128 } = observeSingle(s, now, 0);
  const common = {
    tickCurrent: s.tick,
    liquidityDelta,
    feeGrowthGlobal0X128: s.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: s.feeGrowthGlobal1X128,
    secondsPerLiquidityCumulativeX128,
    tickCumulative,
    time: now,
    maxLiquidity: s.maxLiquidityPerTick,
  };
  const lower = updateTick(s.ticks, { ...common, tick: tickLower, upper: false });
  const upper = updateTick(lower.ticks, { ...common, tick: tickUpper, upper: true });
  let tickBitmap = s.tickBitmap;
  if (lower.flipped) tickBitmap = flipTick(tickBitmap, tickLower, s.tickSpacing);
  if (upper.flipped) tickBitmap = flipTick(tickBitmap, tickUpper, s.tickSpacing);
  let state: PoolState = { ...s, ticks: upper.ticks, tickBitmap };

  const sqrtLower = getSqrtRatioAtTick(tickLower);
  const sqrtUpper = getSqrtRatioAtTick(tickUpper);
  let amount0 = 0n;
  let amount1 = 0n;
  if (s.tick < tickLower) {
    amount0 = signedAmount(getAmount0Delta, sqrtLower, sqrtUpper, liquidityDelta);
  } else if (s.tick < tickUpper) {
    state = {
      ...state,
      ...writeObservation(s, now),
      liquidity: addDelta(s.liquidity, liquidityDelta),
    };
    amount0 = signedAmount(getAmount0Delta, s.sqrtPriceX96, sqrtUpper, liquidityDelta);
    amount1 = signedAmount(getAmount1Delta, sqrtLower, s.sqrtPriceX96, liquidityDelta);
  } else {
    amount1 = signedAmount(getAmount1Delta, sqrtLower, sqrtUpper, liquidityDelta);
  }
  return { state, amount0, amount1 };
}

function checkAmount(fn: string, liquidity: bigint): void {
  if (liquidity < 0n || liquidity > (1n << 128n) - 1n) {
    throw new RangeError(`${fn}: liquidity ${liquidity} is not a uint128`);
  }
}

/** `mint(owner, tickLower, tickUpper, amount)`: amounts the minter pays (rounded up). */
export function mint(s: PoolState, a: PositionChange): PositionChangeResult {
  checkAmount("mint", a.liquidity);
  if (a.liquidity === 0n) throw new PoolRevert("", "mint amount must be > 0");
  return modifyPosition(s, a.tickLower, a.tickUpper, toInt128(a.liquidity), a.time);
}

/**
 * `burn(tickLower, tickUpper, amount)`: amounts owed back (rounded down). The pool also checks
 * the caller's position holds the liquidity ('NP', 'LS'); positions are not mirrored, so a
 * burn of liquidity that was never minted surfaces only through the ticks ('LS').
 */
export function burn(s: PoolState, a: PositionChange): PositionChangeResult {
  checkAmount("burn", a.liquidity);
  const r = modifyPosition(s, a.tickLower, a.tickUpper, -toInt128(a.liquidity), a.time);
  return { state: r.state, amount0: -r.amount0, amount1: -r.amount1 };
}
