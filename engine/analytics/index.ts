/**
 * Cascade-risk analytics: float64 portfolio math over typed arrays — closed-form liquidation
 * thresholds, liquidation ladders, cascade simulation with market impact, stress grids and
 * Monte-Carlo VaR/LaR.
 *
 * Build a `PositionStore` from the exact engine's plain data (`bookOf(state, timestamp, referenceRiskModel)`), then
 * call what you need; every function takes plain data and returns plain data (typed arrays
 * included). Where analytics and the exact engine meet — is this account liquidatable at
 * these prices — they agree (liquidationThreshold.test.ts).
 */

export { SeededRandom } from "../seededRandom.js";
export {
  type CascadeContext,
  type CascadeOptions,
  type CascadeResult,
  type CascadeRound,
  cascade,
  MIN_MOVE,
  prepareCascade,
  runCascade,
  type Shock,
  shockMoves,
} from "./cascade.js";
export { cholesky } from "./cholesky.js";
export { fromD18, toD18 } from "./d18.js";
export {
  DEFAULT_CORRELATION,
  DEFAULT_MARKETS,
  type DecimalMarketParams,
  type DefaultMarket,
  defaultMarket,
} from "./defaultMarkets.js";
export { type AccountHealth, healthAt, isLiquidatableAt, waterfall } from "./health.js";
export { type ImpactModel, impactMove } from "./impact.js";
export {
  type LadderOptions,
  type LadderPoint,
  ladderMoves,
  liquidationLadders,
  type MarketLadder,
} from "./ladder.js";
export {
  isBeyond,
  marketThresholds,
  shockThresholds,
  solveThreshold,
  type Thresholds,
  thresholdPrices,
} from "./liquidationThreshold.js";
export { type MarkExposure, markExposure } from "./markExposure.js";
export {
  defaultMarketModel,
  type MarketModel,
  type MarketRiskParams,
  shockBetas,
  spilloverMatrix,
  validateMarketModel,
} from "./marketModel.js";
export {
  type BookInput,
  bookOf,
  buildPositionStore,
  marketIndex,
  type PositionStore,
  storeBytes,
} from "./positionStore.js";
export { type PathOptions, PricePaths } from "./pricePaths.js";
export {
  accountReach,
  FALLS,
  listWithinReach,
  MIXED,
  type ReachOrder,
  RISES,
  reachOrder,
} from "./reachOrder.js";
export {
  linspace,
  type StressGrid,
  type StressOptions,
  type StressRow,
  stressGrid,
} from "./stressGrid.js";
export {
  DEVNET_MARKET_SPECS,
  type HandmadeAccount,
  handmadeBook,
  type SyntheticBook,
  type SyntheticBookOptions,
  type SyntheticMarketSpec,
  syntheticBook,
  syntheticMarketSpecs,
} from "./syntheticBook.js";
export { type Quantiles, type VarOptions, type VarResult, valueAtRisk } from "./valueAtRisk.js";
