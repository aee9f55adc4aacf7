/**
 * Funding: the rate longs pay shorts (per day) per market, its velocity and the skew that
 * drives it — from every `FundingUpdated` event — and the rates now, from the snapshots.
 */
import {
  type DashboardSpec,
  EXCHANGE,
  EXCHANGE_VARIABLE,
  LATEST,
  num,
  type PanelSpec,
  str,
  time,
  VISIBLE,
} from "../panelSpec.js";

const fromEvents = (
  title: string,
  column: string,
  unit: string,
  description: string,
): PanelSpec => ({
  title,
  description,
  kind: "timeseries",
  sql: `SELECT $__timeInterval(block_time) AS time, symbol, argMax(toFloat64(${column}), (block_number, log_index)) AS ${column}
FROM funding_updates FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY time, symbol
ORDER BY time, symbol`,
  format: "time_series",
  columns: [time(), str("symbol"), num(column)],
  width: 12,
  height: 8,
  unit,
});

export const funding: DashboardSpec = {
  uid: "perpwatch-funding",
  title: "Perpwatch / Funding",
  description: "Funding rates (per day, longs pay when positive), velocity and skew per market.",
  tags: ["perpwatch", "funding"],
  variables: [EXCHANGE_VARIABLE],
  panels: [
    {
      title: "Largest funding rate",
      description: "Largest absolute daily funding rate among the markets, per snapshot.",
      kind: "stat",
      sql: `SELECT $__timeInterval(block_time) AS time, argMax(max_abs_funding_rate, block_number) AS max_abs_funding_rate
FROM visible_snapshots
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY time
ORDER BY time`,
      format: "table",
      columns: [time(), num("max_abs_funding_rate")],
      width: 6,
      height: 4,
      unit: "percentunit",
      decimals: 4,
    },
    {
      title: "Funding now",
      description:
        "Every market's funding at the latest snapshot (rate accrued to the snapshot block).",
      kind: "table",
      sql: `SELECT symbol, funding_rate, funding_rate_annual, funding_velocity, skew, skew_ratio, price
FROM market_snapshots FINAL
WHERE ${EXCHANGE} AND ${LATEST}
ORDER BY market_id`,
      format: "table",
      columns: [
        str("symbol"),
        num("funding_rate"),
        num("funding_rate_annual"),
        num("funding_velocity"),
        num("skew"),
        num("skew_ratio"),
        num("price"),
      ],
      width: 18,
      height: 4,
    },
    fromEvents(
      "Funding rate by market",
      "funding_rate",
      "percentunit",
      "Daily funding rate at the last update of each interval.",
    ),
    fromEvents(
      "Funding velocity by market",
      "funding_velocity",
      "percentunit",
      "Daily change of the daily rate implied by the skew.",
    ),
    fromEvents(
      "Skew by market",
      "skew",
      "short",
      "Net size (longs − shorts) in units of the asset, at the last update of each interval.",
    ),
    {
      title: "Annualized funding by market",
      description: "Daily rate × 365, accrued to each snapshot block.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, symbol, argMax(funding_rate_annual, block_number) AS funding_rate_annual
FROM market_snapshots FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND ${VISIBLE}
GROUP BY time, symbol
ORDER BY time, symbol`,
      format: "time_series",
      columns: [time(), str("symbol"), num("funding_rate_annual")],
      width: 12,
      height: 8,
      unit: "percentunit",
    },
  ],
};
