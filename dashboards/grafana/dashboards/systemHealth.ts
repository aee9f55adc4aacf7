/**
 * System health: is Perpwatch itself keeping up — indexer lag (wall clock and blocks), the
 * exporter's progress, the mirror's self-check, snapshot cost — and are alerts getting out.
 * Wall-clock panels (lag, alerts) use the time they were recorded; the rest use block time.
 */
import { ALERTS } from "../annotations.js";
import {
  type DashboardSpec,
  EXCHANGE,
  EXCHANGE_VARIABLE,
  highIsBad,
  num,
  type PanelSpec,
  str,
  time,
} from "../panelSpec.js";
import { SNAPSHOT_SOURCE, seriesSql } from "../tiers.js";

const STATUS = "Status";
const PIPELINE = "Indexer and exporter";
const ALERTING = "Alerts";

export const systemHealth: DashboardSpec = {
  uid: "perpwatch-system-health",
  title: "Perpwatch / System health",
  description:
    "Indexer lag, export progress, mirror divergences, snapshot cost and alert deliveries.",
  tags: ["perpwatch", "operations"],
  variables: [EXCHANGE_VARIABLE],
  annotations: [ALERTS],
  panels: (
    [
      {
        title: "Indexed block",
        description: "Latest block the indexer has processed.",
        kind: "stat",
        sql: `SELECT $__timeInterval(recorded_at) AS time, max(indexed_block) AS indexed_block
FROM indexer_status FINAL
WHERE ${EXCHANGE} AND $__timeFilter(recorded_at)
GROUP BY time
ORDER BY time`,
        format: "table",
        columns: [time(), num("indexed_block")],
        width: 6,
        height: 4,
        unit: "none",
      },
      {
        title: "Mirror divergences",
        description:
          "Event fields where the exact mirror disagreed with the chain, in the range (0 when the mirror is right).",
        kind: "stat",
        sql: `SELECT count() AS divergences
FROM ev_mirror_divergences FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)`,
        format: "table",
        columns: [num("divergences")],
        width: 6,
        height: 4,
        thresholds: highIsBad(1, 1),
      },
      {
        title: "Alerts firing",
        description: "Alert instances still firing, started in the range.",
        kind: "stat",
        sql: `SELECT countIf(status = 'firing') AS firing
FROM alert_events FINAL
WHERE $__timeFilter(starts_at)`,
        format: "table",
        columns: [num("firing")],
        width: 6,
        height: 4,
        thresholds: highIsBad(1, 1),
      },
      {
        title: "Pending snapshots",
        description:
          "Risk snapshots of blocks that are not final yet (orphaned at once if their blocks reorg).",
        kind: "stat",
        sql: `SELECT $__timeInterval(recorded_at) AS time, argMax(pending_snapshots, recorded_at) AS pending_snapshots
FROM indexer_status FINAL
WHERE ${EXCHANGE} AND $__timeFilter(recorded_at)
GROUP BY time
ORDER BY time`,
        format: "table",
        columns: [time(), num("pending_snapshots")],
        width: 6,
        height: 4,
      },
      {
        title: "Indexer lag",
        description:
          "Wall-clock seconds between now and the indexed block's timestamp, at each export tick.",
        kind: "timeseries",
        sql: `SELECT $__timeInterval(recorded_at) AS time, max(lag_seconds) AS lag_seconds
FROM indexer_status FINAL
WHERE ${EXCHANGE} AND $__timeFilter(recorded_at)
GROUP BY time
ORDER BY time`,
        format: "time_series",
        columns: [time(), num("lag_seconds")],
        width: 12,
        height: 8,
        unit: "s",
        thresholds: highIsBad(30, 120),
      },
      {
        title: "Blocks behind the indexed head",
        description:
          "Not yet final (exported once final) and not yet exported, at each export tick.",
        kind: "timeseries",
        sql: `SELECT $__timeInterval(recorded_at) AS time,
  max(toInt64(indexed_block) - toInt64(finalized_block)) AS unfinalized,
  max(toInt64(indexed_block) - toInt64(exported_block)) AS not_exported
FROM indexer_status FINAL
WHERE ${EXCHANGE} AND $__timeFilter(recorded_at)
GROUP BY time
ORDER BY time`,
        format: "time_series",
        columns: [time(), num("unfinalized"), num("not_exported")],
        width: 12,
        height: 8,
        unit: "none",
      },
      {
        title: "Mirror divergences over time",
        description:
          "Total divergences the indexer had recorded, at the snapshots of each interval.",
        kind: "timeseries",
        sql: seriesSql(
          SNAPSHOT_SOURCE("snap_headers"),
          [],
          [{ name: "mirror_divergences", keep: "max" }],
        ),
        format: "time_series",
        columns: [time(), num("mirror_divergences")],
        width: 12,
        height: 8,
        unit: "none",
      },
      {
        title: "Snapshot compute time",
        description:
          "Milliseconds the worker spent on a risk snapshot's analytics (the slowest of each interval), and the positions it covered.",
        kind: "timeseries",
        sql: seriesSql(
          SNAPSHOT_SOURCE("snap_headers"),
          [],
          [
            { name: "compute_ms", keep: "max" },
            { name: "positions", keep: "max" },
          ],
        ),
        format: "time_series",
        columns: [time(), num("compute_ms"), num("positions")],
        width: 12,
        height: 8,
        unit: "ms",
        rightAxis: [{ column: "positions", unit: "short" }],
      },
      {
        title: "Alert deliveries by outcome",
        description: "Notification attempts per interval: delivered, failed, retrying, dead.",
        kind: "timeseries",
        sql: `SELECT $__timeInterval(attempted_at) AS time, outcome, count() AS deliveries
FROM alert_deliveries FINAL
WHERE $__timeFilter(attempted_at)
GROUP BY time, outcome
ORDER BY time, outcome`,
        format: "time_series",
        columns: [time(), str("outcome"), num("deliveries")],
        width: 12,
        height: 8,
        unit: "short",
        bars: true,
        stack: true,
      },
      {
        title: "Alert history",
        description: "Alerts started in the range, their state and how their notifications went.",
        kind: "table",
        sql: `SELECT e.starts_at AS starts_at, e.ends_at AS ends_at, e.rule AS rule, e.severity AS severity, e.status AS status,
  e.summary AS summary, countIf(d.outcome = 'delivered') AS delivered, countIf(d.outcome IN ('failed', 'dead')) AS failed,
  e.fingerprint AS fingerprint
FROM (SELECT * FROM alert_events FINAL WHERE $__timeFilter(starts_at)) AS e
LEFT JOIN (SELECT * FROM alert_deliveries FINAL) AS d ON d.fingerprint = e.fingerprint AND d.starts_at = e.starts_at
GROUP BY starts_at, ends_at, rule, severity, status, summary, fingerprint
ORDER BY starts_at DESC
LIMIT 200`,
        format: "table",
        columns: [
          time("starts_at"),
          time("ends_at"),
          str("rule"),
          str("severity"),
          str("status"),
          str("summary"),
          num("delivered"),
          num("failed"),
          str("fingerprint"),
        ],
        width: 24,
        height: 8,
      },
    ] satisfies PanelSpec[]
  ).map((p, i) => ({ ...p, row: i < 4 ? STATUS : i < 8 ? PIPELINE : ALERTING })),
};
