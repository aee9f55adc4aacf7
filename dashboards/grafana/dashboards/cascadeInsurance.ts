/**
 * Cascade and insurance fund: how much a shock would be amplified by forced liquidations,
 * whether the insurance fund would cover the bad debt, and what the fund and ADL actually did.
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
  lowIsBad,
  num,
  type PanelSpec,
  str,
  time,
} from "../panelSpec.js";
import {
  EVENT_SOURCE,
  merged,
  SNAPSHOT_SOURCE,
  seriesSql,
  type TierValue,
  tiered,
} from "../tiers.js";

const RANGE = "In the range";
const STRESS = "Stress: cascades at standard shocks";
const LEDGER = "Insurance fund and ADL ledger";

/** A sum over the whole range (no time column), at the resolution the range calls for. */
const rangeTotal = (table: string, values: TierValue[]): string =>
  `SELECT ${values.map((v) => `${merged(v)} AS ${v.name}`).join(", ")}
FROM (
  ${tiered(EVENT_SOURCE(table), [], values)}
)`;

const byShock = (title: string, column: string, unit: string, description: string): PanelSpec => ({
  title,
  description,
  kind: "timeseries",
  sql: `SELECT time, shock_label, ${column}
FROM (
${seriesSql(SNAPSHOT_SOURCE("snap_cascades"), ["shock", "shock_label"], [{ name: column, keep: "last" }])}
)
ORDER BY time, shock`,
  format: "time_series",
  columns: [time(), str("shock_label"), num(column)],
  width: 12,
  height: 8,
  unit,
  row: STRESS,
});

