/**
 * Market risk overview: the exchange now (the "now" row: fund, its cover of a −10% cascade,
 * accounts at risk, amplification, ADL), then the exchange and its markets over time — open
 * interest, skew, prices and traded notional — at the resolution the range calls for.
 */
import { RISK_ANNOTATIONS } from "../annotations.js";
import {
  type DashboardSpec,
  EXCHANGE,
  EXCHANGE_VARIABLE,
  highIsBad,
  LATEST,
  lowIsBad,
  MARKET_LINK,
  num,
  type PanelSpec,
  str,
  type Threshold,
  time,
} from "../panelSpec.js";
import { EVENT_SOURCE, SNAPSHOT_SOURCE, seriesSql } from "../tiers.js";

const NOW = "Now (latest snapshot)";
const OVER_TIME = "Exchange over time";
const MARKETS = "Markets";

const now = (
  title: string,
  column: string,
  unit: string,
  description: string,
  thresholds?: Threshold[],
): PanelSpec => ({
  title,
  description,
  kind: "stat",
  sql: `SELECT ${column}
FROM snap_latest FINAL
WHERE ${EXCHANGE}`,
  format: "table",
  columns: [num(column)],
  width: 4,
  height: 4,
  unit,
  thresholds,
  row: NOW,
});

const headline = (
  title: string,
  name: string,
  column: string,
  expr: string,
  unit: string,
  description: string,
): PanelSpec => ({
  title,
  description,
  kind: "stat",
  sql: seriesSql(SNAPSHOT_SOURCE("snap_headers"), [], [{ name, keep: "last", column, expr }]),
  format: "table",
  columns: [time(), num(name)],
  width: 6,
  height: 4,
  unit,
  row: OVER_TIME,
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
  sql: seriesSql(SNAPSHOT_SOURCE("snap_markets"), ["symbol"], [{ name: column, keep: "last" }]),
  format: "time_series",
  columns: [time(), str("symbol"), num(column)],
  width: 12,
  height: 8,
  unit,
  row: MARKETS,
});

export const marketRisk: DashboardSpec = {
  uid: "perpwatch-market-risk",
  title: "Perpwatch / Market risk overview",
  description:
    "The exchange now, then open interest, skew, prices and the headline risk figures over time, from the exporter's risk snapshots and the indexed events.",
  tags: ["perpwatch", "risk"],
  variables: [EXCHANGE_VARIABLE],
  annotations: RISK_ANNOTATIONS,
  panels: [
    now("Insurance fund now", "insurance_fund", "currencyUSD", "Balance at the latest snapshot."),
    now(
      "Fund cover at −10%",
      "coverage_10",
      "percentunit",
      "Share of a −10% correlated shock's cascade bad debt the fund would pay (red below 100%: ADL takes the rest).",
      lowIsBad(1, 1.5),
    ),
    now(
      "Accounts at risk",
      "accounts_at_risk",
      "short",
      "Accounts liquidatable at the latest snapshot's prices.",
      highIsBad(1, 10),
    ),
    now(
      "Amplification at −10%",
      "amplification_10",
      "none",
      "Final move over initial move of a −10% correlated shock's cascade (1 = no amplification).",
      highIsBad(1.5, 3),
    ),
    now(
      "ADL likely at −10%",
      "adl_likely",
      "bool_yes_no",
      "Whether a −10% correlated shock's cascade would leave bad debt the fund cannot pay (auto-deleveraging).",
      highIsBad(1, 1),
    ),
    now(
      "Open interest now",
      "open_interest_usd",
      "currencyUSD",
      "Both sides, all markets, at the oracle price.",
    ),
    headline(
      "Open interest",
      "open_interest",
      "open_interest_usd",
      "open_interest_usd",
      "currencyUSD",
      "Both sides, all markets, at the oracle price (last snapshot of each interval).",
    ),
    headline(
      "Insurance fund",
      "insurance_fund",
      "insurance_fund",
      "toFloat64(insurance_fund)",
      "currencyUSD",
      "Balance at the snapshot block.",
    ),
    headline(
      "Notional at risk",
      "notional_at_risk",
      "notional_at_risk",
      "notional_at_risk",
      "currencyUSD",
      "Total notional of the accounts liquidatable at each snapshot.",
    ),
    headline(
      "Pending bad debt",
      "pending_bad_debt",
      "pending_bad_debt",
      "toFloat64(pending_bad_debt)",
      "currencyUSD",
      "Bad debt waiting for ADL, all markets.",
    ),
    perMarket(
      "Open interest by market",
      "open_interest_usd",
      "currencyUSD",
      "Both sides at the oracle price, last snapshot of each interval.",
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
${seriesSql(EVENT_SOURCE("ev_oracle_prices"), ["symbol"], [{ name: "price", keep: "last", expr: "toFloat64(price)" }])}
)
ORDER BY time, symbol`,
      format: "time_series",
      columns: [time(), str("symbol"), num("change_pct")],
      width: 12,
      height: 8,
      unit: "percent",
      row: MARKETS,
    },
    {
      title: "Traded notional by market",
      description: "Notional of trades (not liquidations or ADL) per interval.",
      kind: "timeseries",
      sql: seriesSql(
        EVENT_SOURCE("ev_trades"),
        ["symbol"],
        [{ name: "notional", keep: "sum", expr: "toFloat64(notional)" }],
        "kind = 'trade'",
      ),
      format: "time_series",
      columns: [time(), str("symbol"), num("notional")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
      bars: true,
      stack: true,
      row: MARKETS,
    },
    {
      title: "Markets now",
      description:
        "Every market at the latest snapshot in the range; click a market for its liquidation map.",
      kind: "table",
      sql: `SELECT symbol, price, open_interest_long, open_interest_short, open_interest_usd, skew_ratio,
  funding_rate, accounts_at_risk, liquidatable_down_5, liquidatable_up_5, pending_bad_debt
FROM snap_markets FINAL
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
      columnUnits: {
        price: "currencyUSD",
        open_interest_long: "short",
        open_interest_short: "short",
        open_interest_usd: "currencyUSD",
        skew_ratio: "percentunit",
        funding_rate: "percentunit",
        accounts_at_risk: "short",
        liquidatable_down_5: "currencyUSD",
        liquidatable_up_5: "currencyUSD",
        pending_bad_debt: "currencyUSD",
      },
      links: [{ column: "symbol", title: "Liquidation map", url: MARKET_LINK }],
      row: MARKETS,
    },
  ],
};
