/**
 * Market risk overview: the exchange at a glance — open interest, the insurance fund, who is
 * at risk, how a −10% shock would amplify — and per market, open interest, skew, prices and
 * traded notional over time.
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

const headline = (
  title: string,
  column: string,
  expr: string,
  unit: string,
  description: string,
): PanelSpec => ({
  title,
  description,
  kind: "stat",
  sql: `SELECT $__timeInterval(block_time) AS time, argMax(${expr}, block_number) AS ${column}
FROM visible_snapshots
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY time
ORDER BY time`,
  format: "table",
  columns: [time(), num(column)],
  width: 4,
  height: 4,
  unit,
});

const perMarket = (
  title: string,
  column: string,
  unit: string,
  description: string,
): PanelSpec => ({
  title,
  description,
  kind: "timeseries",
  sql: `SELECT $__timeInterval(block_time) AS time, symbol, argMax(${column}, block_number) AS ${column}
FROM market_snapshots FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND ${VISIBLE}
GROUP BY time, symbol
ORDER BY time, symbol`,
  format: "time_series",
  columns: [time(), str("symbol"), num(column)],
  width: 12,
  height: 8,
  unit,
});

export const marketRisk: DashboardSpec = {
  uid: "perpwatch-market-risk",
  title: "Perpwatch / Market risk overview",
  description:
    "Open interest, skew, prices and the headline risk figures of the exchange, from the exporter's risk snapshots and the indexed events.",
  tags: ["perpwatch", "risk"],
  variables: [EXCHANGE_VARIABLE],
  panels: [
    headline(
      "Open interest",
      "open_interest",
      "open_interest_usd",
      "currencyUSD",
      "Both sides, all markets, at the oracle price (latest snapshot).",
    ),
    headline(
      "Insurance fund",
      "insurance_fund",
      "toFloat64(insurance_fund)",
      "currencyUSD",
      "Balance at the snapshot block.",
    ),
    headline(
      "Accounts at risk",
      "accounts_at_risk",
      "accounts_at_risk",
      "short",
      "Accounts liquidatable at the snapshot block's prices.",
    ),
    headline(
      "Notional at risk",
      "notional_at_risk",
      "notional_at_risk",
      "currencyUSD",
      "Total notional of the accounts liquidatable now.",
    ),
    headline(
      "Amplification at −10%",
      "amplification",
      "amplification_10",
      "none",
      "Final move over initial move of a −10% correlated shock's cascade (1 = no amplification).",
    ),
    headline(
      "Pending bad debt",
      "pending_bad_debt",
      "toFloat64(pending_bad_debt)",
      "currencyUSD",
      "Bad debt waiting for ADL, all markets.",
    ),
    perMarket(
      "Open interest by market",
      "open_interest_usd",
      "currencyUSD",
      "Both sides at the oracle price, per risk snapshot.",
    ),
    perMarket(
      "Skew by market",
      "skew_ratio",
      "percentunit",
      "Net size as a share of the market's skew scale.",
    ),
    {
      title: "Oracle prices (change over the range)",
      description:
        "Last oracle price per interval, as a change from the first interval of the range.",
      kind: "timeseries",
      sql: `SELECT time, symbol, 100 * (price / first_value(price) OVER (PARTITION BY symbol ORDER BY time) - 1) AS change_pct
FROM (
  SELECT $__timeInterval(block_time) AS time, symbol, argMax(toFloat64(price), (block_number, log_index)) AS price
  FROM oracle_prices FINAL
  WHERE ${EXCHANGE} AND $__timeFilter(block_time)
  GROUP BY time, symbol
)
ORDER BY time, symbol`,
      format: "time_series",
      columns: [time(), str("symbol"), num("change_pct")],
      width: 12,
      height: 8,
      unit: "percent",
    },
    {
      title: "Traded notional by market",
      description: "Notional of trades (not liquidations or ADL) per interval.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, symbol, toFloat64(sum(notional)) AS notional
FROM trades FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND kind = 'trade'
GROUP BY time, symbol
ORDER BY time, symbol`,
      format: "time_series",
      columns: [time(), str("symbol"), num("notional")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
      bars: true,
      stack: true,
    },
    {
      title: "Markets now",
      description: "Every market at the latest snapshot in the range.",
      kind: "table",
      sql: `SELECT symbol, price, open_interest_long, open_interest_short, open_interest_usd, skew_ratio,
  funding_rate, accounts_at_risk, liquidatable_down_5, liquidatable_up_5, pending_bad_debt
FROM market_snapshots FINAL
WHERE ${EXCHANGE} AND ${LATEST}
ORDER BY market_id`,
      format: "table",
      columns: [
        str("symbol"),
        num("price"),
        num("open_interest_long"),
        num("open_interest_short"),
        num("open_interest_usd"),
        num("skew_ratio"),
        num("funding_rate"),
        num("accounts_at_risk"),
        num("liquidatable_down_5"),
        num("liquidatable_up_5"),
        num("pending_bad_debt"),
      ],
      width: 24,
      height: 7,
    },
  ],
};
