/**
 * Replaying a pool `Swap` event. The event gives the signed amounts and the price, liquidity
 * and tick after the swap, not the call's (amountSpecified, sqrtPriceLimitX96). Exact input or
 * exact output, stopped by the amount (replayed with the extreme price limit) or by a price
 * limit (replayed with the event's price as the limit, and the amount used — or one wei more
 * when the amount outlasted the liquidity and the price ran on through empty ranges).
 * Each candidate is replayed until one reproduces the event exactly; two calls that produce
 * the same amounts and final price cross the same ticks and take the same fees (the last
 * step's fee is the input left over, or the same rounded-up fee), so the state is the same.
 */

import { PoolRevert } from "./poolRevert.js";
import type { PoolState } from "./poolState.js";
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from "./sdkMath.js";
import { type SwapResult, type SwapStep, swap } from "./swap.js";

/** The data of UniswapV3Pool's `Swap(sender, recipient, amount0, amount1, sqrtPriceX96, liquidity, tick)`. */
export interface SwapEvent {
  amount0: bigint;
  amount1: bigint;
  sqrtPriceX96: bigint;
  liquidity: bigint;
  tick: number;
}

function matches(r: SwapResult, e: SwapEvent): boolean {
  return (
    r.amount0 === e.amount0 &&
    r.amount1 === e.amount1 &&
    r.state.sqrtPriceX96 === e.sqrtPriceX96 &&
    r.state.liquidity === e.liquidity &&
    r.state.tick === e.tick
  );
}

function describe(
  x: Pick<SwapEvent, "amount0" | "amount1" | "sqrtPriceX96" | "liquidity" | "tick">,
) {
  return `amount0 ${x.amount0}, amount1 ${x.amount1}, sqrtPriceX96 ${x.sqrtPriceX96}, liquidity ${x.liquidity}, tick ${x.tick}`;
}

/** Candidate calls, most likely first (Curie swaps without a price limit unless asked). */
function candidates(s: PoolState, e: SwapEvent) {
  const zeroForOne =
    e.sqrtPriceX96 !== s.sqrtPriceX96
      ? e.sqrtPriceX96 < s.sqrtPriceX96
      : e.amount0 > 0n || e.amount1 < 0n;
  const amountIn = zeroForOne ? e.amount0 : e.amount1;
  const amountOut = zeroForOne ? e.amount1 : e.amount0;
  const extreme = zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
  const limitInRange = zeroForOne
    ? e.sqrtPriceX96 < s.sqrtPriceX96 && e.sqrtPriceX96 > MIN_SQRT_RATIO
    : e.sqrtPriceX96 > s.sqrtPriceX96 && e.sqrtPriceX96 < MAX_SQRT_RATIO;
  const limits = limitInRange ? [extreme, e.sqrtPriceX96] : [extreme];
  const out: { zeroForOne: boolean; amountSpecified: bigint; sqrtPriceLimitX96: bigint }[] = [];
  for (const sqrtPriceLimitX96 of limits) {
    for (const amountSpecified of [amountIn, amountOut]) {
      if (amountSpecified !== 0n) out.push({ zeroForOne, amountSpecified, sqrtPriceLimitX96 });
    }
  }
  // Stopped at the limit after the amount outlasted the liquidity (even paying and getting
  // nothing, across empty ranges only): any larger amount replays it; one wei more is one.
  if (limitInRange) {
    for (const amountSpecified of [amountIn + 1n, amountOut - 1n]) {
      out.push({ zeroForOne, amountSpecified, sqrtPriceLimitX96: e.sqrtPriceX96 });
    }
  }
  return out;
}

/**
 * The state after the swap that emitted `e` at block time `time`, and its steps. Throws a
 * PoolMismatchError when no call reproduces the event (the mirror is not at the pool's state).
 */
export function applySwapEvent(
  s: PoolState,
  e: SwapEvent,
  time: number,
): { state: PoolState; steps: SwapStep[] } {
  let closest: SwapResult | undefined;
  for (const c of candidates(s, e)) {
    let r: SwapResult;
    try {
      r = swap(s, { ...c, time });
    } catch (err) {
      if (err instanceof PoolRevert) continue;
      throw err;
    }
    if (matches(r, e)) return { state: r.state, steps: r.steps };
    closest ??= r;
  }
  throw new PoolMismatchError(
    `pool mirror: no swap from sqrtPriceX96 ${s.sqrtPriceX96} (tick ${s.tick}, liquidity ${s.liquidity}) reproduces the Swap event ` +
      `(${describe(e)}); ${closest ? `the first replay gave ${describe({ ...closest, ...pick(closest.state) })}` : "every replay reverted"}`,
  );
}

function pick(s: PoolState) {
  return { sqrtPriceX96: s.sqrtPriceX96, liquidity: s.liquidity, tick: s.tick };
}

/** The mirror's state does not reproduce an event the pool emitted. */
export class PoolMismatchError extends Error {
  override name = "PoolMismatchError";
}
