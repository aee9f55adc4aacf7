/**
 * `swap` (v3-core UniswapV3Pool.swap) on a PoolState: the step loop over bitmap words and
 * initialized ticks, fee growth per step (uint256 wrap-around), tick crossings with the
 * oracle's cumulatives computed once per swap, and one observation written only when the tick
 * changed. No protocol fee: Curie's pools never turn it on (`setFeeProtocol` is not mirrored).
 */
import { type Cumulatives, observeSingle, writeObservation } from "./oracle.js";
import { PoolRevert } from "./poolRevert.js";
import type { PoolState } from "./poolState.js";
import {
  computeSwapStep,
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
} from "./sdkMath.js";
import { addDelta, crossTick } from "./tick.js";
import { nextInitializedTickInBitmap } from "./tickBitmap.js";
import { mulDiv, Q128, u32, u256 } from "./uint.js";

export interface SwapArgs {
  zeroForOne: boolean;
  /** > 0: exact input; < 0: exact output. */
  amountSpecified: bigint;
  sqrtPriceLimitX96: bigint;
  /** Block timestamp of the swap. */
  time: number;
}

/** One iteration of the pool's swap loop. */
export interface SwapStep {
  sqrtPriceStartX96: bigint;
  tickNext: number;
  /** Whether tickNext is an initialized tick (else a word boundary or MIN/MAX_TICK). */
  initialized: boolean;
  /** Sqrt price at tickNext. */
  sqrtPriceNextX96: bigint;
  /** Sqrt price where the step ended (tickNext's, the limit, or where the amount ran out). */
  sqrtPriceEndX96: bigint;
  amountIn: bigint;
  amountOut: bigint;
  feeAmount: bigint;
  /** Active liquidity during the step (before any crossing at its end). */
  liquidity: bigint;
  /** The step ended on tickNext and crossed it (initialized: liquidity changed by its net). */
  crossed: boolean;
}

export interface SwapResult {
  state: PoolState;
  amount0: bigint;
  amount1: bigint;
  steps: SwapStep[];
}

function checkLimit(s: PoolState, zeroForOne: boolean, limit: bigint): void {
  const ok = zeroForOne
    ? limit < s.sqrtPriceX96 && limit > MIN_SQRT_RATIO
    : limit > s.sqrtPriceX96 && limit < MAX_SQRT_RATIO;
  if (!ok) {
    throw new PoolRevert(
      "SPL",
      `sqrtPriceLimitX96 ${limit} is not strictly ${zeroForOne ? "below" : "above"} the price ${s.sqrtPriceX96} within the pool's bounds`,
    );
  }
}

export function swap(s: PoolState, a: SwapArgs): SwapResult {
  const { zeroForOne, amountSpecified, sqrtPriceLimitX96: limit } = a;
  if (amountSpecified === 0n) throw new PoolRevert("AS", "amountSpecified is 0");
  checkLimit(s, zeroForOne, limit);
  const time = u32(a.time);
  const exactInput = amountSpecified > 0n;
  let remaining = amountSpecified;
  let calculated = 0n;
  let price = s.sqrtPriceX96;
  let tick = s.tick;
  let liquidity = s.liquidity;
  let feeGrowth = zeroForOne ? s.feeGrowthGlobal0X128 : s.feeGrowthGlobal1X128;
  let ticks = s.ticks;
  let latest: Cumulatives | undefined;
  const steps: SwapStep[] = [];

  while (remaining !== 0n && price !== limit) {
    const start = price;
    const found = nextInitializedTickInBitmap(s.tickBitmap, tick, s.tickSpacing, zeroForOne);
    const tickNext = Math.min(Math.max(found.next, MIN_TICK), MAX_TICK);
    const sqrtNext = getSqrtRatioAtTick(tickNext);
    const target = (zeroForOne ? sqrtNext < limit : sqrtNext > limit) ? limit : sqrtNext;
    const r = computeSwapStep(price, target, liquidity, remaining, s.fee);
    price = r.sqrtRatioNextX96;
    if (exactInput) {
      remaining -= r.amountIn + r.feeAmount;
      calculated -= r.amountOut;
    } else {
      remaining += r.amountOut;
      calculated += r.amountIn + r.feeAmount;
    }
    if (liquidity > 0n) feeGrowth = u256(feeGrowth + mulDiv(r.feeAmount, Q128, liquidity));
    const step: SwapStep = {
      sqrtPriceStartX96: start,
      tickNext,
      initialized: found.initialized,
      sqrtPriceNextX96: sqrtNext,
      sqrtPriceEndX96: price,
      amountIn: r.amountIn,
      amountOut: r.amountOut,
      feeAmount: r.feeAmount,
      liquidity,
      crossed: price === sqrtNext,
    };
    steps.push(step);
    if (price === sqrtNext) {
      if (found.initialized) {
        latest ??= observeSingle(s, time, 0);
        const crossed = crossTick(
          ticks,
          tickNext,
          zeroForOne ? feeGrowth : s.feeGrowthGlobal0X128,
          zeroForOne ? s.feeGrowthGlobal1X128 : feeGrowth,
          latest.secondsPerLiquidityCumulativeX128,
          latest.tickCumulative,
          time,
        );
        ticks = crossed.ticks;
        liquidity = addDelta(liquidity, zeroForOne ? -crossed.liquidityNet : crossed.liquidityNet);
      }
      tick = zeroForOne ? tickNext - 1 : tickNext;
    } else if (price !== start) {
      tick = getTickAtSqrtRatio(price);
    }
  }

  const oracle = tick !== s.tick ? writeObservation(s, time) : undefined;
  const state: PoolState = {
    ...s,
    ...oracle,
    sqrtPriceX96: price,
    tick,
    liquidity,
    ticks,
    feeGrowthGlobal0X128: zeroForOne ? feeGrowth : s.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: zeroForOne ? s.feeGrowthGlobal1X128 : feeGrowth,
  };
  const specifiedUsed = amountSpecified - remaining;
  const [amount0, amount1] =
    zeroForOne === exactInput ? [specifiedUsed, calculated] : [calculated, specifiedUsed];
  return { state, amount0, amount1, steps };
}
