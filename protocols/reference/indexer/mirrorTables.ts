/**
 * The mirror's storage: loads the in-memory mirror (mirrorState.ts) from the tables, keeps
 * the `mirror_cursor` bookmark, and writes back exactly what an operation changed.
 *
 * Why a diff by identity: the engine's copy-on-write state shares every object an operation
 * did not change, so `after.x !== before.x` is exactly "the operation wrote x", and each
 * changed row costs one store call (no reads: the mirror knows which rows exist).
 *
 * Why a bookmark: Ponder may revert blocks (a reorg, within the unfinalized window) or
 * re-run a batch (a retried database transaction), and only the tables are rolled back. At
 * the first log of every block the mirror compares the cursor row with its memory; if they
 * differ, the memory is stale and is reloaded from the tables — the one source of truth.
 */

import { eq } from "ponder";
import {
  account as accountTable,
  badDebt as badDebtTable,
  exchange as exchangeTable,
  market as marketTable,
  mirrorCursor,
  oraclePrice as oraclePriceTable,
  position as positionTable,
} from "../../../ponder.schema.js";
import type { ExchangeKey } from "../../protocol.js";
import {
  type Account,
  type AdlRecord,
  adlKey,
  type ExchangeState,
  type OraclePrice,
  type Position,
  parseAdlKey,
} from "../engine/index.js";
import { MirrorState } from "./mirrorState.js";
import { exchangeIdentity } from "./overrides.js";
import {
  accountFromRows,
  type BadDebtRow,
  type MarketRow,
  marketFromRow,
  marketValues,
  type PositionRow,
} from "./rows.js";
import type { Db } from "./types.js";

export interface BlockRef {
  number: bigint;
  timestamp: bigint;
}

const NO_PRICE: OraclePrice = { price: 0n, publishTime: 0n };
const ZERO_POSITION: Position = { size: 0n, lastPrice: 0n, lastFundingIndex: 0n };
const ZERO_RECORD: AdlRecord = { size: 0n, debt: 0n };

/** Reads the whole mirror from the tables (start-up, and after a revert or a repair). */
export async function loadMirror(db: Db, exchange: ExchangeKey): Promise<MirrorState> {
  const mem = new MirrorState(exchange);
  const id = exchange.id;
  const [ex] = await db.sql.select().from(exchangeTable).where(eq(exchangeTable.id, id));
  if (ex) {
    mem.maxPriceAge = ex.maxPriceAge;
    mem.insuranceFund = ex.insuranceFund;
    mem.accountCount = ex.accountCount;
  }
  const marketRows: MarketRow[] = await db.sql
    .select()
    .from(marketTable)
    .where(eq(marketTable.exchange, id));
  marketRows.sort((a, b) => (a.marketId < b.marketId ? -1 : 1));
  // The engine indexes markets by id: only the contiguous run from market 1 can be mirrored.
  const markets = [];
  for (const [i, row] of marketRows.entries()) {
    if (row.marketId !== BigInt(i + 1)) break;
    markets.push(marketFromRow(row));
  }
  mem.markets = markets;
  const prices: Record<string, OraclePrice> = {};
  for (const p of await db.sql
    .select()
    .from(oraclePriceTable)
    .where(eq(oraclePriceTable.exchange, id))) {
    prices[p.marketId.toString()] = { price: p.price, publishTime: p.publishTime };
  }
  mem.prices = prices;
  const positions = new Map<string, PositionRow[]>();
  for (const p of await db.sql.select().from(positionTable).where(eq(positionTable.exchange, id))) {
    mem.positionRows.add(`${p.accountId}:${p.marketId}`);
    const list = positions.get(p.accountId.toString()) ?? [];
    list.push(p);
    positions.set(p.accountId.toString(), list);
  }
  const records = new Map<string, BadDebtRow[]>();
  for (const r of await db.sql.select().from(badDebtTable).where(eq(badDebtTable.exchange, id))) {
    mem.badDebtRows.add(`${r.accountId}:${adlKey(r.marketId, r.isLong)}`);
    const list = records.get(r.accountId.toString()) ?? [];
    list.push(r);
    records.set(r.accountId.toString(), list);
  }
  for (const a of await db.sql.select().from(accountTable).where(eq(accountTable.exchange, id))) {
    const key = a.accountId.toString();
    mem.accounts.set(key, accountFromRows(a, positions.get(key) ?? [], records.get(key) ?? []));
  }
  mem.written = {
    exchange: ex
      ? {
          maxPriceAge: ex.maxPriceAge,
          insuranceFund: ex.insuranceFund,
          accountCount: ex.accountCount,
        }
      : null,
    markets: mem.markets,
    prices: mem.prices,
  };
  const [cursor] = await db.sql.select().from(mirrorCursor).where(eq(mirrorCursor.exchange, id));
  if (cursor) mem.block = { number: cursor.blockNumber, hash: cursor.blockHash };
  return mem;
}

