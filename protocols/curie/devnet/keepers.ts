/**
 * Keeper policies on a Curie devnet: which accounts to liquidate and which bad debt to settle,
 * from the block's account views. Liquidatable is `getAccountValue` below
 * `getMarginRequirementForLiquidation` (not `Vault.isLiquidatable`, which is about
 * non-settlement collateral). A liquidation may take only part of a position and leave the
 * account liquidatable, so candidates are simply re-checked every block.
 */
import type { AccountState } from "./chainState.js";

export interface LiquidationTarget {
  /** Index into the accounts given. */
  account: number;
  /** The market whose position is taken over (the largest by size × price). */
  market: number;
}

export function isLiquidatable(a: AccountState): boolean {
  return a.marginForLiquidation > 0 && a.value < a.marginForLiquidation;
}

/** One liquidation per liquidatable account per block (the next one re-checks the account). */
export function liquidationTargets(
  accounts: readonly AccountState[],
  prices: readonly number[],
): LiquidationTarget[] {
  const out: LiquidationTarget[] = [];
  accounts.forEach((a, account) => {
    if (!isLiquidatable(a)) return;
    let market = -1;
    let largest = 0;
    a.sizes.forEach((size, m) => {
      const notional = (Math.abs(Number(size)) / 1e18) * prices[m]!;
      if (notional > largest) {
        largest = notional;
        market = m;
      }
    });
    if (market >= 0) out.push({ account, market });
  });
  return out;
}

/** Accounts left with a negative value and no position: `Vault.settleBadDebt` clears them. */
export function badDebtAccounts(accounts: readonly AccountState[]): number[] {
  const out: number[] = [];
  accounts.forEach((a, i) => {
    if (a.value < 0 && a.sizes.every((s) => s === 0n)) out.push(i);
  });
  return out;
}
