/**
 * Liquidation map: where the liquidation walls of a market sit and how they moved — the
 * ladder of every snapshot as a heatmap over time, the current ladder, "liquidatable within
 * x%" over time, and the liquidations that actually happened.
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

/** The selected market (`${market:sqlstring}`: quoted as an SQL string by Grafana's frontend). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, interpolated by Grafana
const MARKET = "symbol = ${market:sqlstring}";

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
  panels: [
    {
      title: "Liquidation map: $market",
      description:
        "Each cell: notional of $market positions that a move to this bin (in % from the price at that snapshot; `le` = bin's upper edge) adds to what is liquidated.",
      kind: "heatmap",
      sql: `SELECT $__timeInterval(block_time) AS time, toString(round(move * 100, 2)) AS le,
  argMax(bucket_notional, block_number) AS notional
FROM ladder_buckets FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND ${MARKET} AND ${VISIBLE}
GROUP BY time, move
ORDER BY time, move`,
      format: "time_series",
      columns: [time(), str("le"), num("notional")],
      width: 24,
      height: 12,
      unit: "currencyUSD",
    },
    {
      title: "Ladder now: $market",
      description:
        "Latest snapshot: notional of $market liquidated, and bad debt left, if the price moved by each bin (cumulative from the mark).",
      kind: "barchart",
      sql: `SELECT concat(if(move > 0, '+', ''), toString(round(move * 100, 1)), '%') AS bin,
  market_notional AS liquidated_notional, bad_debt
FROM ladder_buckets FINAL
WHERE ${EXCHANGE} AND ${LATEST} AND ${MARKET}
ORDER BY move`,
      format: "table",
      columns: [str("bin"), num("liquidated_notional"), num("bad_debt")],
      width: 12,
      height: 9,
      unit: "currencyUSD",
    },
    {
      title: "Liquidatable within a move: $market",
      description:
        "Accounts' notional liquidated by a fall (down) or rise (up) of 1, 3, 5 and 10%.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time,
  argMax(liquidatable_down_1, block_number) AS down_1, argMax(liquidatable_down_3, block_number) AS down_3,
  argMax(liquidatable_down_5, block_number) AS down_5, argMax(liquidatable_down_10, block_number) AS down_10,
  argMax(liquidatable_up_1, block_number) AS up_1, argMax(liquidatable_up_3, block_number) AS up_3,
  argMax(liquidatable_up_5, block_number) AS up_5, argMax(liquidatable_up_10, block_number) AS up_10
FROM market_snapshots FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time) AND ${MARKET} AND ${VISIBLE}
GROUP BY time
ORDER BY time`,
      format: "time_series",
      columns: [
        time(),
        num("down_1"),
        num("down_3"),
        num("down_5"),
        num("down_10"),
        num("up_1"),
        num("up_3"),
        num("up_5"),
        num("up_10"),
      ],
      width: 12,
      height: 9,
      unit: "currencyUSD",
    },
    {
      title: "Liquidations",
      description: "Liquidations executed per interval (all markets): count and notional closed.",
      kind: "timeseries",
      sql: `SELECT $__timeInterval(block_time) AS time, toFloat64(sum(notional)) AS liquidated_notional, count() AS liquidations
FROM liquidations FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
GROUP BY time
ORDER BY time`,
      format: "time_series",
      columns: [time(), num("liquidated_notional"), num("liquidations")],
      width: 12,
      height: 8,
      unit: "currencyUSD",
      bars: true,
      rightAxis: [{ column: "liquidations", unit: "short" }],
    },
    {
      title: "Recent liquidations",
      description: "The latest liquidations in the range and their waterfall.",
      kind: "table",
      sql: `SELECT block_time AS time, account_id, toFloat64(notional) AS notional, toFloat64(equity) AS equity,
  toFloat64(keeper_reward) AS keeper_reward, toFloat64(penalty_to_insurance) AS penalty,
  toFloat64(insurance_covered) AS insurance_covered, toFloat64(bad_debt) AS bad_debt, tx_hash
FROM liquidations FINAL
WHERE ${EXCHANGE} AND $__timeFilter(block_time)
ORDER BY block_number DESC, log_index DESC
LIMIT 200`,
      format: "table",
      columns: [
        time(),
        num("account_id"),
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
    },
  ],
};
