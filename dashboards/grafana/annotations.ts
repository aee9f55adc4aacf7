/**
 * Annotation queries the dashboards share: the events a risk team reads a chart against —
 * large liquidations, ADL fills, alerts firing and resolving, and gaps in the oracle's prices.
 * Each returns `time` (and `timeEnd` for a span), `text` and `tags`, the columns Grafana maps.
 */
import { type AnnotationSpec, EXCHANGE } from "./panelSpec.js";

/** Liquidations at least this large (USD notional) are annotated. */
export const LARGE_LIQUIDATION_USD = 100_000;

/** A market without an oracle price for this long (seconds) is annotated as a gap. */
export const ORACLE_GAP_S = 300;

export const LIQUIDATIONS: AnnotationSpec = {
  name: `Liquidations ≥ $${LARGE_LIQUIDATION_USD.toLocaleString("en-US")}`,
  color: "red",
  sql: `SELECT block_time AS time,
  concat('Liquidation of account ', toString(account_id), if(symbol = '', '', concat(' (', symbol, ')')), ': $',
    formatReadableQuantity(toFloat64(notional)), if(bad_debt > 0, concat(', bad debt $', formatReadableQuantity(toFloat64(bad_debt))), '')) AS text,
  'liquidation' AS tags
FROM ev_liquidations
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND notional >= ${LARGE_LIQUIDATION_USD}
ORDER BY time DESC
LIMIT 500`,
};

export const ADL: AnnotationSpec = {
  name: "ADL fills",
  color: "purple",
  sql: `SELECT block_time AS time,
  concat('ADL ', symbol, ': account ', toString(counterparty_account_id), ' absorbed $', formatReadableQuantity(toFloat64(loss_absorbed)),
    ' of account ', toString(bankrupt_account_id), '''s bad debt') AS text,
  'adl' AS tags
FROM ev_adl
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
ORDER BY time DESC
LIMIT 500`,
};

export const ALERTS: AnnotationSpec = {
  name: "Alerts",
  color: "orange",
  sql: `SELECT starts_at AS time, ends_at AS timeEnd,
  concat(rule, ' (', severity, ', ', status, ')', if(summary = '', '', concat(': ', summary))) AS text,
  concat('alert,', status) AS tags
FROM alert_events FINAL
WHERE $__timeFilter(starts_at) OR (ends_at IS NOT NULL AND $__timeFilter(ends_at))
ORDER BY time DESC
LIMIT 500`,
};

/** Gaps between minutes with a price (the 1-minute rollup: cheap over a year). */
export const ORACLE_GAPS: AnnotationSpec = {
  name: `Oracle gaps ≥ ${ORACLE_GAP_S / 60} min`,
  color: "yellow",
  sql: `SELECT previous + 60 AS time, minute AS timeEnd,
  concat(symbol, ': no oracle price for ', toString(intDiv(dateDiff('second', previous, minute), 60) - 1), ' min') AS text,
  'oracle-gap' AS tags
FROM (
  SELECT symbol, minute, lagInFrame(minute, 1, minute) OVER (PARTITION BY symbol ORDER BY minute) AS previous
  FROM (SELECT DISTINCT symbol, minute FROM ev_oracle_prices_1m
        WHERE ${EXCHANGE} AND minute >= toStartOfMinute($__fromTime) AND minute <= $__toTime)
)
WHERE dateDiff('second', previous, minute) > ${ORACLE_GAP_S}
ORDER BY time DESC
LIMIT 500`,
};

/** Every dashboard's annotations. */
export const RISK_ANNOTATIONS: readonly AnnotationSpec[] = [LIQUIDATIONS, ADL, ALERTS, ORACLE_GAPS];
