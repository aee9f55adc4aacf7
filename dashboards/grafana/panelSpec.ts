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
  /** Colour steps: the base colour, then each colour from its value up. */
  thresholds?: readonly Threshold[];
  /** A table's column coloured by the thresholds. */
  thresholdsOn?: string;
  /** Units of single columns (a table's money, ratios, times), beside the panel's `unit`. */
  columnUnits?: Readonly<Record<string, string>>;
  /** Drill-down links on a column's values (`${__value.raw}` is the value clicked). */
  links?: readonly { column: string; title: string; url: string }[];
  /** The collapsible row the panel sits in (consecutive panels with one title share a row). */
  row?: string;
  /**
   * At most this many time points (Grafana's `maxDataPoints`, which sets `$__interval`);
   * default MAX_DATA_POINTS. A heatmap sets fewer: its cells are points × bins.
   */
  maxDataPoints?: number;
}

export interface Threshold {
  color: string;
  /** null: the base step (below every other). */
  value: number | null;
}

/** Green below `warn`, orange from it, red from `bad` (a figure that is bad when high). */
export const highIsBad = (warn: number, bad: number): Threshold[] => [
  { color: "green", value: null },
  { color: "orange", value: warn },
  { color: "red", value: bad },
];

/** Red below `bad`, orange below `warn`, green from it (a figure that is bad when low). */
export const lowIsBad = (bad: number, warn: number): Threshold[] => [
  { color: "red", value: null },
  { color: "orange", value: bad },
  { color: "green", value: warn },
];

/** An annotation query: events drawn on every time-series panel of the dashboard. */
export interface AnnotationSpec {
  name: string;
  /** SQL returning `time`, optionally `timeEnd`, `text` and `tags`. */
  sql: string;
  color: string;
}

export interface VariableSpec {
  name: string;
  label: string;
  /** SQL returning the values (first column) and, optionally, the text shown (second). */
  sql: string;
}

/** Where a dashboard's `market` variable sends a click on a market (its liquidation map). */
export const MARKET_LINK =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, interpolated by Grafana
  "/d/perpwatch-liquidation-map?var-exchange=${exchange:percentencode}&var-market=${__value.raw}&${__url_time_range}";

/** Where a click on an account goes (its history on the accounts dashboard). */
export const ACCOUNT_LINK =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, interpolated by Grafana
  "/d/perpwatch-accounts-at-risk?var-exchange=${exchange:percentencode}&var-account=${__value.raw}&${__url_time_range}";

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: readonly string[];
  /** In order: a variable's SQL may use the ones before it (`exchange` comes first). */
  variables: readonly VariableSpec[];
  /** Panels in reading order; the builder lays them out left to right, top to bottom. */
  panels: readonly PanelSpec[];
  /** Events drawn on the time series (liquidations, ADL, alerts, oracle gaps). */
  annotations?: readonly AnnotationSpec[];
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
FROM (SELECT DISTINCT exchange FROM snap_latest)
ORDER BY exchange = '', exchange`,
};

/** The selected exchange's visible snapshots (pending or confirmed) of the time range. */
const VISIBLE_HEADERS = `FROM snap_headers FINAL WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND status IN ('pending', 'confirmed')`;

/**
 * The selected exchange's latest visible snapshot in the dashboard's time range (raw rows:
 * the last `rawDays`, 14 by default): its time (the detail tables' sorting key, so the rows
 * are found by key) and its id (never an orphaned one, see exporter.ts).
 */
export const LATEST = `block_time = (SELECT argMax(block_time, block_number) ${VISIBLE_HEADERS}) AND snapshot_id = (SELECT argMax(snapshot_id, block_number) ${VISIBLE_HEADERS})`;