/** The cursor as the tables have it (null before the first block). */
export async function readCursor(
  db: Db,
  exchangeId: string,
): Promise<{ number: bigint; hash: `0x${string}` } | null> {
  const row = await db.find(mirrorCursor, { exchange: exchangeId });
  return row ? { number: row.blockNumber, hash: row.blockHash } : null;
}

/** Moves the cursor (in the tables and in memory) to a new block. */
export async function writeCursor(
  db: Db,
  mem: MirrorState,
  block: { number: bigint; hash: `0x${string}` },
): Promise<void> {
  const values = { blockNumber: block.number, blockHash: block.hash };
  if (mem.block === null) {
    await db
      .insert(mirrorCursor)
      .values({ exchange: mem.exchange.id, ...values })
      .onConflictDoUpdate(values);
  } else {
    await db.update(mirrorCursor, { exchange: mem.exchange.id }).set(values);
  }
  mem.block = block;
}

/**
 * Writes the accounts, positions and ADL records that changed from `before` (a slice of
 * `mem`) to `after`, as of `block`, and records in `mem` the rows it created. Call before
 * `mem.absorb(after)`. The exchange, market and price rows wait for `writeBlockRows`.
 */
export async function writeChanges(
  db: Db,
  mem: MirrorState,
  before: ExchangeState,
  after: ExchangeState,
  block: BlockRef,
): Promise<void> {
  if (after.accounts !== before.accounts) {
    for (const key in after.accounts) {
      const a = after.accounts[key]!;
      const prev = before.accounts[key];
      if (a !== prev) await writeAccount(db, mem, after, prev, a, block);
    }
  }
}

/** Whether the `exchange` row is missing or holds other scalars than the memory. */
function exchangeScalarsDiffer(mem: MirrorState): boolean {
  const e = mem.written.exchange;
  return (
    e === null ||
    e.maxPriceAge !== mem.maxPriceAge ||
    e.insuranceFund !== mem.insuranceFund ||
    e.accountCount !== mem.accountCount
  );
}

/** Whether the exchange, market or price rows differ from the memory. */
export function hasBlockRows(mem: MirrorState): boolean {
  const w = mem.written;
  return w.markets !== mem.markets || w.prices !== mem.prices || exchangeScalarsDiffer(mem);
}

/**
 * Writes the exchange, market and oracle-price rows that differ (by identity: the engine
 * shares what it did not change) from what was last written, as of `blockNumber` — at the end of
 * every block, and before anything reads or overwrites the tables (a repair).
 */
