/**
 * Where confirmed snapshots go beyond their raw rows: the 1-minute and 1-hour rollups, and the
 * one-row-per-exchange "now" table (migrations/0010_history_at_scale.sql).
 *
 * Why the exporter feeds the rollups instead of materialized views on the raw tables: a
 * snapshot may be of blocks that reorg, and a rollup cannot take a value back. So the raw
 * tables take every snapshot at once, and only once its blocks are final and its basis still
 * matches (confirmed) are its rows inserted into the `<table>_confirmed` Null tables, whose
 * materialized views aggregate them into `<table>_1m` and `<table>_1h`. Panels then need the
 * reorg filter only on raw rows. Confirming twice changes nothing: the rollups keep the last
 * value by block (argMax) or the largest.
 */
import type { ClickHouseHandle } from "../clickhouse/connect.js";
import { insertRows } from "./values.js";

/** Raw snapshot tables (besides `snap_headers`) whose confirmed rows the rollups keep. */
export const ROLLED_UP_DETAILS: readonly string[] = [
  "snap_markets",
  "snap_ladder",
  "snap_cascades",
  "snap_health",
];

/** The cascade whose cover and ADL the "now" row shows (a −10% correlated shock). */
export const NOW_SHOCK = -0.1;

/** A confirmed snapshot's header row (as in `snap_headers`). */
export interface ConfirmedHeader extends Record<string, unknown> {
  exchange?: unknown;
  snapshot_id: string;
  block_time: string | number;
}

/** A ClickHouse DateTime as read back ("YYYY-MM-DD hh:mm:ss", UTC) or as written (seconds). */
export function unixSeconds(v: unknown): number {
  if (typeof v === "number") return v;
  const s = String(v);
  return /^\d+$/.test(s) ? Number(s) : Date.parse(`${s.replace(" ", "T")}Z`) / 1000;
}

/**
 * Rolls up confirmed snapshots of one exchange: the headers as given, the details read back
 * from the raw tables by the snapshots' time range and ids (a key range, not a scan).
 */
export async function rollUpConfirmed(
  ch: ClickHouseHandle,
  headers: readonly ConfirmedHeader[],
): Promise<void> {
  if (headers.length === 0) return;
  await insertRows(ch, "snap_headers_confirmed", headers);
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = 0;
  for (const h of headers) {
    const t = unixSeconds(h.block_time);
    t0 = Math.min(t0, t);
    t1 = Math.max(t1, t);
  }
  const params = {
    e: String(headers[0]!.exchange ?? ""),
    t0,
    t1,
    ids: headers.map((h) => h.snapshot_id),
  };
  for (const table of ROLLED_UP_DETAILS) {
    await ch.client.command({
      query: `INSERT INTO ${ch.database}.${table}_confirmed SELECT * FROM ${ch.database}.${table} FINAL
        WHERE exchange = {e:String} AND block_time BETWEEN toDateTime({t0:UInt32}) AND toDateTime({t1:UInt32})
          AND snapshot_id IN {ids:Array(String)}`,
      query_params: params,
    });
  }
}

/**
 * Writes the "now" row of `exchange`: its newest visible (pending or confirmed) snapshot with
 * the −10% cascade's insurance cover and whether it ends in ADL. `version` orders the writes
 * (the newest write wins, so an orphaned head is replaced by the newest visible snapshot).
 */
export async function writeLatest(
  ch: ClickHouseHandle,
  exchange: string,
  version: number,
): Promise<void> {
  const db = ch.database;
  await ch.client.command({
    query: `INSERT INTO ${db}.snap_latest
      SELECT s.exchange, {v:UInt64}, s.snapshot_id, s.block_number, s.block_time, toFloat64(s.insurance_fund),
        toFloat64(s.pending_bad_debt), s.open_interest_usd, s.accounts_at_risk, s.notional_at_risk,
        s.amplification_10, ifNull(c.coverage, 1), ifNull(c.adl, 0)
      FROM (
        SELECT * FROM ${db}.snap_headers FINAL
        WHERE exchange = {e:String} AND status IN ('pending', 'confirmed')
        ORDER BY block_number DESC LIMIT 1
      ) AS s
      LEFT JOIN (
        SELECT snapshot_id, any(insurance_coverage) AS coverage, max(adl_triggered) AS adl
        FROM ${db}.snap_cascades FINAL
        WHERE exchange = {e:String} AND shock = {shock:Float64}
        GROUP BY snapshot_id
      ) AS c ON c.snapshot_id = s.snapshot_id
      SETTINGS join_use_nulls = 1`,
    query_params: { e: exchange, v: version, shock: NOW_SHOCK },
  });
}
