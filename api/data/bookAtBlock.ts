/**
 * The book at an earlier block, from a later book and Ponder's reorg log between them
 * (reorgLog.ts): every row changed after the block goes back to its image before the first such
 * change, and a row first inserted after it is dropped. This is how Ponder itself reverts blocks
 * on a reorg, done on the book in memory instead of the tables.
 *
 * Why: the tables hold the current state only, and a subscription that must deliver every
 * block (a replica that was loading one block while the indexer committed the next) needs the
 * state at a block nobody read. Pure: the later book is shared, never mutated.
 */
import type { Position } from "../../engine/risk/book.js";
import { decodeCheckpoint } from "./ponderReader.js";
import type { LoggedChange, ReorgLog } from "./reorgLog.js";
import type { AccountRow, BookRows } from "./rows.js";

/** Per row key, the first change after `checkpoint` (the log is oldest first). */
function firstAfter<R>(log: readonly LoggedChange<R>[], checkpoint: string) {
  const out = new Map<string, LoggedChange<R>>();
  for (const c of log) {
    if (c.checkpoint > checkpoint && !out.has(c.key)) out.set(c.key, c);
  }
  return out;
}

/** The row's image at the block: undefined when it did not exist yet. */
const imageOf = <R>(c: LoggedChange<R>): R | undefined => (c.operation === 0 ? undefined : c.row);

export function bookAtBlock(latest: BookRows, log: ReorgLog, checkpoint: string): BookRows {
  const { block, timestamp } = decodeCheckpoint(checkpoint);

  const exchangeChange = firstAfter(log.exchange, checkpoint).values().next().value;
  const exchange = exchangeChange ? (imageOf(exchangeChange) ?? null) : latest.exchange;

  const cursorChange = firstAfter(log.cursor, checkpoint).get("cursor");
  const cursor = cursorChange ? (imageOf(cursorChange) ?? null) : latest.cursor;

  const marketChanges = firstAfter(log.markets, checkpoint);
  const markets = latest.markets.flatMap((m) => {
    const c = marketChanges.get(m.market.marketId.toString());
    if (!c) return [m];
    const before = imageOf(c);
    return before ? [before] : [];
  });

  const prices = { ...latest.prices };
  for (const [key, c] of firstAfter(log.prices, checkpoint)) {
    const before = imageOf(c);
    if (before) prices[key] = { price: before.price, publishTime: before.publishTime };
    else delete prices[key];
  }

  return {
    at: { checkpoint, block, timestamp },
    cursor,
    exchange,
    markets,
    prices,
    accounts: accountsAt(latest.accounts, log, checkpoint),
  };
}

/** Accounts (with their open positions) at the block. */
function accountsAt(
  latest: readonly AccountRow[],
  log: ReorgLog,
  checkpoint: string,
): AccountRow[] {
  const accountChanges = firstAfter(log.accounts, checkpoint);
  const positionsByAccount = new Map<string, [string, Position | undefined][]>();
  for (const c of firstAfter(log.positions, checkpoint).values()) {
    const account = c.row.accountId.toString();
    const list = positionsByAccount.get(account) ?? [];
    const before = imageOf(c);
    list.push([c.row.marketId.toString(), before?.position]);
    positionsByAccount.set(account, list);
  }
  const out: AccountRow[] = [];
  const withPositions = (row: AccountRow, base: Record<string, Position>, key: string) => {
    const positions = { ...base };
    for (const [market, position] of positionsByAccount.get(key) ?? []) {
      if (position && position.size !== 0n) positions[market] = position;
      else delete positions[market];
    }
    return { ...row, account: { ...row.account, positions } };
  };
  const present = new Set<string>();
  for (const a of latest) {
    const key = a.account.accountId.toString();
    const change = accountChanges.get(key);
    present.add(key);
    const row = change ? imageOf(change) : a;
    if (!row) continue; // created after the block
    if (!change && !positionsByAccount.has(key)) out.push(a);
    else out.push(withPositions(row, a.account.positions, key));
  }
  // Deleted after the block: back, with the positions it had.
  let restored = false;
  for (const [key, c] of accountChanges) {
    const before = imageOf(c);
    if (present.has(key) || !before) continue;
    out.push(withPositions(before, {}, key));
    restored = true;
  }
  if (restored) out.sort((x, y) => (x.account.accountId < y.account.accountId ? -1 : 1));
  return out;
}
