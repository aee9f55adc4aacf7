/**
 * Cascade and insurance fund: how much a shock would be amplified by forced liquidations,
 * whether the insurance fund would cover the bad debt, and what the fund and ADL actually did.
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

export const cascadeInsurance: DashboardSpec = {
  uid: "perpwatch-cascade-insurance",
  title: "Perpwatch / Cascade and insurance fund",
  description:
    "Cascade simulations at the standard correlated shocks (per risk snapshot), the insurance fund's cover, its ledger, and ADL.",
  tags: ["perpwatch", "risk", "insurance"],
  variables: [EXCHANGE_VARIABLE],
  panels: [
    {
      title: "Covered by the fund",
      description: "Shortfall of liquidated accounts the insurance fund paid in the range.",
      kind: "stat",
      sql: `SELECT toFloat64(sum(insurance_covered)) AS covered
FROM liquidations FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)`,
      format: "table",
      columns: [num("covered")],
      width: 6,
      height: 4,
      unit: "currencyUSD",
    },
    {
      title: "Left to ADL",
      description: "Bad debt the fund could not pay in the range (absorbed by auto-deleveraging).",
      kind: "stat",
      sql: `SELECT toFloat64(sum(bad_debt)) AS bad_debt
FROM liquidations FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)`,
      format: "table",
      columns: [num("bad_debt")],
      width: 6,
      height: 4,
      unit: "currencyUSD",
    },
    {
      title: "ADL in range",
      description:
        "Counterparties closed by auto-deleveraging in the range, and the loss they absorbed.",
      kind: "stat",
      sql: `SELECT count() AS fills, toFloat64(sum(loss_absorbed)) AS loss_absorbed
FROM adl_events FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)`,
      format: "table",
      columns: [num("fills"), num("loss_absorbed")],
      width: 6,
      height: 4,
    },
    {
      title: "Insurance fund now",
      description: "Balance after the last fund event in the range.",
      kind: "stat",
      sql: `SELECT argMax(toFloat64(new_balance), (block_number, log_index)) AS balance
FROM insurance_fund_updates FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)`,
      format: "table",
      columns: [num("balance")],
      width: 6,
      height: 4,
      unit: "currencyUSD",
    },
    {
      title: "Cascade amplification by shock",
      description: "Final move over initial move of each standard correlated shock's cascade.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, shock_label, argMax(amplification, block_number) AS amplification
FROM cascade_snapshots FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND ${VISIBLE}
GROUP BY time, shock, shock_label
ORDER BY time, shock`,
      format: "time_series",
      columns: [time(), str("shock_label"), num("amplification")],
      width: 12,
      height: 8,
      unit: "none",
    },
    {
      title: "Insurance coverage by shock",
      description: "Share of each cascade's bad debt the insurance fund (as it is now) would pay.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, shock_label, argMax(insurance_coverage, block_number) AS insurance_coverage
FROM cascade_snapshots FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND ${VISIBLE}
GROUP BY time, shock, shock_label
ORDER BY time, shock`,
      format: "time_series",
      columns: [time(), str("shock_label"), num("insurance_coverage")],
      width: 12,
      height: 8,
      unit: "percentunit",
    },
    {
      title: "Stress now: bad debt against the fund",
      description:
        "Latest snapshot: each shock's cascade bad debt, the fund, and what ADL would absorb.",
      kind: "barchart",
      sql: `SELECT shock_label, bad_debt, insurance_fund_start AS insurance_fund, uncovered_bad_debt, liquidated_notional
FROM cascade_snapshots FINAL
WHERE ${EXCHANGE} AND ${LATEST}
ORDER BY shock`,
      format: "table",
      columns: [
        str("shock_label"),
        num("bad_debt"),
        num("insurance_fund"),
        num("uncovered_bad_debt"),
        num("liquidated_notional"),
      ],
      width: 12,
      height: 8,
      unit: "currencyUSD",
    },
    {
      title: "Insurance fund balance",
      description: "Balance after the last fund event of each interval.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, argMax(toFloat64(new_balance), (block_number, log_index)) AS balance
FROM insurance_fund_updates FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY time
ORDER BY time`,
      format: "time_series",
      columns: [time(), num("balance")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
    },
    {
      title: "Insurance fund flows by reason",
      description: "Fees and penalties in, bad-debt cover out, per interval.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, reason, toFloat64(sum(delta)) AS delta
FROM insurance_fund_updates FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY time, reason
ORDER BY time, reason`,
      format: "time_series",
      columns: [time(), str("reason"), num("delta")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
      bars: true,
      stack: true,
    },
    {
      title: "ADL losses absorbed by market",
      description: "Bad debt absorbed by auto-deleveraged counterparties per interval.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, symbol, toFloat64(sum(loss_absorbed)) AS loss_absorbed
FROM adl_events FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY time, symbol
ORDER BY time, symbol`,
      format: "time_series",
      columns: [time(), str("symbol"), num("loss_absorbed")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
      bars: true,
      stack: true,
    },
    {
      title: "Insurance fund ledger",
      description: "The latest fund events in the range.",
      kind: "table",
      sql: `SELECT block_time AS time, reason, toFloat64(delta) AS delta, toFloat64(new_balance) AS balance, block_number, tx_hash
FROM insurance_fund_updates FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
ORDER BY block_number DESC, log_index DESC
LIMIT 200`,
      format: "table",
      columns: [
        time(),
        str("reason"),
        num("delta"),
        num("balance"),
        num("block_number"),
        str("tx_hash"),
      ],
      width: 12,
      height: 8,
    },
    {
      title: "ADL fills",
      description: "The latest auto-deleveraging fills in the range.",
      kind: "table",
      sql: `SELECT block_time AS time, symbol, bankrupt_account_id, counterparty_account_id, toFloat64(size_delta) AS size_delta,
  toFloat64(bankruptcy_price) AS bankruptcy_price, toFloat64(loss_absorbed) AS loss_absorbed, tx_hash
FROM adl_events FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
ORDER BY block_number DESC, log_index DESC
LIMIT 200`,
      format: "table",
      columns: [
        time(),
        str("symbol"),
        num("bankrupt_account_id"),
        num("counterparty_account_id"),
        num("size_delta"),
        num("bankruptcy_price"),
        num("loss_absorbed"),
        str("tx_hash"),
      ],
      width: 12,
      height: 8,
    },
  ],
};
