/**
 * Funding: the rate longs pay shorts (per day) per market, its velocity and the skew that
 * drives it — from every `FundingUpdated` event — and the rates now, from the snapshots.
 */
import { RISK_ANNOTATIONS } from "../annotations.js";
import {
  type DashboardSpec,
  EXCHANGE,
  EXCHANGE_VARIABLE,
  highIsBad,
  LATEST,
  MARKET_LINK,
  num,
  type PanelSpec,
  str,
  time,
} from "../panelSpec.js";
import { EVENT_SOURCE, SNAPSHOT_SOURCE, seriesSql } from "../tiers.js";

const NOW = "Now";
const HISTORY = "Funding over time";

const fromEvents = (
  title: string,
  column: string,
  unit: string,
  description: string,
): PanelSpec => ({
  title,
  description,
  kind: "timeseries",
  sql: seriesSql(
    EVENT_SOURCE("ev_funding"),
    ["symbol"],
    [{ name: column, keep: "last", expr: `toFloat64(${column})` }],
  ),
  format: "time_series",
  columns: [time(), str("symbol"), num(column)],
  width: 12,
  height: 8,
  unit,
  row: HISTORY,
});

export const funding: DashboardSpec = {
  uid: "perpwatch-funding",
  title: "Perpwatch / Funding",
  description: "Funding rates (per day, longs pay when positive), velocity and skew per market.",
  tags: ["perpwatch", "funding"],
  variables: [EXCHANGE_VARIABLE],
  annotations: RISK_ANNOTATIONS,
  panels: [
    {
      title: "Largest funding rate",
      description: "Largest absolute daily funding rate among the markets, per snapshot.",
      kind: "stat",
      sql: seriesSql(
        SNAPSHOT_SOURCE("snap_headers"),
        [],
        [{ name: "max_abs_funding_rate", keep: "last" }],
      ),
      format: "table",
      columns: [time(), num("max_abs_funding_rate")],
      width: 6,
      height: 4,
      unit: "percentunit",
      decimals: 4,
      thresholds: highIsBad(0.001, 0.01),
      row: NOW,
    },
    {
      title: "Funding now",
      description:
        "Every market's funding at the latest snapshot (rate accrued to the snapshot block); click a market for its liquidation map.",
      kind: "table",
      sql: `SELECT symbol, funding_rate, funding_rate_annual, funding_velocity, skew, skew_ratio, price
FROM snap_markets FINAL
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
      columnUnits: {
        funding_rate: "percentunit",
        funding_rate_annual: "percentunit",
        funding_velocity: "percentunit",
        skew: "short",
        skew_ratio: "percentunit",
        price: "currencyUSD",
      },
      links: [{ column: "symbol", title: "Liquidation map", url: MARKET_LINK }],
      row: NOW,
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
      sql: seriesSql(
        SNAPSHOT_SOURCE("snap_markets"),
        ["symbol"],
        [{ name: "funding_rate_annual", keep: "last" }],
      ),
      format: "time_series",
      columns: [time(), str("symbol"), num("funding_rate_annual")],
      width: 12,
      height: 8,
      unit: "percentunit",
      row: HISTORY,
    },
  ],
};
