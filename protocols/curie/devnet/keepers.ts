/**
 * Keeper policies on a Curie devnet: which accounts to liquidate and which bad debt to settle,
 * from the block's account views. Liquidatable is `getAccountValue` below
 * `getMarginRequirementForLiquidation` (not `Vault.isLiquidatable`, which is about
 * non-settlement collateral). A liquidation may take only part of a position and leave the
 * account liquidatable, so candidates are simply re-checked every block.
 */
import type { AccountState } from "./chainState.js";

/** ClearingHouseConfig defaults: liquidation penalty 2.5 %, maintenance margin 6.25 %. */
const PENALTY_RATIO = 0.025;
/** Share of the account's value a capped liquidation's penalty may take (stays above zero). */
const CAP_SHARE = 0.9;

export interface LiquidationTarget {
  /** Index into the accounts given. */
  account: number;
  /** The market whose position is taken over (the largest by size × mark). */
  market: number;
  /** Size to liquidate, the position's sign; 0n: as much as the contract allows. */
  size: bigint;
}

export function isLiquidatable(a: AccountState): boolean {
  return a.marginForLiquidation > 0 && a.value < a.marginForLiquidation;
}

/**
 * One liquidation per liquidatable account per block (the next block re-checks the account).
 * A liquidation whose penalty would leave bad debt beyond what the insurance fund can still
 * cover reverts `CH_IIC`; the keeper then takes only as much as keeps the account's value
 * above zero, or leaves an account already under water alone.
 */
export function liquidationTargets(
  accounts: readonly AccountState[],
  marks: readonly number[],
  insuranceCapacity: number,
): LiquidationTarget[] {
  const out: LiquidationTarget[] = [];
  let capacity = insuranceCapacity;
  accounts.forEach((a, account) => {
    if (!isLiquidatable(a)) return;
    const notionals = a.sizes.map((s, m) => (Math.abs(Number(s)) / 1e18) * marks[m]!);
    const total = notionals.reduce((x, y) => x + y, 0);
    const market = notionals.indexOf(Math.max(...notionals));
    if (market < 0 || notionals[market] === 0) return;
    // The contract's share: half the account's notional (capped at the whole position) while
    // the margin ratio is above half the maintenance ratio, else all of it.
    const share =
      a.value >= a.marginForLiquidation / 2 ? Math.min(1, (0.5 * total) / notionals[market]!) : 1;
    const badDebt = Math.max(0, PENALTY_RATIO * share * notionals[market]! - a.value);
    if (badDebt <= capacity * CAP_SHARE) {
      capacity -= badDebt;
      out.push({ account, market, size: 0n });
      return;
    }
    if (a.value <= 0) return;
    const part = (CAP_SHARE * a.value) / (PENALTY_RATIO * notionals[market]!);
    const size = a.sizes[market]!;
    out.push({ account, market, size: (size * BigInt(Math.floor(part * 1e6))) / 1_000_000n });
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