export async function writeBlockRows(db: Db, mem: MirrorState, blockNumber: bigint): Promise<void> {
  if (!hasBlockRows(mem)) return;
  const w = mem.written;
  const x = mem.exchange.id;
  if (exchangeScalarsDiffer(mem) || w.markets.length !== mem.markets.length) {
    const values = {
      maxPriceAge: mem.maxPriceAge,
      insuranceFund: mem.insuranceFund,
      accountCount: mem.accountCount,
      marketCount: BigInt(mem.markets.length),
      updatedBlock: blockNumber,
    };
    if (w.exchange !== null) {
      await db.update(exchangeTable, { id: mem.exchange.id }).set(values);
    } else {
      await db.insert(exchangeTable).values({ ...exchangeIdentity(mem.exchange), ...values });
    }
  }
  if (w.prices !== mem.prices) {
    for (const key in mem.prices) {
      const p = mem.prices[key]!;
      if (p === w.prices[key]) continue;
      const values = { price: p.price, publishTime: p.publishTime, updatedBlock: blockNumber };
      if (key in w.prices) {
        await db.update(oraclePriceTable, { exchange: x, marketId: BigInt(key) }).set(values);
      } else {
        await db.insert(oraclePriceTable).values({ exchange: x, marketId: BigInt(key), ...values });
      }
    }
  }
  if (w.markets !== mem.markets || w.prices !== mem.prices) {
    for (let i = 0; i < mem.markets.length; i++) {
      const m = mem.markets[i]!;
      const key = m.marketId.toString();
      const price = mem.prices[key] ?? NO_PRICE;
      if (m === w.markets[i] && price === (w.prices[key] ?? NO_PRICE)) continue;
      const values = marketValues(m, price, blockNumber);
      if (i < w.markets.length) {
        await db.update(marketTable, { exchange: x, marketId: m.marketId }).set(values);
      } else {
        await db
          .insert(marketTable)
          .values({ exchange: x, marketId: m.marketId, ...values, createdBlock: blockNumber });
      }
    }
  }
  mem.written = {
    exchange: {
      maxPriceAge: mem.maxPriceAge,
      insuranceFund: mem.insuranceFund,
      accountCount: mem.accountCount,
    },
    markets: mem.markets,
    prices: mem.prices,
  };
}

async function writeAccount(
  db: Db,
  mem: MirrorState,
  _state: ExchangeState,
  prev: Account | undefined,
  a: Account,
  block: BlockRef,
): Promise<void> {
  const x = mem.exchange.id;
  const key = a.accountId.toString();
  if (
    prev === undefined ||
    prev.collateral !== a.collateral ||
    prev.openMarkets !== a.openMarkets ||
    prev.positions !== a.positions ||
    prev.owner !== a.owner
  ) {
    const values = {
      owner: a.owner,
      collateral: a.collateral,
      openMarkets: a.openMarkets,
      updatedBlock: block.number,
    };
    if (mem.accounts.has(key)) {
      await db.update(accountTable, { exchange: x, accountId: a.accountId }).set(values);
    } else {
      await db
        .insert(accountTable)
        .values({ exchange: x, accountId: a.accountId, ...values, createdBlock: block.number });
    }
  }
  if (prev?.positions !== a.positions) {
    const before = prev?.positions ?? {};
    for (const m of changedKeys(before, a.positions)) {
      const p = a.positions[m] ?? ZERO_POSITION;
      const values = {
        size: p.size,
        lastPrice: p.lastPrice,
        lastFundingIndex: p.lastFundingIndex,
        updatedBlock: block.number,
      };
      const rowKey = `${key}:${m}`;
      if (mem.positionRows.has(rowKey)) {
        await db
          .update(positionTable, { exchange: x, accountId: a.accountId, marketId: BigInt(m) })
          .set(values);
      } else {
        await db
          .insert(positionTable)
          .values({ exchange: x, accountId: a.accountId, marketId: BigInt(m), ...values });
        mem.positionRows.add(rowKey);
      }
    }
  }
  if (prev?.adlRecords !== a.adlRecords) {
    const before = prev?.adlRecords ?? {};
    for (const k of changedKeys(before, a.adlRecords)) {
      const r = a.adlRecords[k] ?? ZERO_RECORD;
      const values = { size: r.size, debt: r.debt, updatedBlock: block.number };
      const row = { exchange: x, accountId: a.accountId, ...parseAdlKey(k) };
      const rowKey = `${key}:${k}`;
      if (mem.badDebtRows.has(rowKey)) {
        await db.update(badDebtTable, row).set(values);
      } else {
        await db.insert(badDebtTable).values({ ...row, ...values });
        mem.badDebtRows.add(rowKey);
      }
    }
  }
}

/** Keys whose value differs (by identity) between two records. */
function changedKeys<T>(
  before: Readonly<Record<string, T>>,
  after: Readonly<Record<string, T>>,
): string[] {
  const keys: string[] = [];
  for (const k in after) if (after[k] !== before[k]) keys.push(k);
  for (const k in before) if (!(k in after)) keys.push(k);
  return keys;
}
