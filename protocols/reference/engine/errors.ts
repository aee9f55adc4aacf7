/**
 * Predicted reverts: one constructor per custom error of the contracts, each with a sentence
 * saying why ("this will revert, because …"), and the internal signal that carries one out of
 * an operation.
 *
 * Why: the engine is written like the Solidity it mirrors — a check that fails stops the whole
 * call, wherever it sits, and every state change made before it is discarded. Internally that
 * is a thrown `Revert` (so nested helpers read like the contract's internal functions); each
 * public operation catches it at its boundary and returns it as a typed `{ ok: false, error }`,
 * so nothing outside the engine ever sees an exception.
 */
import type { Address, EngineError, ErrorArgs, ErrorName } from "./types.js";

/** The internal "this call reverts" signal. Never escapes a public engine function. */
export class Revert extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
    this.name = "Revert";
  }
}

function make<K extends ErrorName>(name: K, args: ErrorArgs[K], because: string): EngineError {
  return {
    name,
    args,
    message: `this will revert with ${name}, because ${because}`,
  } as EngineError;
}

const PANIC_REASONS: Record<string, string> = {
  "17": "an arithmetic operation overflows its type (Solidity 0.8 checked arithmetic)",
  "18": "it divides by zero",
};

export const errors = {
  notOwner: (what = "the contract"): EngineError =>
    make("NotOwner", {}, `only the owner of ${what} may call this`),
  accountNotFound: (accountId: bigint): EngineError =>
    make("AccountNotFound", { accountId }, `account ${accountId} does not exist`),
  notAccountOwner: (accountId: bigint, caller: Address): EngineError =>
    make("NotAccountOwner", { accountId, caller }, `${caller} does not own account ${accountId}`),
  marketNotFound: (marketId: bigint): EngineError =>
    make("MarketNotFound", { marketId }, `market ${marketId} does not exist`),
  tooManyMarkets: (): EngineError =>
    make("TooManyMarkets", {}, "the exchange already has the maximum of 256 markets"),
  invalidMarketParams: (field: number, why: string): EngineError =>
    make("InvalidMarketParams", { field }, `market parameter #${field} ${why}`),
  zeroAmount: (): EngineError => make("ZeroAmount", {}, "the amount is zero"),
  amountTooLarge: (amount: bigint): EngineError =>
    make("AmountTooLarge", { amount }, `the amount ${amount} exceeds MAX_PARAM (1e30)`),
  zeroSizeDelta: (): EngineError => make("ZeroSizeDelta", {}, "the size delta is zero"),
  noPrice: (marketId: bigint): EngineError =>
    make("NoPrice", { marketId }, `the oracle has no price for market ${marketId}`),
  stalePrice: (marketId: bigint, publishTime: bigint, age: bigint, maxAge: bigint): EngineError =>
    make(
      "StalePrice",
      { marketId, publishTime },
      `market ${marketId}'s price is ${age}s old, more than maxPriceAge ${maxAge}s`,
    ),
  invalidFillPrice: (fillPrice: bigint): EngineError =>
    make("InvalidFillPrice", { fillPrice }, `the fill price ${fillPrice} is not positive`),
  maxOpenInterestExceeded: (marketId: bigint, sizeLong: bigint, sizeShort: bigint): EngineError =>
    make(
      "MaxOpenInterestExceeded",
      { marketId, sizeLong, sizeShort },
      `market ${marketId}'s open interest would grow to ${sizeLong} long / ${sizeShort} short, past its cap`,
    ),
  insufficientMargin: (equity: bigint, initialMargin: bigint): EngineError =>
    make(
      "InsufficientMargin",
      { equity, initialMargin },
      `equity ${equity} would be below the initial margin ${initialMargin}`,
    ),
  insufficientCollateral: (collateral: bigint, amount: bigint): EngineError =>
    make(
      "InsufficientCollateral",
      { collateral, amount },
      `the withdrawal ${amount} exceeds the collateral ${collateral}`,
    ),
  notLiquidatable: (equity: bigint, maintenanceMargin: bigint): EngineError =>
    make(
      "NotLiquidatable",
      { equity, maintenanceMargin },
      maintenanceMargin === 0n
        ? "the account has no open position"
        : `equity ${equity} is not below the maintenance margin ${maintenanceMargin}`,
    ),
  noPendingBadDebt: (accountId: bigint, marketId: bigint, isLong: boolean): EngineError =>
    make(
      "NoPendingBadDebt",
      { accountId, marketId, isLong },
      `account ${accountId} has no bad debt pending on the ${isLong ? "long" : "short"} side of market ${marketId}`,
    ),
  notOppositeSide: (accountId: bigint): EngineError =>
    make(
      "NotOppositeSide",
      { accountId },
      `account ${accountId} has no position on the side opposite the bankrupt one`,
    ),
  notInProfit: (accountId: bigint, pnl: bigint): EngineError =>
    make("NotInProfit", { accountId, pnl }, `account ${accountId}'s position is not in profit`),
  transferFailed: (): EngineError =>
    make("TransferFailed", {}, "the collateral token transfer returned false"),
  notUpdater: (caller: Address): EngineError =>
    make("NotUpdater", { caller }, `${caller} is not an authorised price updater`),
  zeroPrice: (marketId: bigint): EngineError =>
    make("ZeroPrice", { marketId }, `the price for market ${marketId} is zero`),
  lengthMismatch: (): EngineError =>
    make("LengthMismatch", {}, "the market id and price arrays differ in length"),
  insufficientBalance: (account: Address, balance: bigint, needed: bigint): EngineError =>
    make(
      "InsufficientBalance",
      { account, balance, needed },
      `the exchange holds ${balance} of the collateral token and must pay ${needed}`,
    ),
  panic: (code: bigint): EngineError =>
    make("Panic", { code }, PANIC_REASONS[code.toString()] ?? `Solidity panics (code ${code})`),
  invalidInput: (field: string, reason: string): EngineError => ({
    name: "InvalidInput",
    args: { field, reason },
    message: `no transaction can carry this input: ${field} ${reason}`,
  }),
};

/** Reverts the current operation with `error`. */
export function revert(error: EngineError): never {
  throw new Revert(error);
}

/** Reverts with Solidity's `Panic(code)`. */
export function panic(code: bigint): never {
  throw new Revert(errors.panic(code));
}
