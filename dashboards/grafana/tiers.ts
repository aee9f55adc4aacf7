/**
 * Which resolution a panel reads — raw rows, the 1-minute or the 1-hour rollups — chosen in
 * the SQL from Grafana's interval, so one query serves every time range.
 *
 * Why in the SQL: Grafana sends one query per panel whatever the range; ClickHouse folds
 * `$__interval_s < 60` to a constant and reads nothing for the branches that are off. The
 * rollups keep states (argMax by block, sums, maxima) per minute / hour; every interval Grafana
 * picks from a minute up is a whole number of minutes (from an hour up, of hours), aligned to
 * the epoch as the buckets are, so merging the buckets' states gives exactly what the raw rows
 * give (the first and last bucket are taken whole). Snapshot rollups hold confirmed snapshots
 * only (dashboards/exporter/snapshotRollups.ts): the raw branch shows pending and confirmed
 * ones of its range, the rollup branches add the pending ones from the raw rows, and an
 * orphaned snapshot is in no branch.
 */
import { EXCHANGE } from "./panelSpec.js";

/** How a value is kept per bucket, and merged across buckets (the outer query). */
export type Keep = "last" | "sum" | "max" | "count";

export interface TierValue {
  /** The value's name in the result. */
  name: string;
  keep: Keep;
  /** Its column in the rollups (default: `name`). */
  column?: string;
  /** Expression over raw rows (default: the rollup column's name); unused for `count`. */
  expr?: string;
}

export interface TierSource {
  /** Raw table; its time column is `block_time`. */
  raw: string;
  /** Rollups: `<raw>_1m` (column `minute`), and `<raw>_1h` (`hour`) when there is one. */
  hourly: boolean;
  /** Snapshot rows: reorg-filtered on the raw branch, pending ones added to the rollups. */
  snapshot: boolean;
  /** What orders "last" values: `block_number` (snapshots) or `(block_number, log_index)`. */
  order: string;
}

export const SNAPSHOT_SOURCE = (raw: string): TierSource => ({
  raw,
  hourly: true,
  snapshot: true,
  order: "block_number",
});

/** Event streams: per-minute aggregates (0010) and hourly ones (0011_event_hours.sql). */
export const EVENT_SOURCE = (raw: string): TierSource => ({
  raw,
  hourly: true,
  snapshot: false,
  order: "(block_number, log_index)",
});

/** The branches' conditions on Grafana's interval (seconds). */
const RAW_TIER = "$__interval_s < 60";
const MINUTE_TIER = "$__interval_s >= 60 AND $__interval_s < 3600";
const HOUR_TIER = "$__interval_s >= 3600";
/** Rollups of sources without an hourly one, and pending snapshots beside the rollups. */
const ROLLED_UP = "$__interval_s >= 60";

export type Tier = "raw" | "1m" | "1h";

/**
 * `sql` with the tier forced whatever the interval (the tests compare the tiers over the same
 * buckets): each branch condition replaced by 1 or 0.
 */
export function forceTier(sql: string, tier: Tier): string {
  const on = (b: boolean) => (b ? "1" : "0");
  return sql
    .replaceAll(MINUTE_TIER, on(tier === "1m"))
    .replaceAll(HOUR_TIER, on(tier === "1h"))
    .replaceAll(RAW_TIER, on(tier === "raw"))
    .replaceAll(ROLLED_UP, on(tier !== "raw"));
}

/** Snapshot ids of the range with a status in `statuses` (status rows are sorted by time). */
export const snapshotIds = (statuses: string) =>
  `snapshot_id IN (SELECT snapshot_id FROM snap_headers FINAL WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND status IN (${statuses}))`;

/** The raw-row state of a value (the type its rollup column has). */
function rawState(v: TierValue, order: string): string {
  const e = v.expr ?? v.column ?? v.name;
  switch (v.keep) {
    case "last":
      return `argMaxState(${e}, ${order})`;
    case "sum":
      return `sum(${e})`;
    case "max":
      return `max(${e})`;
    case "count":
      return "count()";
  }
}

