/**
 * Filtering, ordering and keyset pagination of accounts, over plain per-account facts.
 *
 * Why in memory and not in SQL: an account's health moves with every price, so the stored
 * health (as of the account's last touch) is stale for every account not touched in this block.
 * The API computes every account's health at the block it serves (snapshot.ts), and filters
 * and sorts those figures — the same ones it returns, so a filter returns exactly the accounts
 * whose returned fields match it.
 *
 * Sort key of the margin-ratio orders: maintenance margin / equity (D18, exact), with accounts
 * that need no margin at 0 and underwater accounts (margin due, equity ≤ 0) above every ratio.
 * Ties are broken by account id, ascending, in every order, so pages never overlap or skip.
 */

export const ACCOUNT_ORDERS = [
  "MARGIN_RATIO_DESC",
  "MARGIN_RATIO_ASC",
  "NOTIONAL_DESC",
  "NOTIONAL_ASC",
] as const;
export type AccountOrder = (typeof ACCOUNT_ORDERS)[number];

/** What filtering and sorting need to know of one account at one block. */
export interface AccountFacts {
  id: bigint;
  owner: string;
  equity: bigint;
  maintenanceMargin: bigint;
  notional: bigint;
  liquidatable: boolean;
  /** Bitmap of markets with an open position (bit marketId − 1). */
  openMarkets: bigint;
}

export interface AccountFilter {
  atRisk?: boolean;
  /** D18 bounds on the margin-ratio key (inclusive). */
  marginRatioMin?: bigint;
  marginRatioMax?: bigint;
  /** D18 USD. */
  minNotional?: bigint;
  marketId?: bigint;
  owner?: string;
}

/** A sort key: a number, or +∞ (underwater accounts). */
export interface SortKey {
  inf: boolean;
  v: bigint;
}

const ONE = 10n ** 18n;

/** The margin-ratio key: `MM·1e18/equity`; 0 without margin; +∞ when underwater. */
export function marginRatioKey(f: AccountFacts): SortKey {
  if (f.maintenanceMargin <= 0n) return { inf: false, v: 0n };
  if (f.equity <= 0n) return { inf: true, v: 0n };
  return { inf: false, v: (f.maintenanceMargin * ONE) / f.equity };
}

export function sortKey(f: AccountFacts, order: AccountOrder): SortKey {
  return order.startsWith("MARGIN_RATIO") ? marginRatioKey(f) : { inf: false, v: f.notional };
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a.inf || b.inf) return a.inf === b.inf ? 0 : a.inf ? 1 : -1;
  return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
}

export function keyText(k: SortKey): string {
  return k.inf ? "inf" : k.v.toString();
}

export function keyFromText(s: string): SortKey {
  return s === "inf" ? { inf: true, v: 0n } : { inf: false, v: BigInt(s) };
}

/** Position of (key, id) in `order`: negative when a comes first. */
export function compareEntries(
  a: { key: SortKey; id: bigint },
  b: { key: SortKey; id: bigint },
  order: AccountOrder,
): number {
  const c = compareKeys(a.key, b.key);
  if (c !== 0) return order.endsWith("_DESC") ? -c : c;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function matchesFilter(f: AccountFacts, filter: AccountFilter): boolean {
  if (filter.atRisk !== undefined && f.liquidatable !== filter.atRisk) return false;
  if (filter.minNotional !== undefined && f.notional < filter.minNotional) return false;
  if (filter.owner !== undefined && f.owner !== filter.owner) return false;
  if (filter.marketId !== undefined) {
    if (filter.marketId < 1n || ((f.openMarkets >> (filter.marketId - 1n)) & 1n) === 0n) {
      return false;
    }
  }
  if (filter.marginRatioMin !== undefined || filter.marginRatioMax !== undefined) {
    const k = marginRatioKey(f);
    if (filter.marginRatioMin !== undefined && !k.inf && k.v < filter.marginRatioMin) return false;
    if (filter.marginRatioMax !== undefined && (k.inf || k.v > filter.marginRatioMax)) return false;
  }
  return true;
}

export interface SortedAccounts {
  order: AccountOrder;
  entries: { key: SortKey; id: bigint; facts: AccountFacts }[];
}

export function sortAccounts(facts: readonly AccountFacts[], order: AccountOrder): SortedAccounts {
  const entries = facts.map((f) => ({ key: sortKey(f, order), id: f.id, facts: f }));
  entries.sort((a, b) => compareEntries(a, b, order));
  return { order, entries };
}

export interface AccountPage {
  items: { key: SortKey; facts: AccountFacts }[];
  hasNextPage: boolean;
}

/** The first `first` matching accounts strictly after `after` (a key and id) in the order. */
export function pageAccounts(
  sorted: SortedAccounts,
  filter: AccountFilter,
  first: number,
  after?: { key: SortKey; id: bigint },
): AccountPage {
  const { entries, order } = sorted;
  let start = 0;
  if (after) {
    // First entry strictly after `after`: binary search (entries are sorted by the order).
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEntries(entries[mid]!, after, order) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items: AccountPage["items"] = [];
  for (let i = start; i < entries.length; i++) {
    const e = entries[i]!;
    if (!matchesFilter(e.facts, filter)) continue;
    if (items.length === first) return { items, hasNextPage: true };
    items.push({ key: e.key, facts: e.facts });
  }
  return { items, hasNextPage: false };
}

export function countMatching(sorted: SortedAccounts, filter: AccountFilter): number {
  let n = 0;
  for (const e of sorted.entries) if (matchesFilter(e.facts, filter)) n++;
  return n;
}
