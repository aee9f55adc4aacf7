/**
 * The price oracle: keepers push one price per market id, stamped with the block time, and the
 * exchange reads it either as is or through a staleness check.
 *
 * Why its own file: staleness is the one place where chain time alone decides whether a trade,
 * a withdrawal or a liquidation can happen at all, and the exchange reads prices in two ways
 * that must not be confused: `_oraclePrice` (views, market admin, closing at liquidation:
 * whatever is stored, even 0 or stale) and `_freshPrice` (trades, withdrawals, liquidation
 * checkpoints, ADL: reverts `NoPrice` / `StalePrice`). This file mirrors `PriceOracle.sol` and
 * both readers.
 */
import { errors, revert } from "./errors.js";
import { type Draft, readView, transact } from "./exchangeState.js";
import { usub } from "./fixedPoint.js";
import * as input from "./input.js";
import type {
  Context,
  ExchangeState,
  OpResult,
  OraclePrice,
  SetPriceInput,
  SetPricesInput,
  SetUpdaterInput,
  ViewResult,
} from "./types.js";

/** `_oraclePrice`: the stored price, 0 when there is none. */
export function oraclePrice(d: Draft, marketId: bigint): bigint {
  return d.price(marketId).price;
}

/** `_freshPrice`: the stored price, reverting when there is none or it is older than maxPriceAge. */
export function freshPrice(d: Draft, marketId: bigint): bigint {
  const { price, publishTime } = d.price(marketId);
  if (price === 0n) revert(errors.noPrice(marketId));
  const age = usub(d.now, publishTime);
  if (age > d.maxPriceAge) revert(errors.stalePrice(marketId, publishTime, age, d.maxPriceAge));
  return price;
}

function setOne(d: Draft, marketId: bigint, price: bigint): void {
  if (price === 0n) revert(errors.zeroPrice(marketId));
  d.putPrice(marketId, { price, publishTime: d.now });
  d.emit({ name: "PriceUpdated", args: { marketId, price, publishTime: d.now } });
}

/** `PriceOracle.setPrice`. */
export function setPrice(state: ExchangeState, args: SetPriceInput, ctx: Context): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const marketId = input.uint256(o.marketId, "marketId");
    const price = input.uint256(o.price, "price");
    if (!d.isUpdater(d.sender)) revert(errors.notUpdater(d.sender));
    setOne(d, marketId, price);
  });
}

/** `PriceOracle.setPrices`. */
export function setPrices(state: ExchangeState, args: SetPricesInput, ctx: Context): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const ids = input.uint256Array(o.marketIds, "marketIds");
    const prices = input.uint256Array(o.prices, "prices");
    if (!d.isUpdater(d.sender)) revert(errors.notUpdater(d.sender));
    if (ids.length !== prices.length) revert(errors.lengthMismatch());
    for (let i = 0; i < ids.length; i++) setOne(d, ids[i]!, prices[i]!);
  });
}

/** `PriceOracle.setUpdater`. */
export function setUpdater(state: ExchangeState, args: SetUpdaterInput, ctx: Context): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const updater = input.address(o.updater, "updater");
    const allowed = input.bool(o.allowed, "allowed");
    if (d.sender !== d.base.oracle.owner) revert(errors.notOwner("the oracle"));
    d.putUpdater(updater, allowed);
    d.emit({ name: "UpdaterSet", args: { updater, allowed } });
  });
}

/** `PriceOracle.getPrice`. */
export function getPrice(state: ExchangeState, marketId: bigint): OraclePrice {
  return state.oracle.prices[marketId.toString()] ?? { price: 0n, publishTime: 0n };
}

/** Seconds since the price of `marketId` was published, at block time `timestamp`. */
export function priceAge(state: ExchangeState, marketId: bigint, timestamp: bigint): bigint {
  return timestamp - getPrice(state, marketId).publishTime;
}

/**
 * Whether a fresh-price read of `marketId` would pass at `timestamp`: the typed `NoPrice` or
 * `StalePrice` error when it would not, the price when it would.
 */
export function checkFreshPrice(
  state: ExchangeState,
  marketId: bigint,
  timestamp: bigint,
): ViewResult<bigint> {
  return readView(state, timestamp, (d) => freshPrice(d, marketId));
}