/** A rollup column as the union reads it (simple aggregates as their plain type). */
function rollupValue(v: TierValue): string {
  const c = v.column ?? v.name;
  if (v.keep === "last") return c;
  if (v.keep === "count") return `toUInt64(${c})`;
  return `toFloat64(${c})`;
}

/** The outer query's merge of a value across buckets and branches. */
export function merged(v: TierValue): string {
  switch (v.keep) {
    case "last":
      return `argMaxMerge(${v.name})`;
    case "sum":
    case "count":
      return `sum(${v.name})`;
    case "max":
      return `max(${v.name})`;
  }
}

function rawValue(v: TierValue, order: string): string {
  const s = rawState(v, order);
  if (v.keep === "sum" || v.keep === "max") return `toFloat64(${s})`;
  return s;
}

/**
 * The union of the branches, each giving `time`, the `keys` and a state per value, for an
 * outer query to merge (`merged`) by time and keys. `where` filters on key columns only (it
 * applies to raw rows and rollups alike).
 */
export function tiered(
  source: TierSource,
  keys: readonly string[],
  values: readonly TierValue[],
  where = "",
): string {
  const k = keys.length > 0 ? `${keys.join(", ")}, ` : "";
  const extra = where ? ` AND ${where}` : "";
  const group = `GROUP BY time${keys.length > 0 ? `, ${keys.join(", ")}` : ""}`;
  const raw = (condition: string, visible: string) =>
    `SELECT $__timeInterval(block_time) AS time, ${k}${values.map((v) => `${rawValue(v, source.order)} AS ${v.name}`).join(", ")}
  FROM ${source.raw}${source.snapshot ? " FINAL" : ""}
  WHERE ${condition} AND ${EXCHANGE} AND $__timeFilter(block_time)${extra}${visible}
  ${group}`;
  const rollup = (table: string, column: string, condition: string, start: string) =>
    `SELECT $__timeInterval(${column}) AS time, ${k}${values.map((v) => `${rollupValue(v)} AS ${v.name}`).join(", ")}
  FROM ${table}
  WHERE ${condition} AND ${EXCHANGE} AND ${column} >= ${start}($__fromTime) AND ${column} <= $__toTime${extra}`;
  const branches = [
    raw(RAW_TIER, source.snapshot ? ` AND ${snapshotIds("'pending', 'confirmed'")}` : ""),
    rollup(
      `${source.raw}_1m`,
      "minute",
      source.hourly ? MINUTE_TIER : ROLLED_UP,
      "toStartOfMinute",
    ),
  ];
  if (source.hourly) {
    branches.push(rollup(`${source.raw}_1h`, "hour", HOUR_TIER, "toStartOfHour"));
  }
  if (source.snapshot) {
    branches.push(raw(ROLLED_UP, ` AND ${PENDING_SINCE} AND ${snapshotIds("'pending'")}`));
  }
  return branches.join("\n  UNION ALL\n  ");
}

/**
 * Pending snapshots are the newest (their blocks are not final yet): the raw rows are read from
 * the oldest pending one on, a key range, not the range's whole raw history.
 */
const PENDING_SINCE = `block_time >= (SELECT if(count() = 0, toDateTime(4102444800), min(block_time)) FROM snap_headers FINAL WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND status = 'pending')`;

/**
 * A time series of values kept per bucket: the tiers' union merged by time and `keys`
 * (`keys` are returned after `time`, in order, then the values).
 */
export function seriesSql(
  source: TierSource,
  keys: readonly string[],
  values: readonly TierValue[],
  where = "",
): string {
  const by = ["time", ...keys].join(", ");
  return `SELECT ${by}, ${values.map((v) => `${merged(v)} AS ${v.name}`).join(", ")}
FROM (
  ${tiered(source, keys, values, where)}
)
GROUP BY ${by}
ORDER BY ${by}`;
}
