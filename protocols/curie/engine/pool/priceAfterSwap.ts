/**
 * Market impact through the pool's real liquidity, tick by tick: the pool after a swap of a
 * given base size, the way Curie trades it (token0 is the base in every Curie pool). Buying
 * base (closing a short) is an exact-output swap of quote for base; selling base (closing a
 * long) is an exact-input swap of base. No price limit, as Curie's liquidations use none; a
 * buy larger than the pool can fill stops at the price bound (Curie would revert 'UB_UOA').
 */
import type { PoolState } from "./poolState.js";
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from "./sdkMath.js";
import { swap } from "./swap.js";

export interface PriceAfterSwap {
  sqrtPriceX96: bigint;
  tick: number;
  /** Pool's signed token0 (base) delta: < 0 when the pool pays base out. */
  amount0: bigint;
  /** Pool's signed token1 (quote) delta. */
  amount1: bigint;
}

/** `baseAmount` > 0 buys that much base from the pool, < 0 sells it; 0 is no trade. */
export function priceAfterSwap(s: PoolState, baseAmount: bigint, time: number): PriceAfterSwap {
  if (baseAmount === 0n)
    return { sqrtPriceX96: s.sqrtPriceX96, tick: s.tick, amount0: 0n, amount1: 0n };
  const buy = baseAmount > 0n;
  const r = swap(s, {
    zeroForOne: !buy,
    // Buy: exact output of base (negative); sell: exact input of |baseAmount| (positive).
    amountSpecified: -baseAmount,
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
