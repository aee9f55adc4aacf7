/**
 * Accounts: creation and the two lookups every account operation starts with.
 *
 * Why: an account id is a counter, its owner is whoever created it, and "does it exist" is
 * "does it have an owner" — exactly `_account` and `_ownedAccount`, whose reverts come before
 * any other check of the operations that use them.
 */
import { errors, revert } from "./errors.js";
import { type Draft, transact, ZERO_ADDRESS } from "./exchangeState.js";
import { uadd } from "./fixedPoint.js";
import * as input from "./input.js";
import type { Account, Context, CreateAccountInput, ExchangeState, OpResult } from "./types.js";

/** `_account(accountId)`: the account, or `AccountNotFound`. */
export function requireAccount(d: Draft, accountId: bigint): Account {
  const a = d.account(accountId);
  if (!a || a.owner === ZERO_ADDRESS) revert(errors.accountNotFound(accountId));
  return a;
}

/** `_ownedAccount(accountId)`: the account when the sender owns it. */
export function requireOwnedAccount(d: Draft, accountId: bigint): Account {
  const a = requireAccount(d, accountId);
  if (a.owner !== d.sender) revert(errors.notAccountOwner(accountId, d.sender));
  return a;
}

/** An account with nothing in it. */
export function emptyAccount(accountId: bigint, owner: Account["owner"]): Account {
  return { accountId, owner, collateral: 0n, openMarkets: 0n, positions: {}, adlRecords: {} };
}

/** `createAccount()`: the new id is `accountCount + 1`, owned by the sender. */
export function createAccount(
  state: ExchangeState,
  args: CreateAccountInput | undefined,
  ctx: Context,
): OpResult {
  return transact(state, ctx, (d) => {
    if (args !== undefined) input.inputObject(args);
    const accountId = uadd(d.accountCount, 1n);
    d.accountCount = accountId;
    d.putAccount(emptyAccount(accountId, d.sender));
    d.emit({ name: "AccountCreated", args: { accountId, owner: d.sender } });
  });
}
