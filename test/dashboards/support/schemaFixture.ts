/**
 * Test support: fills every table the exporter writes (those with an `exchange` column, found
 * in system.columns, so a table or column added later is covered without editing this) with
 * an exchange's rows, then feeds the rollups and the "now" table the way the exporter does.
 *
 * Per exchange: its own chain, blocks and values (numbers are 10 × scale + 1…9), confirmed
 * snapshots, the last `pending` of them still pending, and one orphaned snapshot after the
 * last block, which no panel may show.
 */
import type { ClickHouseHandle } from "../../../dashboards/clickhouse/connect.js";
import {
  type ConfirmedHeader,
  rollUpConfirmed,
  writeLatest,
} from "../../../dashboards/exporter/snapshotRollups.js";
import { runSql } from "./panelRunner.js";

export interface Fixture {
  exchange: string;
  chainId: number;
  /** Makes every number of this exchange differ from the others' (≤ 25: fits UInt8). */
  scale: number;
  /** Blocks with events and a snapshot; one more block has an orphaned snapshot. */
  blocks: number[];
  symbols: string[];
  /** Time of the first block (epoch ms) and seconds between blocks (default 60). */
  t0: number;
  every?: number;
  /** How many of the last snapshots are still pending (default 0: all confirmed). */
  pending?: number;
}

interface Column {
  name: string;
  type: string;
}

export const timeOf = (f: Fixture, block: number) =>
  new Date(f.t0 + (block - f.blocks[0]!) * (f.every ?? 60) * 1000)
    .toISOString()
    .slice(0, 19)
    .replace("T", " ");

const orphanOf = (f: Fixture) => f.blocks.at(-1)! + 1;
export const snapshotIdOf = (f: Fixture, b: number) =>
  `${f.exchange || "legacy"}-${f.chainId}-${b}`;

function statusOf(f: Fixture, b: number): string {
  if (b === orphanOf(f)) return "orphaned";
  return f.blocks.indexOf(b) >= f.blocks.length - (f.pending ?? 0) ? "pending" : "confirmed";
}

/** Row keys of a table (its dimensions), before the generic columns are filled. */
function keysOf(table: string, columns: readonly Column[], f: Fixture): Record<string, unknown>[] {
  const has = (c: string) => columns.some((x) => x.name === c);
  const markets = f.symbols.map((symbol, i) => ({ market_id: i + 1, symbol }));
  if (table === "markets") return markets.map((m) => ({ ...m, updated_block: f.blocks.at(-1) }));
  if (table === "export_cursor") return [{ exported_block: f.blocks.at(-1) }];
  if (table === "indexer_status") {
    return f.blocks.map((b) => ({ recorded_at: timeOf(f, b), indexed_block: b }));
  }
  if (table === "snap_headers" || table === "snapshots") {
    return [...f.blocks, orphanOf(f)].map((b) => ({
      block_number: b,
      block_time: timeOf(f, b),
      snapshot_id: snapshotIdOf(f, b),
      status: statusOf(f, b),
      version: 1,
    }));
  }
  // Dimensions of a snapshot's detail rows, each with two values (markets: the exchange's).
  const dims: Record<string, unknown>[][] = [];
  if (has("market_id")) dims.push(markets);
  if (has("move")) dims.push([{ move: -0.05 }, { move: 0.05 }]);
  if (has("shock")) dims.push([-0.1, -0.2].map((shock) => ({ shock, shock_label: `${shock}` })));
  if (has("bucket_order")) dims.push([0, 1].map((o) => ({ bucket_order: o, bucket: `b${o}` })));
  if (has("rank")) dims.push([{ rank: 1 }, { rank: 2 }]);
  if (has("log_index")) {
    dims.push([0, 1].map((log_index) => ({ log_index, field: `f${log_index}`, kind: "trade" })));
  }
  const product = dims.reduce<Record<string, unknown>[]>(
    (rows, dim) => rows.flatMap((r) => dim.map((d) => ({ ...r, ...d }))),
    [{}],
  );
  // Snapshot details: every snapshot, the orphaned one included; events: final blocks only.
  const blocks = has("snapshot_id") ? [...f.blocks, orphanOf(f)] : f.blocks;
  // An event is unique by (block, log index), as on a chain: each row of a block its own index.
  return blocks.flatMap((b) =>
    product.map((p, j) => ({
      block_number: b,
      block_time: timeOf(f, b),
      ...(has("snapshot_id") ? { snapshot_id: snapshotIdOf(f, b) } : {}),
      ...p,
      ...(has("log_index") ? { log_index: j } : {}),
    })),
  );
}

/** A value of `type` for the fixture's `i`th row: numbers scaled by exchange, text named. */
function fillValue(type: string, column: string, f: Fixture, i: number, time: string): unknown {
  const t = type.replace(/^Nullable\((.*)\)$/, "$1").replace(/^LowCardinality\((.*)\)$/, "$1");
  if (/^DateTime/.test(t)) return time;
  // One account per exchange, so an account's history and its risk rows meet.
  if (/account_id$/.test(column)) return f.scale * 10 + 1;
  if (/^(U?Int|Float|Decimal)/.test(t)) return f.scale * 10 + (i % 9) + 1;
  if (column === "reason") return ["fee", "bad_debt"][i % 2];
  return `${f.exchange || "legacy"}:${column}:${i}`;
}

/** Tables the exporter inserts rows into (not rollups, their Null sources, or the now table). */
async function rowTables(ch: ClickHouseHandle): Promise<string[]> {
  const db = ch.database;
  const { rows } = await runSql(
    ch,
    `SELECT t.name AS name FROM system.tables AS t
     WHERE t.database = '${db}' AND t.engine NOT IN ('View', 'MaterializedView', 'Null', 'AggregatingMergeTree')
       AND t.name != 'snap_latest'
       AND t.name IN (SELECT table FROM system.columns WHERE database = '${db}' AND name = 'exchange')
     ORDER BY name`,
  );
  return rows.map((r) => String(r.name));
}

/**
 * Inserts `f`'s rows, rolls up its confirmed snapshots and writes its "now" row (`rollUp`
 * false: rows only, e.g. into the tables of an older migration).
 */
export async function insertFixture(
  ch: ClickHouseHandle,
  f: Fixture,
  { rollUp = true } = {},
): Promise<string[]> {
  const db = ch.database;
  const tables = await rowTables(ch);
  for (const table of tables) {
    const { rows: cols } = await runSql(
      ch,
      `SELECT name, type FROM system.columns WHERE database = '${db}' AND table = '${table}' ORDER BY position`,
    );
    const columns = cols as unknown as Column[];
    const values = keysOf(table, columns, f).map((keys, i) => {
      const time = String(keys.block_time ?? keys.recorded_at ?? timeOf(f, f.blocks[0]!));
      const row: Record<string, unknown> = { chain_id: f.chainId, exchange: f.exchange };
      for (const c of columns) {
        row[c.name] =
          c.name in row ? row[c.name] : (keys[c.name] ?? fillValue(c.type, c.name, f, i, time));
      }
      return row;
    });
    await ch.client.insert({ table: `${db}.${table}`, values, format: "JSONEachRow" });
  }
  if (!rollUp) return tables;
  const headers = (
    await runSql(
      ch,
      `SELECT * FROM ${db}.snap_headers FINAL WHERE exchange = '${f.exchange}' AND chain_id = ${f.chainId} AND status = 'confirmed'`,
    )
  ).rows as ConfirmedHeader[];
  await rollUpConfirmed(ch, headers);
  await writeLatest(ch, f.exchange, 1);
  return tables;
}
