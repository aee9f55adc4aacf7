/**
 * What a dashboard is made of, as data: each panel's visualization, SQL, query format and
 * the columns its SQL must return — from which build.ts makes the Grafana JSON and the tests
 * run the SQL against ClickHouse.
 *
 * Why the expected columns live beside the SQL: a panel only draws when the result has the
 * shape its visualization reads (a time column and numbers for a time series, a label and
 * numbers for a bar chart, time + `le` bucket + value for the heatmap), and that contract is
 * easiest to keep right where the SQL is written.
 */
import type { QueryFormat } from "./clickhouseQuery.js";

export type ColumnKind = "time" | "number" | "string";

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
}

export type PanelKind = "timeseries" | "stat" | "table" | "heatmap" | "barchart";

export interface PanelSpec {
  title: string;
  description: string;
  kind: PanelKind;
  /** SQL with the plugin's macros ($__timeFilter, $__timeInterval, …) and `${variables}`. */
  sql: string;
  format: QueryFormat;
  /** The columns the SQL returns, in order. */
  columns: readonly ColumnSpec[];
  width: number;
  height: number;
  unit?: string;
  decimals?: number;
  /** Time series: stack the series (areas or bars). */
  stack?: boolean;
  /** Time series: draw bars instead of lines. */
  bars?: boolean;
  /** Columns drawn on a right-hand axis, with their unit. */
  rightAxis?: readonly { column: string; unit: string }[];
}

export interface VariableSpec {
  name: string;
  label: string;
  /** SQL returning the values (first column) and, optionally, the text shown (second). */
  sql: string;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: readonly string[];
  /** In order: a variable's SQL may use the ones before it (`exchange` comes first). */
  variables: readonly VariableSpec[];
  /** Panels in reading order; the builder lays them out left to right, top to bottom. */
  panels: readonly PanelSpec[];
}

/** Column helpers for the specs. */
export const time = (name = "time"): ColumnSpec => ({ name, kind: "time" });
export const num = (name: string): ColumnSpec => ({ name, kind: "number" });
export const str = (name: string): ColumnSpec => ({ name, kind: "string" });

/**
 * The selected exchange: every table the exporter writes names the exchange of its rows (the
 * configured `exchanges[].id`, migration 0004), and every panel reads only that exchange's
 * rows. `${exchange:sqlstring}` is Grafana's interpolation that quotes the value as an SQL
 * string literal (quotes doubled), never a bare `'$exchange'`.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, interpolated by Grafana
export const EXCHANGE = "exchange = ${exchange:sqlstring}";

/** What the exchange variable offers for rows written before exchanges were recorded (''). */
export const UNNAMED_EXCHANGE = "(unnamed: before 0004)";

/**
 * The `exchange` variable every dashboard starts with: the exchanges that have risk snapshots,
 * named ones first (the first is the default), then '' (labelled) when rows from before
 * migration 0004 exist — they keep '' and stay reachable as their own choice rather than
 * being shown under an exchange they may not be of. Two columns: the plugin takes the first
 * as the value and the second as the text shown.
 */
export const EXCHANGE_VARIABLE: VariableSpec = {
  name: "exchange",
  label: "Exchange",
  sql: `SELECT exchange AS value, if(exchange = '', '${UNNAMED_EXCHANGE}', exchange) AS label
FROM (SELECT DISTINCT exchange FROM snapshots)
ORDER BY exchange = '', exchange`,
};

/**
 * Snapshot rows panels may show: pending or confirmed, never orphaned (see exporter.ts), of
 * the selected exchange.
 */
export const VISIBLE = `snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE ${EXCHANGE})`;

/** The selected exchange's latest visible snapshot in the dashboard's time range. */
export const LATEST = `snapshot_id = (SELECT argMax(snapshot_id, block_number) FROM visible_snapshots WHERE ${EXCHANGE} AND $__timeFilter(block_time))`;
