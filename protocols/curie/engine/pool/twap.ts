/**
 * Curie's market TWAP (UniswapV3Broker.getSqrtMarketTwapX96From): under 10 s the pool's
 * current price; otherwise the sqrt price of the mean tick over the window, from `observe`
 * (int56 difference, division truncating toward zero, int24 cast) — what the mark price,
 * funding and the price checks of addLiquidity / openPosition read.
 */
import { observe } from "./oracle.js";
import type { PoolState } from "./poolState.js";
import { getSqrtRatioAtTick } from "./sdkMath.js";
import { i56, u32 } from "./uint.js";

/** Curie reads the spot price for intervals below this (seconds). */
const MIN_TWAP_INTERVAL = 10;

/** Exchange.getSqrtMarketTwapX96(base, twapInterval), `secondsAgo` before block time `time`. */
export function sqrtMarketTwapX96(
  s: PoolState,
  time: number,
  twapInterval: number,
  secondsAgo = 0,
): bigint {
  if (twapInterval < MIN_TWAP_INTERVAL) return s.sqrtPriceX96;
  const { tickCumulatives } = observe(s, time, [u32(secondsAgo + twapInterval), secondsAgo]);
  const meanTick = i56(tickCumulatives[1]! - tickCumulatives[0]!) / BigInt(twapInterval);
  return getSqrtRatioAtTick(Number(BigInt.asIntN(24, meanTick)));
}
