/**
 * How long the history keeps each resolution: raw snapshot rows N days after they were
 * written (default 14), the
 * 1-minute rollups a year and more (400 days), the 1-hour ones 5 years. The migration creates
 * the tables with these defaults; the exporter applies the configured ones at start-up
 * (`ALTER TABLE … MODIFY TTL`, only where a table's TTL differs), so retention is a setting,
 * not a migration.
 *
 * Why the new TTL is applied to the stored rows in the background: `MODIFY TTL` by default
 * rewrites every part of the table (it materializes the TTL) and the ALTER returns only when
 * all are done. A year of snapshots is ~400 daily partitions per raw table; ClickHouse (chDB and
 * server alike) rewrites them one by one, ~150 ms each even when they are tiny, so a changed
 * retention held the exporter's start-up (and `npm run bench -- dashboards-year`) for minutes
 * at no CPU — on a server past the client's request timeout. So the TTL is changed without
 * materializing it, then `MATERIALIZE TTL` is queued as an ordinary asynchronous mutation:
 * new parts get the TTL at once, the stored ones as the mutation reaches them.
 */
import type { ClickHouseHandle } from "./connect.js";

export interface Retention {
  /** Raw per-block snapshot rows (snap_*). */
  rawDays: number;
  /** 1-minute snapshot rollups (snap_*_1m). */
  minuteDays: number;
  /** 1-hour snapshot rollups (snap_*_1h). */
  hourDays: number;
}

export const DEFAULT_RETENTION: Retention = { rawDays: 14, minuteDays: 400, hourDays: 1830 };

const RAW = [
  "snap_headers",
  "snap_markets",
  "snap_ladder",
  "snap_cascades",
  "snap_health",
  "snap_accounts",
];
const ROLLED = ["snap_headers", "snap_markets", "snap_ladder", "snap_cascades", "snap_health"];

/** Every table with a retention, its time column and days. */
export function retentionTables(r: Retention): { table: string; column: string; days: number }[] {
  return [
    // Raw rows expire by when they were written: a devnet's block times may be months old.
    ...RAW.map((table) => ({ table, column: "written_at", days: r.rawDays })),
    ...ROLLED.map((t) => ({ table: `${t}_1m`, column: "minute", days: r.minuteDays })),
    ...ROLLED.map((t) => ({ table: `${t}_1h`, column: "hour", days: r.hourDays })),
  ];
}

/**
 * Sets every table's TTL to `r` where it differs; returns the tables changed. Returns without
 * waiting for the stored rows: their expiry is a queued mutation (see the module comment).
 */
export async function applyRetention(ch: ClickHouseHandle, r: Retention): Promise<string[]> {
  const rows = await ch.client
    .query({
      query: "SELECT name, engine_full FROM system.tables WHERE database = {db:String}",
      query_params: { db: ch.database },
      format: "JSONEachRow",
    })
    .then((res) => res.json<{ name: string; engine_full: string }>());
  const engines = new Map(rows.map((x) => [x.name, x.engine_full]));
  const changed: string[] = [];
  for (const { table, column, days } of retentionTables(r)) {
    const engine = engines.get(table);
    if (engine === undefined) continue;
    const now = /TTL \w+ \+ toIntervalDay\((\d+)\)/.exec(engine)?.[1];
    if (now !== undefined && Number(now) === days) continue;
    await ch.client.command({
      query: `ALTER TABLE ${ch.database}.${table} MODIFY TTL ${column} + INTERVAL ${days} DAY DELETE`,
      clickhouse_settings: { materialize_ttl_after_modify: 0 },
    });
    await ch.client.command({
      query: `ALTER TABLE ${ch.database}.${table} MATERIALIZE TTL`,
      clickhouse_settings: { mutations_sync: "0" },
    });
    changed.push(table);
  }
  return changed;
}
