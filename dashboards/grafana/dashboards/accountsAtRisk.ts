/**
 * Accounts at risk: the account-health histogram (margin ratio buckets) now and over time,
 * the riskiest accounts, and who got liquidated.
 */
import {
  type DashboardSpec,
  EXCHANGE,
  EXCHANGE_VARIABLE,
  LATEST,
  num,
  str,
  time,
  VISIBLE,
} from "../panelSpec.js";

const latest = (title: string, column: string, unit: string, description: string) => ({
  title,
  description,
  kind: "stat" as const,
  sql: `SELECT $__timeInterval(block_time) AS time, argMax(${column}, block_number) AS ${column}
FROM visible_snapshots
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY time
ORDER BY time`,
  format: "table" as const,
  columns: [time(), num(column)],
  width: 8,
  height: 4,
  unit,
});

export const accountsAtRisk: DashboardSpec = {
  uid: "perpwatch-accounts-at-risk",
  title: "Perpwatch / Accounts at risk",
  description:
    "Account health by margin ratio (maintenance margin / equity) at each risk snapshot, the riskiest accounts now, and liquidations by account.",
  tags: ["perpwatch", "risk", "accounts"],
  variables: [EXCHANGE_VARIABLE],
  panels: [
    latest(
      "Accounts at risk",
      "accounts_at_risk",
      "short",
      "Accounts liquidatable at the snapshot block's prices.",
    ),
    latest(
      "Accounts with positions",
      "open_accounts",
      "short",
      "Accounts holding at least one open position.",
    ),
    latest(
      "Notional at risk",
      "notional_at_risk",
      "currencyUSD",
      "Total notional of the accounts liquidatable now.",
    ),
    {
      title: "Account health now",
      description: "Accounts with open positions by margin ratio at the latest snapshot.",
      kind: "barchart",
      sql: `SELECT bucket, accounts, notional
FROM health_buckets FINAL
WHERE ${EXCHANGE} AND ${LATEST}
ORDER BY bucket_order`,
      format: "table",
      columns: [str("bucket"), num("accounts"), num("notional")],
      width: 12,
      height: 8,
      rightAxis: [{ column: "notional", unit: "currencyUSD" }],
    },
    {
      title: "Account health over time",
      description: "Accounts per margin-ratio bucket at each snapshot.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, bucket, argMax(accounts, block_number) AS accounts
FROM health_buckets FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND ${VISIBLE}
GROUP BY time, bucket_order, bucket
ORDER BY time, bucket_order`,
      format: "time_series",
      columns: [time(), str("bucket"), num("accounts")],
      width: 12,
      height: 8,
      unit: "short",
      stack: true,
    },
    {
      title: "Riskiest accounts now",
      description:
        "Highest margin ratio first (underwater accounts before all); buffer = (equity − maintenance margin) / notional.",
      kind: "table",
      sql: `SELECT rank, account_id, owner, margin_ratio, buffer, equity, maintenance_margin, notional, collateral, markets, liquidatable
FROM account_risk FINAL
WHERE ${EXCHANGE} AND ${LATEST}
ORDER BY rank`,
      format: "table",
      columns: [
        num("rank"),
        num("account_id"),
        str("owner"),
        num("margin_ratio"),
        num("buffer"),
        num("equity"),
        num("maintenance_margin"),
        num("notional"),
        num("collateral"),
        num("markets"),
        num("liquidatable"),
      ],
      width: 24,
      height: 9,
    },
    {
      title: "Most liquidated accounts",
      description: "Accounts by notional liquidated in the range.",
      kind: "table",
      sql: `SELECT account_id, count() AS liquidations, toFloat64(sum(notional)) AS notional, toFloat64(sum(bad_debt)) AS bad_debt,
  max(block_time) AS last_liquidated
FROM liquidations FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY account_id
ORDER BY notional DESC
LIMIT 50`,
      format: "table",
      columns: [
        num("account_id"),
        num("liquidations"),
        num("notional"),
        num("bad_debt"),
        time("last_liquidated"),
      ],
      width: 24,
      height: 8,
    },
  ],
};
