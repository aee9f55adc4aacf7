/**
 * The insurance fund: what it receives (deposits, taker fees, liquidation penalties) and what
 * it pays (bad debt it can cover, up to its balance).
 *
 * Why its own file: the fund is the buffer between a bankrupt account and ADL, so its balance
 * after every operation decides whether the next liquidation leaves bad debt. Every change is
 * an `InsuranceFundUpdated` event carrying the new balance, which the indexer checks against.
 */
import { errors, revert } from "./errors.js";
import { type Draft, transact } from "./exchangeState.js";
import { uadd, usub } from "./fixedPoint.js";
import * as input from "./input.js";
import { MAX_PARAM } from "./market.js";
import {
  type Context,
  type DepositInsuranceFundInput,
  type ExchangeState,
  InsuranceReason,
  type OpResult,
} from "./types.js";

/** Adds `amount` (uint) to the fund and emits the update with `reason`. */
export function creditInsurance(d: Draft, amount: bigint, reason: InsuranceReason): void {
  d.insuranceFund = uadd(d.insuranceFund, amount);
  d.emit({
    name: "InsuranceFundUpdated",
    args: { delta: amount, newBalance: d.insuranceFund, reason },
  });
}

/** Takes `amount` (uint) from the fund (the caller emits, as the contract does). */
export function debitInsurance(d: Draft, amount: bigint): void {
  d.insuranceFund = usub(d.insuranceFund, amount);
}

/** `_pull(from, amount)`: the token moves into the exchange (the sender's balance is assumed). */
export function pullTokens(d: Draft, amount: bigint): void {
  d.tokenBalance = uadd(d.tokenBalance, amount);
}

/** `collateralToken.transfer(to, amount)` out of the exchange: the token reverts when short. */
export function payTokens(d: Draft, amount: bigint): void {
  if (d.tokenBalance < amount) {
    revert(errors.insufficientBalance(d.base.address, d.tokenBalance, amount));
  }
  d.tokenBalance -= amount;
}

/** `depositInsuranceFund(amount)`: anyone may top the fund up. */
export function depositInsuranceFund(
  state: ExchangeState,
  args: DepositInsuranceFundInput,
  ctx: Context,
): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const amount = input.uint256(o.amount, "amount");
    if (amount === 0n) revert(errors.zeroAmount());
    if (amount > MAX_PARAM) revert(errors.amountTooLarge(amount));
    pullTokens(d, amount);
    creditInsurance(d, amount, InsuranceReason.Deposit);
  });
}
