/**
 * OrderBook.replaySwap: before every taker swap, Curie walks the pool's own swap loop a second
 * time with its exchange fee ratio (not the pool's) to charge the fee, give the insurance fund
 * its share, accrue maker fee growth and cross its own growth-outside ticks. No event reports
 * it, so the mirror runs the same loop on the pool state before the swap.
 */

import { crossTick } from "./funding.js";
import { mulDivUp, Q128 } from "./math.js";
import {
  addDelta,
  computeSwapStep,
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  type IntMap,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
  nextInitializedTickWithinOneWord,
  type PoolState,
  tickInfo,
} from "./pool/index.js";
import type { FundingGrowth, TickGrowth } from "./state.js";

export interface ReplaySwapParams {
  isBaseToQuote: boolean;
  /** > 0 exact input, < 0 exact output (SwapMath.calcScaledAmountForSwaps' replay amount). */
  amount: bigint;
  /** 0: no limit. */
  sqrtPriceLimitX96: bigint;
  exchangeFeeRatio: bigint;
  uniswapFeeRatio: bigint;
  insuranceFundFeeRatio: bigint;
  globalFundingGrowth: FundingGrowth;
}

export interface ReplaySwapResult {
  tick: number;
  fee: bigint;
  insuranceFundFee: bigint;
  feeGrowthGlobalX128: bigint;
  growthOutside: IntMap<TickGrowth>;
}

/** OrderBook.replaySwap with shouldUpdateState = true, from the pool state before the swap. */
export function replaySwap(
  pool: PoolState,
  feeGrowthGlobalX128: bigint,
  growthOutside: IntMap<TickGrowth>,
  p: ReplaySwapParams,
): ReplaySwapResult {
  const exactInput = p.amount > 0n;
  const limit =
    p.sqrtPriceLimitX96 === 0n
      ? p.isBaseToQuote
        ? MIN_SQRT_RATIO + 1n
        : MAX_SQRT_RATIO - 1n
      : p.sqrtPriceLimitX96;
  let remaining = p.amount;
  let sqrtPrice = pool.sqrtPriceX96;
  let tick = pool.tick;
  let liquidity = pool.liquidity;
  let feeGrowth = feeGrowthGlobalX128;
  let map = growthOutside;
  let fee = 0n;
  let insuranceFundFee = 0n;
  const feePips = Number(p.isBaseToQuote ? p.uniswapFeeRatio : p.exchangeFeeRatio);
  while (remaining !== 0n && sqrtPrice !== limit) {
    const initial = sqrtPrice;
    const { next, initialized } = nextInitializedTickWithinOneWord(pool, tick, p.isBaseToQuote);
    const nextTick = Math.min(Math.max(next, MIN_TICK), MAX_TICK);
    const nextSqrt = getSqrtRatioAtTick(nextTick);
    const target = (p.isBaseToQuote ? nextSqrt < limit : nextSqrt > limit) ? limit : nextSqrt;
    const step = computeSwapStep(sqrtPrice, target, liquidity, remaining, feePips);
    sqrtPrice = step.sqrtRatioNextX96;
    remaining = exactInput
      ? remaining - (step.amountIn + step.feeAmount)
      : remaining + step.amountOut;
    if (liquidity > 0n) {
      const stepFee = p.isBaseToQuote
        ? mulDivUp(step.amountOut, p.exchangeFeeRatio, 1_000_000n)
        : step.feeAmount;
      fee += stepFee;
      const stepInsuranceFundFee = mulDivUp(stepFee, p.insuranceFundFeeRatio, 1_000_000n);
      insuranceFundFee += stepInsuranceFundFee;
      feeGrowth = BigInt.asUintN(
        256,
        feeGrowth + ((stepFee - stepInsuranceFundFee) * Q128) / liquidity,
      );
    }
    if (sqrtPrice === nextSqrt) {
      if (initialized) {
        map = crossTick(map, nextTick, {
          feeX128: feeGrowth,
          twPremiumX96: p.globalFundingGrowth.twPremiumX96,
          twPremiumDivBySqrtPriceX96: p.globalFundingGrowth.twPremiumDivBySqrtPriceX96,
        });
        let net = tickInfo(pool, nextTick).liquidityNet;
        if (p.isBaseToQuote) net = -net;
        liquidity = addDelta(liquidity, net);
      }
      tick = p.isBaseToQuote ? nextTick - 1 : nextTick;
    } else if (sqrtPrice !== initial) {
      tick = getTickAtSqrtRatio(sqrtPrice);
    }
  }
  return { tick, fee, insuranceFundFee, feeGrowthGlobalX128: feeGrowth, growthOutside: map };
}
