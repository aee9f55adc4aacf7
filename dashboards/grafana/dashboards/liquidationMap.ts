/**
 * Liquidation map: where the liquidation walls of a market sit and how they moved — the
 * ladder of every snapshot as a heatmap over time, the current ladder, "liquidatable within
 * x%" over time, and the liquidations that actually happened.
 */
import { RISK_ANNOTATIONS } from "../annotations.js";
import {
  ACCOUNT_LINK,
  type DashboardSpec,
  EXCHANGE,
  EXCHANGE_VARIABLE,
  LATEST,
  num,
  str,
  time,
} from "../panelSpec.js";
import { EVENT_SOURCE, SNAPSHOT_SOURCE, seriesSql, tiered } from "../tiers.js";

/** The selected market (`${market:sqlstring}`: quoted as an SQL string by Grafana's frontend). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, interpolated by Grafana
const MARKET = "symbol = ${market:sqlstring}";

const LADDER = "Ladder";
const EXECUTED = "Liquidations executed";

const WITHIN = ["down_1", "down_3", "down_5", "down_10", "up_1", "up_3", "up_5", "up_10"];

export const liquidationMap: DashboardSpec = {
  uid: "perpwatch-liquidation-map",
  title: "Perpwatch / Liquidation map",
  description:
    "Liquidation ladders of the selected market over time (from risk snapshots) and the liquidations the exchange executed.",
  tags: ["perpwatch", "risk", "liquidations"],
  variables: [
    EXCHANGE_VARIABLE,
    {
      name: "market",
      label: "Market",
      sql: `SELECT symbol FROM markets FINAL WHERE ${EXCHANGE} ORDER BY market_id`,
    },
  ],
  annotations: RISK_ANNOTATIONS,
  panels: [
    {
      title: "Liquidation map: $market",
      description:
        "Each cell: notional of $market positions that a move to this bin (in % from the price at that snapshot; `le` = bin's upper edge) adds to what is liquidated.",
      kind: "heatmap",
      sql: `SELECT time, toString(round(move * 100, 2)) AS le, argMaxMerge(bucket_notional) AS notional
FROM (
  ${tiered(SNAPSHOT_SOURCE("snap_ladder"), ["move"], [{ name: "bucket_notional", keep: "last" }], MARKET)}
)
GROUP BY time, move
ORDER BY time, move`,
      format: "time_series",
      columns: [time(), str("le"), num("notional")],
      width: 24,
      height: 12,
      unit: "currencyUSD",
      row: LADDER,
      // 150 columns of 201 bins fill a wall screen; 1,000 would be 200,000 cells of JSON.
      maxDataPoints: 150,
    },
    {
      title: "Ladder now: $market",
      description:
        "Latest snapshot: notional of $market liquidated, and bad debt left, if the price moved by each bin (cumulative from the mark).",
      kind: "barchart",
      sql: `SELECT concat(if(move > 0, '+', ''), toString(round(move * 100, 1)), '%') AS bin,
  market_notional AS liquidated_notional, bad_debt
FROM snap_ladder FINAL
WHERE ${EXCHANGE} AND ${MARKET} AND ${LATEST}
ORDER BY move`,
      format: "table",
      columns: [str("bin"), num("liquidated_notional"), num("bad_debt")],
      width: 12,
      height: 9,
      unit: "currencyUSD",
      row: LADDER,
    },
    {
      title: "Liquidatable within a move: $market",
      description:
        "Accounts' notional liquidated by a fall (down) or rise (up) of 1, 3, 5 and 10%.",
      kind: "timeseries",
      sql: seriesSql(
        SNAPSHOT_SOURCE("snap_markets"),
        [],
        WITHIN.map((w) => ({ name: w, keep: "last" as const, column: `liquidatable_${w}` })),
        MARKET,
      ),
      format: "time_series",
      columns: [time(), ...WITHIN.map(num)],
      width: 12,
      height: 9,
      unit: "currencyUSD",
      row: LADDER,
    },
    {
      title: "Liquidations",
      description:
        "Liquidations executed per interval (all markets): count and notional closed; the largest one on the right axis.",
      kind: "timeseries",
      sql: seriesSql(
        EVENT_SOURCE("ev_liquidations"),
        [],
        [
          {
            name: "liquidated_notional",
            keep: "sum",
            column: "notional",
            expr: "toFloat64(notional)",
          },
          { name: "liquidations", keep: "count" },
        ],
      ),
      format: "time_series",
      columns: [time(), num("liquidated_notional"), num("liquidations")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
      bars: true,
      rightAxis: [{ column: "liquidations", unit: "short" }],
      row: EXECUTED,
    },
    {
      title: "Recent liquidations",
      description:
        "The latest liquidations in the range and their waterfall; click an account for its history.",
      kind: "table",
      sql: `SELECT block_time AS time, account_id, symbol, toFloat64(notional) AS notional, toFloat64(equity) AS equity,
  toFloat64(keeper_reward) AS keeper_reward, toFloat64(penalty_to_insurance) AS penalty,
  toFloat64(insurance_covered) AS insurance_covered, toFloat64(bad_debt) AS bad_debt, tx_hash
FROM ev_liquidations FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
ORDER BY block_time DESC, block_number DESC, log_index DESC
LIMIT 200`,
      format: "table",
      columns: [
        time(),
        num("account_id"),
        str("symbol"),
        num("notional"),
        num("equity"),
        num("keeper_reward"),
        num("penalty"),
        num("insurance_covered"),
        num("bad_debt"),
        str("tx_hash"),
      ],
      width: 12,
      height: 8,
      columnUnits: {
        notional: "currencyUSD",
        equity: "currencyUSD",
        keeper_reward: "currencyUSD",
        penalty: "currencyUSD",
        insurance_covered: "currencyUSD",
        bad_debt: "currencyUSD",
      },
      links: [{ column: "account_id", title: "Account history", url: ACCOUNT_LINK }],
      row: EXECUTED,
    },
  ],
};
