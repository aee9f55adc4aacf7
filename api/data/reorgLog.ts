/**
 * Ponder's reorg log of the current-state tables, read back: for every row the indexer changed
 * in a block not yet final, its image before the change (or, for an insert, the new row: the
 * row did not exist before). Ponder keeps it to revert blocks on a reorg; the API reads it to
 * rebuild the book at a block it never read (bookAtBlock.ts), so a subscription delivers every
 * block, not only those a poll happened to see (a replica loading one block while the indexer
 * commits the next).
 *
 * Each `_reorg__<table>` holds the table's columns plus `operation_id` (order), `operation`
 * (0 insert, 1 update, 2 delete) and `checkpoint` (the block's, once committed). Ponder deletes
 * the rows of finalized blocks; a block at or before the finalized checkpoint read after the
 * rows may have lost some, so the caller rebuilds only later blocks.
 */
import { sql } from "ponder";
import { CHECKPOINT_BLOCK } from "./ponderReader.js";
import {
  accountRowOf,
  exchangeRowOf,
  marketRowOf,
  type PositionOf,
  positionRowOf,
} from "./rowMapping.js";
import type { AccountRow, ExchangeRow, MarketRow, MirrorCursor } from "./rows.js";

/** One logged change: what the row was before it (operation 1, 2) or became (0). */
export interface LoggedChange<R> {
  operationId: number;
  operation: 0 | 1 | 2;
  checkpoint: string;
  /** Identifies the row within its table. */
  key: string;
  row: R;
}

export interface ReorgLog {
  exchange: LoggedChange<ExchangeRow>[];
  markets: LoggedChange<MarketRow>[];
  prices: LoggedChange<{ marketId: bigint; price: bigint; publishTime: bigint }>[];
  accounts: LoggedChange<AccountRow>[];
  positions: LoggedChange<PositionOf>[];
  cursor: LoggedChange<MirrorCursor>[];
  /** Checkpoints of the committed blocks in the range, oldest first. */
  blocks: string[];
  /** Ponder's finalized checkpoint, read after the log. */
  finalized: string;
}

type RawRow = Record<string, unknown>;
type SQL = ReturnType<typeof sql>;
type Column = { name: string; mapFromDriverValue(v: unknown): unknown };

/** A raw row (snake_case, numbers as text) in drizzle's shape, through the table's columns. */
export function fromDriverRow(table: object, raw: RawRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(table)) {
    const c = col as Partial<Column> | null;
    if (typeof c?.name !== "string" || typeof c.mapFromDriverValue !== "function") continue;
    const v = raw[c.name];
    out[key] = v === null || v === undefined ? v : c.mapFromDriverValue(v);
  }
  return out;
}

export interface ReorgLogSource {
  /** Raw rows of a statement. */
  raw(query: SQL): Promise<RawRow[]>;
  /** A table of Ponder's database schema, by name. */
  ponderTable(name: string): SQL;
  tables: {
    exchange: object;
    market: object;
    oraclePrice: object;
    account: object;
    position: object;
    mirrorCursor: object;
  };
  exchange: string;
  chainName: string;
}

/**
 * The log of changes committed in blocks after `afterBlock` up to checkpoint `upTo`, oldest
 * first. (By block number, not checkpoint: a checkpoint leads with its block's time, which the
 * caller of a block without a snapshot does not know. One exchange's rows are one chain's.)
 */
export async function readReorgLog(
  src: ReorgLogSource,
  afterBlock: bigint,
  upTo: string,
): Promise<ReorgLog> {
  // The block number's digits of a row's checkpoint, where decodeCheckpoint reads them (SQL
  // counts from 1).
  const blockDigits = sql.raw(
    `substring(checkpoint, ${CHECKPOINT_BLOCK.start + 1}, ${CHECKPOINT_BLOCK.digits})`,
  );
  const changes = async <R>(
    name: string,
    exchangeColumn: string,
    table: object,
    key: (r: Record<string, unknown>) => string,
    map: (r: Record<string, unknown>) => R,
  ): Promise<LoggedChange<R>[]> => {
    const rows = await src.raw(sql`SELECT * FROM ${src.ponderTable(`_reorg__${name}`)}
      WHERE ${sql.identifier(exchangeColumn)} = ${src.exchange}
        AND ${blockDigits} > ${afterBlock.toString().padStart(CHECKPOINT_BLOCK.digits, "0")}
        AND checkpoint <= ${upTo}
      ORDER BY operation_id`);
    return rows.map((raw) => {
      const r = fromDriverRow(table, raw);
      return {
        operationId: Number(raw.operation_id),
        operation: Number(raw.operation) as 0 | 1 | 2,
        checkpoint: String(raw.checkpoint),
        key: key(r),
        row: map(r),
      };
    });
  };
  const t = src.tables;
  const id = (r: Record<string, unknown>, ...cols: string[]) => cols.map((c) => r[c]).join("/");
  // biome-ignore lint/suspicious/noExplicitAny: drizzle's row shapes, mapped by their columns
  const as = <T>(f: (r: any) => T) => f;
  const [exchange, markets, prices, accounts, positions, cursor] = await Promise.all([
    changes("exchange", "id", t.exchange, (r) => id(r, "id"), as(exchangeRowOf)),
    changes("market", "exchange", t.market, (r) => id(r, "marketId"), as(marketRowOf)),
    changes(
      "oracle_price",
      "exchange",
      t.oraclePrice,
      (r) => id(r, "marketId"),
      as((r) => ({ marketId: r.marketId, price: r.price, publishTime: r.publishTime })),
    ),
    changes("account", "exchange", t.account, (r) => id(r, "accountId"), as(accountRowOf)),
    changes(
      "position",
      "exchange",
      t.position,
      (r) => id(r, "accountId", "marketId"),
      as(positionRowOf),
    ),
    changes(
      "mirror_cursor",
      "exchange",
      t.mirrorCursor,
      () => "cursor",
      as((r) => ({ block: r.blockNumber, hash: r.blockHash })),
    ),
  ]);
  const fin = await src.raw(sql`SELECT finalized_checkpoint AS cp
    FROM ${src.ponderTable("_ponder_checkpoint")} WHERE chain_name = ${src.chainName}`);
  const all = [exchange, markets, prices, accounts, positions, cursor].flat();
  const blocks = [...new Set(all.map((c) => c.checkpoint))].sort();
  return {
    exchange,
    markets,
    prices,
    accounts,
    positions,
    cursor,
    blocks,
    finalized: String(fin[0]?.cp ?? upTo),
  };
}
