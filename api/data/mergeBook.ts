/**
 * The book at a new block from the book at an earlier block and the rows written since.
 *
 * Why: reading every account and position again at every block costs time proportional to the
 * whole book (3,500 accounts: a few hundred milliseconds of a loaded core, per second of chain);
 * the rows a block changes are a handful. Objects of unchanged markets and accounts are shared
 * with the previous snapshot (they are never mutated). The caller makes sure no reorg happened
 * in between (snapshotSource.ts): a reverted row goes back to an older `updated_block`, which
 * a read of "rows written since" cannot see.
 */
import type { Position } from "../../engine/risk/book.js";
import type { AccountRow, BookChanges, BookRows } from "./rows.js";

export function mergeBook(prev: BookRows, changes: BookChanges): BookRows {
  const markets = prev.markets.slice();
  for (const m of changes.markets) markets[Number(m.market.marketId) - 1] = m;
  const prices = { ...prev.prices, ...changes.prices };

  const byId = new Map<string, AccountRow>();
  for (const a of prev.accounts) byId.set(a.account.accountId.toString(), a);
  const touched = new Map<string, AccountRow>();
  for (const a of changes.accounts) {
    const key = a.account.accountId.toString();
    const before = byId.get(key);
    touched.set(key, {
      ...a,
      account: { ...a.account, positions: before?.account.positions ?? {} },
    });
  }
  const positions = new Map<string, Record<string, Position>>();
  for (const p of changes.positions) {
    const key = p.accountId.toString();
    let row = touched.get(key);
    if (!row) {
      const before = byId.get(key);
      if (!before) throw new Error(`position of account ${key}, which is in neither book`);
      row = before;
      touched.set(key, row);
    }
    let ps = positions.get(key);
    if (!ps) {
      ps = { ...row.account.positions };
      positions.set(key, ps);
    }
    const m = p.marketId.toString();
    if (p.position.size === 0n) delete ps[m];
    else ps[m] = p.position;
  }
  for (const [key, row] of touched) {
    const ps = positions.get(key);
    byId.set(key, ps ? { ...row, account: { ...row.account, positions: ps } } : row);
  }
  const accounts = [...byId.values()];
  if (touched.size > 0) {
    accounts.sort((a, b) => (a.account.accountId < b.account.accountId ? -1 : 1));
  }
  return {
    at: changes.at,
    cursor: changes.cursor,
    exchange: changes.exchange ?? prev.exchange,
    markets,
    prices,
    accounts,
  };
}
