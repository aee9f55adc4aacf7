/**
 * Funding: the Synthetix Perps v3 velocity model, checkpointed on every touch of a market.
 *
 * Why: funding is the only quantity that changes with time alone, so every health number at
 * a given block depends on replaying `_fundingNow` exactly: the velocity is the skew as a
 * fraction of skewScale, clamped to ±1, times maxFundingVelocity; the rate drifts linearly by
 * velocity × elapsed days; the index accrues the trapezoid −(r0 + r1)/2 × elapsed × price.
 * Each line below is the Solidity line it mirrors, in the same order, with the same checked
 * operations, so the index agrees to the wei at any block time.
 */
import type { Draft } from "./exchangeState.js";
import { add, divD, mulD, neg, ONE, SECONDS_PER_DAY, sub, toInt256, usub } from "./fixedPoint.js";
import type { ExchangeEvent, Market, MarketParams, MarketState, Position } from "./types.js";

const TWO_ONE = 2n * ONE;

/** `_velocity`: `clamp(skew / skewScale, -1, 1) * maxFundingVelocity` (per day, per day). */
export function fundingVelocity(skew: bigint, params: MarketParams): bigint {
  let pd = divD(skew, toInt256(params.skewScale));
  if (pd > ONE) pd = ONE;
  if (pd < -ONE) pd = -ONE;
  return mulD(pd, toInt256(params.maxFundingVelocity));
}

/** The funding rate (per day) and index (USD per unit of size) as of `now`, not stored. */
export interface FundingNow {
  rate: bigint;
  index: bigint;
}

/** `_fundingNow(marketId, price)` at block time `now`. `price` is the uint256 oracle price. */
export function fundingNow(
  state: MarketState,
  params: MarketParams,
  price: bigint,
  now: bigint,
): FundingNow {
  const velocity = fundingVelocity(state.skew, params);
  const elapsed = divD(toInt256(usub(now, state.lastFundingTime)), SECONDS_PER_DAY);
  const rate = add(state.lastFundingRate, mulD(velocity, elapsed));
  const unrecorded = mulD(
    mulD(neg(divD(add(state.lastFundingRate, rate), TWO_ONE)), elapsed),
    toInt256(price),
  );
  return { rate, index: add(state.lastFundingIndex, unrecorded) };
}

/** `_checkpoint`: stores the rate and index as of `now`. */
export function checkpointState(
  state: MarketState,
  params: MarketParams,
  price: bigint,
  now: bigint,
): MarketState {
  const { rate, index } = fundingNow(state, params, price, now);
  return { ...state, lastFundingRate: rate, lastFundingIndex: index, lastFundingTime: now };
}

/** `_checkpoint(marketId, price)` inside an operation. */
export function checkpoint(d: Draft, market: Market, price: bigint): Market {
  const next = { ...market, state: checkpointState(market.state, market.params, price, d.now) };
  d.putMarket(next);
  return next;
}

/** The `FundingUpdated` event `_emitFunding` emits for `market` at `price`. */
export function fundingUpdatedEvent(market: Market, price: bigint): ExchangeEvent {
  const s = market.state;
  return {
    name: "FundingUpdated",
    args: {
      marketId: market.marketId,
      price,
      skew: s.skew,
      fundingRate: s.lastFundingRate,
      fundingVelocity: fundingVelocity(s.skew, market.params),
      fundingIndex: s.lastFundingIndex,
      timestamp: s.lastFundingTime,
    },
  };
}

/** `_emitFunding(marketId, price)` inside an operation (reads the market as it is now). */
export function emitFunding(d: Draft, marketId: bigint, price: bigint): void {
  const m = d.market(marketId);
  if (m) d.emit(fundingUpdatedEvent(m, price));
}

/** Funding a position has accrued since it was last realized: `size * (index - lastIndex)`. */
export function accruedFunding(position: Position, fundingIndex: bigint): bigint {
  return mulD(position.size, sub(fundingIndex, position.lastFundingIndex));
}
