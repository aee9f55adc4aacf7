/**
 * The exact engine: a pure bigint mirror of `PerpExchange.sol` (and its oracle) that
 * reproduces every value and every revert to the wei.
 *
 * Operations are `(state, input, ctx) => { ok: true, state, events } | { ok: false, error }`;
 * views are `(state, …, timestamp) => value | { ok, value | error }`. All inputs and outputs
 * are the plain data of `types.ts`.
 */

export { createAccount } from "./account.js";
export {
  accountingBreaks,
  type BalanceSheet,
  type Ledger,
  ledgerAfter,
  openingLedger,
} from "./accounting.js";
export {
  type AdlCandidate,
  adlKey,
  autoDeleverage,
  hasPendingBadDebt,
  parseAdlKey,
  rankAdlCounterparties,
} from "./adl.js";
export { modifyCollateral } from "./collateral.js";
export { errors } from "./errors.js";
export {
  type DeployInput,
  deployedState,
  normalizeAddress,
  receiveTokens,
  ZERO_ADDRESS,
} from "./exchangeState.js";
export { fillPrice, fillPriceView, takerFee } from "./fillPrice.js";
export * as fixedPoint from "./fixedPoint.js";
export {
  checkpointState,
  type FundingNow,
  fundingNow,
  fundingVelocity,
} from "./funding.js";
export { depositInsuranceFund } from "./insuranceFund.js";
export { liquidate } from "./liquidation.js";
export {
  accountHealth,
  accountHealthDetails,
  canLiquidate,
  healthWithMarks,
  isLiquidatable,
  type MarketMark,
  type MarketMarks,
  marginRatio,
  marketMarks,
  type PositionHealth,
  positionMargins,
} from "./margin.js";
export {
  createMarket,
  invalidParamsField,
  MAX_MARKETS,
  MAX_PARAM,
  setMarketParams,
  setMaxPriceAge,
} from "./market.js";
export { applyOperation } from "./operations.js";
export { checkFreshPrice, getPrice, priceAge, setPrice, setPrices, setUpdater } from "./oracle.js";
export { isReducing, modifyPosition } from "./trade.js";
export * from "./types.js";
export {
  currentFundingRate,
  fundingIndex,
  getAccount,
  getAdlRecord,
  getFundingVelocity,
  getMarket,
  getPosition,
  marketCount,
} from "./views.js";
