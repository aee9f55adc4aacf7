/**
 * Exact, pure mirror of a Uniswap v3 pool (v3-core 1.0.0) for Curie: every function takes a
 * PoolState and returns a new one, equal to the pool's storage to the wei after the same
 * calls or events. The clearing-house engine, the indexer and the cascade import it from here.
 */

export { flash } from "./flash.js";
export { IntMap } from "./intMap.js";
export { burn, mint, type PositionChange, type PositionChangeResult } from "./modifyPosition.js";
export { type Cumulatives, observe } from "./oracle.js";
export { applyPoolEvent, type PoolEvent } from "./poolEvents.js";
export { PoolRevert } from "./poolRevert.js";
export {
  increaseObservationCardinalityNext,
  initializedTicks,
  initializePool,
  maxLiquidityPerTick,
  type Observation,
  observationAt,
  type PoolState,
  type TickInfo,
  tickBitmapWord,
  tickInfo,
} from "./poolState.js";
export { curieSellAmountIn, type PriceAfterSwap, priceAfterSwap } from "./priceAfterSwap.js";
export {
  computeSwapStep,
  getAmount0Delta,
  getAmount1Delta,
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
  type SwapStepResult,
} from "./sdkMath.js";
export { type SwapArgs, type SwapResult, type SwapStep, swap } from "./swap.js";
export { applySwapEvent, PoolMismatchError, type SwapEvent } from "./swapEvent.js";
export { addDelta } from "./tick.js";
export { nextInitializedTickWithinOneWord } from "./tickBitmap.js";
export { sqrtMarketTwapX96 } from "./twap.js";
export { mulDiv, mulDivRoundingUp, Q96, Q128 } from "./uint.js";
