/**
 * Market impact through the pool's real liquidity, tick by tick: the pool after Curie's
 * ClearingHouse trades a given base position size (token0 is the base in every Curie pool),
 * without a price limit, as a liquidation's close does. Buying base (closing a short) is an
 * exact-output swap of exactly that base. Selling base (closing a long) is an exact-input
 * swap of the size scaled up by the pool's fee — Curie's `calcScaledAmountForSwaps` puts
 * ceil(size · 1e6 / (1e6 − fee)) base into the pool, so the trader's position moves by exactly
 * `size` after the Uniswap fee. A buy larger than the pool can fill stops at the price bound
 * (Curie would revert 'UB_UOA').
 */
import type { PoolState } from "./poolState.js";
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from "./sdkMath.js";
import { swap } from "./swap.js";
import { mulDivRoundingUp } from "./uint.js";

const ONE_HUNDRED_PERCENT = 1_000_000n;

export interface PriceAfterSwap {
  sqrtPriceX96: bigint;
  tick: number;
  /** Pool's signed token0 (base) delta: < 0 when the pool pays base out. */
  amount0: bigint;
  /** Pool's signed token1 (quote) delta. */
  amount1: bigint;
}

/** Base Curie swaps into the pool to sell `size` of position (SwapMath.calcAmountScaledByFeeRatio). */
export function curieSellAmountIn(s: PoolState, size: bigint): bigint {
  return mulDivRoundingUp(size, ONE_HUNDRED_PERCENT, ONE_HUNDRED_PERCENT - BigInt(s.fee));
}

/** `baseAmount` > 0: Curie buys that much base; < 0: sells that much; 0: no trade. */
export function priceAfterSwap(s: PoolState, baseAmount: bigint, time: number): PriceAfterSwap {
  if (baseAmount === 0n) {
    return { sqrtPriceX96: s.sqrtPriceX96, tick: s.tick, amount0: 0n, amount1: 0n };
  }
  const buy = baseAmount > 0n;
  const r = swap(s, {
    zeroForOne: !buy,
    amountSpecified: buy ? -baseAmount : curieSellAmountIn(s, -baseAmount),
    sqrtPriceLimitX96: buy ? MAX_SQRT_RATIO - 1n : MIN_SQRT_RATIO + 1n,
    time,
  });
  return {
    sqrtPriceX96: r.state.sqrtPriceX96,
    tick: r.state.tick,
    amount0: r.amount0,
    amount1: r.amount1,
  };
}
