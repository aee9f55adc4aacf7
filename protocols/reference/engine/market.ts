/**
 * Markets: creation, parameter changes, the staleness limit, and the market lookup every
 * operation starts with.
 *
 * Why: parameters are part of the funding and margin math, so when they change matters to the
 * wei — `setMarketParams` checkpoints funding under the old velocity (at the stored oracle
 * price, stale or not) before the new parameters apply. Validation is the contract's
 * `_validateParams`, field by field in the same order, so the same field number is named.
 */
import { errors, revert } from "./errors.js";
import { type Draft, transact } from "./exchangeState.js";
import { ONE, uadd } from "./fixedPoint.js";
import { checkpoint, fundingUpdatedEvent } from "./funding.js";
import * as input from "./input.js";
import { oraclePrice } from "./oracle.js";
import type {
  Context,
  CreateMarketInput,
  ExchangeEvent,
  ExchangeState,
  Market,
  MarketParams,
  OpResult,
  SetMarketParamsInput,
  SetMaxPriceAgeInput,
} from "./types.js";

/** Upper bound on any market parameter and on one deposit. */
export const MAX_PARAM = 10n ** 30n;
export const MAX_MARKETS = 256n;

/** `_market(marketId)`: the market, or `MarketNotFound`. */
export function requireMarket(d: Draft, marketId: bigint): Market {
  const m = d.market(marketId);
  if (!m) revert(errors.marketNotFound(marketId));
  return m;
}

/** `_validateParams`: the first invalid field's number (0-based, in struct order), or null. */
export function invalidParamsField(p: MarketParams): { field: number; why: string } | null {
  if (p.skewScale === 0n || p.skewScale > MAX_PARAM) {
    return { field: 0, why: "skewScale must be in (0, 1e30]" };
  }
  if (p.maxFundingVelocity > MAX_PARAM) return { field: 1, why: "maxFundingVelocity > 1e30" };
  if (p.imrScalar > MAX_PARAM) return { field: 2, why: "imrScalar > 1e30" };
  if (p.imrMin > ONE) return { field: 3, why: "imrMin > 1 (1e18)" };
  if (p.mmScalar === 0n || p.mmScalar > ONE) return { field: 4, why: "mmScalar must be in (0, 1]" };
  if (p.minPositionMargin > MAX_PARAM) return { field: 5, why: "minPositionMargin > 1e30" };
  if (p.takerFee > ONE / 10n) return { field: 6, why: "takerFee > 0.1" };
  if (p.keeperRewardRatio > ONE) return { field: 7, why: "keeperRewardRatio > 1" };
  if (p.maxKeeperReward > MAX_PARAM) return { field: 8, why: "maxKeeperReward > 1e30" };
  if (p.liquidationPenaltyRatio > ONE) return { field: 9, why: "liquidationPenaltyRatio > 1" };
  if (p.maxOpenInterest === 0n || p.maxOpenInterest > MAX_PARAM) {
    return { field: 10, why: "maxOpenInterest must be in (0, 1e30]" };
  }
  return null;
}

function validateParams(p: MarketParams): void {
  const bad = invalidParamsField(p);
  if (bad) revert(errors.invalidMarketParams(bad.field, bad.why));
}

function paramsEvent(marketId: bigint, p: MarketParams): ExchangeEvent {
  return { name: "MarketParamsSet", args: { marketId, ...p } };
}

function requireOwner(d: Draft): void {
  if (d.sender !== d.base.owner) revert(errors.notOwner("the exchange"));
}

/** `createMarket(symbol, params)`: the new market id is `marketCount + 1`. */
export function createMarket(
  state: ExchangeState,
  args: CreateMarketInput,
  ctx: Context,
): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const symbol = input.str(o.symbol, "symbol");
    const params = input.marketParams(o.params, "params");
    requireOwner(d);
    if (d.marketCount >= MAX_MARKETS) revert(errors.tooManyMarkets());
    validateParams(params);
    const marketId = uadd(d.marketCount, 1n);
    const market: Market = {
      marketId,
      symbol,
      params,
      state: {
        skew: 0n,
        sizeLong: 0n,
        sizeShort: 0n,
        lastFundingRate: 0n,
        lastFundingIndex: 0n,
        lastFundingTime: d.now,
        badDebt: 0n,
      },
    };
    d.putMarket(market);
    d.emit({ name: "MarketCreated", args: { marketId, symbol } });
    d.emit(paramsEvent(marketId, params));
    d.emit(fundingUpdatedEvent(market, oraclePrice(d, marketId)));
  });
}

/** `setMarketParams(marketId, params)`: checkpoints funding under the old parameters first. */
export function setMarketParams(
  state: ExchangeState,
  args: SetMarketParamsInput,
  ctx: Context,
): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const marketId = input.uint256(o.marketId, "marketId");
    const params = input.marketParams(o.params, "params");
    requireOwner(d);
    requireMarket(d, marketId);
    validateParams(params);
    const price = oraclePrice(d, marketId);
    const m = checkpoint(d, requireMarket(d, marketId), price);
    const next = { ...m, params };
    d.putMarket(next);
    d.emit(paramsEvent(marketId, params));
    d.emit(fundingUpdatedEvent(next, price));
  });
}

/** `setMaxPriceAge(maxPriceAge)`. */
export function setMaxPriceAge(
  state: ExchangeState,
  args: SetMaxPriceAgeInput,
  ctx: Context,
): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const maxPriceAge = input.uint256(o.maxPriceAge, "maxPriceAge");
    requireOwner(d);
    d.maxPriceAge = maxPriceAge;
    d.emit({ name: "MaxPriceAgeSet", args: { maxPriceAge } });
  });
}
