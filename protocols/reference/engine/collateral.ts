/**
 * Collateral: deposits and withdrawals (`modifyCollateral`).
 *
 * Why: a withdrawal is the other way an account can take on risk — less equity against the
 * same positions — so it faces the same test as a trade, at fresh prices: `equity − amount ≥
 * IM` (checked after the collateral is reduced), and it may never exceed the collateral
 * itself, even when unrealized profit would cover it. An account with no position can always
 * take its collateral out. Deposits are capped at MAX_PARAM per call.
 */
import { requireOwnedAccount } from "./account.js";
import { errors, revert } from "./errors.js";
import { transact } from "./exchangeState.js";
import { add, neg, sub, toUint256 } from "./fixedPoint.js";
import * as input from "./input.js";
import { payTokens, pullTokens } from "./insuranceFund.js";
import { healthOf } from "./margin.js";
import { MAX_PARAM } from "./market.js";
import type { Context, ExchangeState, ModifyCollateralInput, OpResult } from "./types.js";

/** `modifyCollateral(accountId, amountDelta)`: positive deposits, negative withdraws. */
export function modifyCollateral(
  state: ExchangeState,
  args: ModifyCollateralInput,
  ctx: Context,
): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const accountId = input.uint256(o.accountId, "accountId");
    const amountDelta = input.int256(o.amountDelta, "amountDelta");

    let a = requireOwnedAccount(d, accountId);
    if (amountDelta === 0n) revert(errors.zeroAmount());
    if (amountDelta > 0n) {
      const amount = toUint256(amountDelta);
      if (amount > MAX_PARAM) revert(errors.amountTooLarge(amount));
      pullTokens(d, amount);
      a = { ...a, collateral: add(a.collateral, amountDelta) };
      d.putAccount(a);
    } else {
      const amount = neg(amountDelta);
      if (amount > a.collateral) revert(errors.insufficientCollateral(a.collateral, amount));
      a = { ...a, collateral: sub(a.collateral, amount) };
      d.putAccount(a);
      if (a.openMarkets !== 0n) {
        const h = healthOf(d, a, true);
        if (h.equity < h.initialMargin)
          revert(errors.insufficientMargin(h.equity, h.initialMargin));
      }
      payTokens(d, toUint256(amount));
    }
    d.emit({
      name: "CollateralModified",
      args: { accountId, amountDelta, newCollateral: a.collateral, sender: d.sender },
    });
  });
}