export const cascadeInsurance: DashboardSpec = {
  uid: "perpwatch-cascade-insurance",
  title: "Perpwatch / Cascade and insurance fund",
  description:
    "Cascade simulations at the standard correlated shocks (per risk snapshot), the insurance fund's cover, its ledger, and ADL.",
  tags: ["perpwatch", "risk", "insurance"],
  variables: [EXCHANGE_VARIABLE],
  annotations: RISK_ANNOTATIONS,
  panels: [
    {
      title: "Covered by the fund",
      description: "Shortfall of liquidated accounts the insurance fund paid in the range.",
      kind: "stat",
      sql: rangeTotal("ev_liquidations", [
        {
          name: "covered",
          keep: "sum",
          column: "insurance_covered",
          expr: "toFloat64(insurance_covered)",
        },
      ]),
      format: "table",
      columns: [num("covered")],
      width: 6,
      height: 4,
      unit: "currencyUSD",
      row: RANGE,
    },
    {
      title: "Left to ADL",
      description: "Bad debt the fund could not pay in the range (absorbed by auto-deleveraging).",
      kind: "stat",
      sql: rangeTotal("ev_liquidations", [
        { name: "bad_debt", keep: "sum", expr: "toFloat64(bad_debt)" },
      ]),
      format: "table",
      columns: [num("bad_debt")],
      width: 6,
      height: 4,
      unit: "currencyUSD",
      thresholds: highIsBad(1, 1),
      row: RANGE,
    },
    {
      title: "ADL in range",
      description:
        "Counterparties closed by auto-deleveraging in the range, and the loss they absorbed.",
      kind: "stat",
      sql: `SELECT count() AS fills, toFloat64(sum(loss_absorbed)) AS loss_absorbed
FROM ev_adl FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)`,
      format: "table",
      columns: [num("fills"), num("loss_absorbed")],
      width: 6,
      height: 4,
      columnUnits: { fills: "short", loss_absorbed: "currencyUSD" },
      row: RANGE,
    },
    {
      title: "Insurance fund now",
      description: "Balance after the last fund event in the range.",
      kind: "stat",
      sql: rangeTotal("ev_insurance_fund", [
        { name: "balance", keep: "last", expr: "toFloat64(new_balance)" },
      ]),
      format: "table",
      columns: [num("balance")],
      width: 6,
      height: 4,
      unit: "currencyUSD",
      row: RANGE,
    },
    byShock(
      "Cascade amplification by shock",
      "amplification",
      "none",
      "Final move over initial move of each standard correlated shock's cascade.",
    ),
    {
      ...byShock(
        "Insurance coverage by shock",
        "insurance_coverage",
        "percentunit",
        "Share of each cascade's bad debt the insurance fund (as it is now) would pay; below 100% ADL takes the rest.",
      ),
      thresholds: lowIsBad(1, 1.5),
    },
    {
      title: "Stress now: bad debt against the fund",
      description:
        "Latest snapshot: each shock's cascade bad debt, the fund, and what ADL would absorb.",
      kind: "barchart",
      sql: `SELECT shock_label, bad_debt, insurance_fund_start AS insurance_fund, uncovered_bad_debt, liquidated_notional
FROM snap_cascades FINAL
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
      row: STRESS,
    },
    {
      title: "Insurance fund balance",
      description: "Balance after the last fund event of each interval.",
      kind: "timeseries",
      sql: seriesSql(
        EVENT_SOURCE("ev_insurance_fund"),
        [],
        [{ name: "balance", keep: "last", expr: "toFloat64(new_balance)" }],
      ),
      format: "time_series",
      columns: [time(), num("balance")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
      row: LEDGER,
    },
    {
      title: "Insurance fund flows by reason",
      description: "Fees and penalties in, bad-debt cover out, per interval.",
      kind: "timeseries",
      sql: seriesSql(
        EVENT_SOURCE("ev_insurance_fund"),
        ["reason"],
        [{ name: "delta", keep: "sum", expr: "toFloat64(delta)" }],
      ),
      format: "time_series",
      columns: [time(), str("reason"), num("delta")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
      bars: true,
      stack: true,
      row: LEDGER,
    },
    {
      title: "ADL losses absorbed by market",
      description: "Bad debt absorbed by auto-deleveraged counterparties per interval.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, symbol, toFloat64(sum(loss_absorbed)) AS loss_absorbed
FROM ev_adl FINAL
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
      row: LEDGER,
    },
    {
      title: "Insurance fund ledger",
      description: "The latest fund events in the range.",
      kind: "table",
      sql: newestEvents(
        "block_time AS time, reason, symbol, toFloat64(delta) AS delta, toFloat64(new_balance) AS balance, block_number, tx_hash",
        "ev_insurance_fund",
        `${EXCHANGE} AND $__timeFilter(block_time)`,
        200,
      ),
      format: "table",
      columns: [
        time(),
        str("reason"),
        str("symbol"),
        num("delta"),
        num("balance"),
        num("block_number"),
        str("tx_hash"),
      ],
      width: 12,
      height: 8,
      columnUnits: { delta: "currencyUSD", balance: "currencyUSD", block_number: "none" },
      row: LEDGER,
    },
    {
      title: "ADL fills",
      description:
        "The latest auto-deleveraging fills in the range; click an account for its history.",
      kind: "table",
      sql: `SELECT block_time AS time, symbol, bankrupt_account_id, counterparty_account_id, toFloat64(size_delta) AS size_delta,
  toFloat64(bankruptcy_price) AS bankruptcy_price, toFloat64(loss_absorbed) AS loss_absorbed, tx_hash
FROM ev_adl FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
ORDER BY block_time DESC, block_number DESC, log_index DESC
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
      columnUnits: {
        bankrupt_account_id: "none",
        counterparty_account_id: "none",
        size_delta: "short",
        bankruptcy_price: "currencyUSD",
        loss_absorbed: "currencyUSD",
      },
      links: [
        { column: "bankrupt_account_id", title: "Account history", url: ACCOUNT_LINK },
        { column: "counterparty_account_id", title: "Account history", url: ACCOUNT_LINK },
      ],
      row: LEDGER,
    },
  ],
};
