/**
 * Accounts at risk: the account-health histogram (margin ratio buckets) now and over time,
 * the riskiest accounts, who got liquidated, and one account's history (the drill-down target
 * of every account link).
 */
import { RISK_ANNOTATIONS } from "../annotations.js";
import { newestEvents } from "../newestEvents.js";
import {
  ACCOUNT_LINK,
  type DashboardSpec,
  EXCHANGE,
  EXCHANGE_VARIABLE,
  highIsBad,
  LATEST,
  num,
  type PanelSpec,
  str,
  time,
} from "../panelSpec.js";
import { SNAPSHOT_SOURCE, seriesSql } from "../tiers.js";

const NOW = "Now";
const HISTORY = "Over time";
const ACCOUNT = "Account $account";

/** The selected account (typed or picked; a value that is not a number selects none). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, interpolated by Grafana
const ACCOUNT_ID = "account_id = toUInt64OrZero(${account:sqlstring})";

const latest = (
  title: string,
  column: string,
  unit: string,
  description: string,
  thresholds?: PanelSpec["thresholds"],
): PanelSpec => ({
  title,
  description,
  kind: "stat",
  sql: seriesSql(SNAPSHOT_SOURCE("snap_headers"), [], [{ name: column, keep: "last" }]),
  format: "table",
  columns: [time(), num(column)],
  width: 8,
  height: 4,
  unit,
  thresholds,
  row: NOW,
});

const accountUnits = {
  margin_ratio: "percentunit",
  buffer: "percentunit",
  equity: "currencyUSD",
  maintenance_margin: "currencyUSD",
  notional: "currencyUSD",
  collateral: "currencyUSD",
  account_id: "none",
};

export const accountsAtRisk: DashboardSpec = {
  uid: "perpwatch-accounts-at-risk",
  title: "Perpwatch / Accounts at risk",
  description:
    "Account health by margin ratio (maintenance margin / equity) at each risk snapshot, the riskiest accounts now, liquidations by account, and one account's history.",
  tags: ["perpwatch", "risk", "accounts"],
  variables: [
    EXCHANGE_VARIABLE,
    {
      name: "account",
      label: "Account",
      // The riskiest accounts of the newest visible snapshot (found by key), riskiest first.
      sql: `SELECT toString(account_id) FROM snap_accounts FINAL
WHERE ${EXCHANGE}
  AND block_time = (SELECT argMax(block_time, block_number) FROM snap_headers FINAL WHERE ${EXCHANGE} AND status IN ('pending', 'confirmed'))
  AND snapshot_id = (SELECT argMax(snapshot_id, block_number) FROM snap_headers FINAL WHERE ${EXCHANGE} AND status IN ('pending', 'confirmed'))
ORDER BY rank`,
    },
  ],
  annotations: RISK_ANNOTATIONS,
  panels: [
    latest(
      "Accounts at risk",
      "accounts_at_risk",
      "short",
      "Accounts liquidatable at the snapshot block's prices.",
      highIsBad(1, 10),
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
      highIsBad(1, 1_000_000),
    ),
    {
      title: "Account health now",
      description: "Accounts with open positions by margin ratio at the latest snapshot.",
      kind: "barchart",
      sql: `SELECT bucket, accounts, notional
FROM snap_health FINAL
WHERE ${EXCHANGE} AND ${LATEST}
ORDER BY bucket_order`,
      format: "table",
      columns: [str("bucket"), num("accounts"), num("notional")],
      width: 12,
      height: 8,
      unit: "short",
      rightAxis: [{ column: "notional", unit: "currencyUSD" }],
      row: NOW,
    },
    {
      title: "Riskiest accounts now",
      description:
        "Highest margin ratio first (underwater accounts before all); buffer = (equity − maintenance margin) / notional. Click an account for its history.",
      kind: "table",
      sql: `SELECT rank, account_id, owner, margin_ratio, buffer, equity, maintenance_margin, notional, collateral, markets, liquidatable
FROM snap_accounts FINAL
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
      width: 12,
      height: 8,
      columnUnits: accountUnits,
      thresholds: highIsBad(0.8, 1),
      thresholdsOn: "margin_ratio",
      links: [{ column: "account_id", title: "Account history", url: ACCOUNT_LINK }],
      row: NOW,
    },
    {
      title: "Account health over time",
      description: "Accounts per margin-ratio bucket at each snapshot.",
      kind: "timeseries",
      sql: `SELECT time, bucket, accounts
FROM (
${seriesSql(SNAPSHOT_SOURCE("snap_health"), ["bucket_order", "bucket"], [{ name: "accounts", keep: "last" }])}
)
ORDER BY time, bucket_order`,
      format: "time_series",
      columns: [time(), str("bucket"), num("accounts")],
      width: 24,
      height: 8,
      unit: "short",
      stack: true,
      row: HISTORY,
    },
    {
      title: "Most liquidated accounts",
      description:
        "Accounts by notional liquidated in the range; click an account for its history.",
      kind: "table",
      sql: `SELECT account_id, count() AS liquidations, toFloat64(sum(notional)) AS notional, toFloat64(sum(bad_debt)) AS bad_debt,
  max(block_time) AS last_liquidated
FROM ev_liquidations FINAL
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
      columnUnits: {
        account_id: "none",
        liquidations: "short",
        notional: "currencyUSD",
        bad_debt: "currencyUSD",
      },
      links: [{ column: "account_id", title: "Account history", url: ACCOUNT_LINK }],
      row: HISTORY,
    },
    {
      title: "Account $account: trades, liquidations and ADL",
      description:
        "Every position change of the account in the range (trades, liquidations, ADL), newest first.",
      kind: "table",
      sql: newestEvents(
        `block_time AS time, kind, symbol, toFloat64(size_delta) AS size_delta, toFloat64(fill_price) AS fill_price,
    toFloat64(notional) AS notional, toFloat64(realized_pnl) AS realized_pnl, toFloat64(fee) AS fee,
    toFloat64(new_collateral) AS collateral, tx_hash`,
        "ev_trades",
        `${EXCHANGE} AND $__timeFilter(block_time) AND ${ACCOUNT_ID}`,
        500,
      ),
      format: "table",
      columns: [
        time(),
        str("kind"),
        str("symbol"),
        num("size_delta"),
        num("fill_price"),
        num("notional"),
        num("realized_pnl"),
        num("fee"),
        num("collateral"),
        str("tx_hash"),
      ],
      width: 24,
      height: 9,
      columnUnits: {
        size_delta: "short",
        fill_price: "currencyUSD",
        notional: "currencyUSD",
        realized_pnl: "currencyUSD",
        fee: "currencyUSD",
        collateral: "currencyUSD",
      },
      row: ACCOUNT,
    },
    {
      title: "Account $account: margin ratio over time",
      description:
        "The account's margin ratio at the snapshots where it was among the riskiest (raw snapshots: the last 14 days by default).",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, argMax(margin_ratio, block_number) AS margin_ratio,
  argMax(equity, block_number) AS equity
FROM snap_accounts FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND ${ACCOUNT_ID}
  AND snapshot_id IN (SELECT snapshot_id FROM snap_headers FINAL WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND status IN ('pending', 'confirmed'))
GROUP BY time
ORDER BY time`,
      format: "time_series",
      columns: [time(), num("margin_ratio"), num("equity")],
      width: 24,
      height: 8,
      unit: "percentunit",
      thresholds: highIsBad(0.8, 1),
      rightAxis: [{ column: "equity", unit: "currencyUSD" }],
      row: ACCOUNT,
    },
  ],
};
