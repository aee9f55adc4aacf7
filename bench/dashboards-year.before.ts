// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Grafana variable syntax inside the SQL strings
/**
 * The dashboards' panel SQL before the schema at scale (commit 43584a4ebc1e0cfde4b1a80a0370ccbb4ce98a51, migrations
 * 0001–0004's tables): what bench/dashboards-year.bench.ts runs on the same data for the
 * before/after ratio. Generated from that commit's dashboards/grafana/dashboards/*.ts; keyed
 * "<dashboard uid> / <panel title>".
 */
export const BEFORE_PANELS: Readonly<Record<string, string>> = {
  "perpwatch-market-risk / Open interest":
    "SELECT $__timeInterval(block_time) AS time, argMax(open_interest_usd, block_number) AS open_interest\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-market-risk / Insurance fund":
    "SELECT $__timeInterval(block_time) AS time, argMax(toFloat64(insurance_fund), block_number) AS insurance_fund\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-market-risk / Accounts at risk":
    "SELECT $__timeInterval(block_time) AS time, argMax(accounts_at_risk, block_number) AS accounts_at_risk\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-market-risk / Notional at risk":
    "SELECT $__timeInterval(block_time) AS time, argMax(notional_at_risk, block_number) AS notional_at_risk\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-market-risk / Amplification at −10%":
    "SELECT $__timeInterval(block_time) AS time, argMax(amplification_10, block_number) AS amplification\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-market-risk / Pending bad debt":
    "SELECT $__timeInterval(block_time) AS time, argMax(toFloat64(pending_bad_debt), block_number) AS pending_bad_debt\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-market-risk / Open interest by market":
    "SELECT $__timeInterval(block_time) AS time, symbol, argMax(open_interest_usd, block_number) AS open_interest_usd\nFROM market_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE exchange = ${exchange:sqlstring})\nGROUP BY time, symbol\nORDER BY time, symbol",
  "perpwatch-market-risk / Skew by market":
    "SELECT $__timeInterval(block_time) AS time, symbol, argMax(skew_ratio, block_number) AS skew_ratio\nFROM market_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE exchange = ${exchange:sqlstring})\nGROUP BY time, symbol\nORDER BY time, symbol",
  "perpwatch-market-risk / Oracle prices (change over the range)":
    "SELECT time, symbol, 100 * (price / first_value(price) OVER (PARTITION BY symbol ORDER BY time) - 1) AS change_pct\nFROM (\n  SELECT $__timeInterval(block_time) AS time, symbol, argMax(toFloat64(price), (block_number, log_index)) AS price\n  FROM oracle_prices FINAL\n  WHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\n  GROUP BY time, symbol\n)\nORDER BY time, symbol",
  "perpwatch-market-risk / Traded notional by market":
    "SELECT $__timeInterval(block_time) AS time, symbol, toFloat64(sum(notional)) AS notional\nFROM trades FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND kind = 'trade'\nGROUP BY time, symbol\nORDER BY time, symbol",
  "perpwatch-market-risk / Markets now":
    "SELECT symbol, price, open_interest_long, open_interest_short, open_interest_usd, skew_ratio,\n  funding_rate, accounts_at_risk, liquidatable_down_5, liquidatable_up_5, pending_bad_debt\nFROM market_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND snapshot_id = (SELECT argMax(snapshot_id, block_number) FROM visible_snapshots WHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time))\nORDER BY market_id",
  "perpwatch-liquidation-map / Liquidation map: $market":
    "SELECT $__timeInterval(block_time) AS time, toString(round(move * 100, 2)) AS le,\n  argMax(bucket_notional, block_number) AS notional\nFROM ladder_buckets FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND symbol = ${market:sqlstring} AND snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE exchange = ${exchange:sqlstring})\nGROUP BY time, move\nORDER BY time, move",
  "perpwatch-liquidation-map / Ladder now: $market":
    "SELECT concat(if(move > 0, '+', ''), toString(round(move * 100, 1)), '%') AS bin,\n  market_notional AS liquidated_notional, bad_debt\nFROM ladder_buckets FINAL\nWHERE exchange = ${exchange:sqlstring} AND snapshot_id = (SELECT argMax(snapshot_id, block_number) FROM visible_snapshots WHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)) AND symbol = ${market:sqlstring}\nORDER BY move",
  "perpwatch-liquidation-map / Liquidatable within a move: $market":
    "SELECT $__timeInterval(block_time) AS time,\n  argMax(liquidatable_down_1, block_number) AS down_1, argMax(liquidatable_down_3, block_number) AS down_3,\n  argMax(liquidatable_down_5, block_number) AS down_5, argMax(liquidatable_down_10, block_number) AS down_10,\n  argMax(liquidatable_up_1, block_number) AS up_1, argMax(liquidatable_up_3, block_number) AS up_3,\n  argMax(liquidatable_up_5, block_number) AS up_5, argMax(liquidatable_up_10, block_number) AS up_10\nFROM market_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND symbol = ${market:sqlstring} AND snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE exchange = ${exchange:sqlstring})\nGROUP BY time\nORDER BY time",
  "perpwatch-liquidation-map / Liquidations":
    "SELECT $__timeInterval(block_time) AS time, toFloat64(sum(notional)) AS liquidated_notional, count() AS liquidations\nFROM liquidations FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-liquidation-map / Recent liquidations":
    "SELECT block_time AS time, account_id, toFloat64(notional) AS notional, toFloat64(equity) AS equity,\n  toFloat64(keeper_reward) AS keeper_reward, toFloat64(penalty_to_insurance) AS penalty,\n  toFloat64(insurance_covered) AS insurance_covered, toFloat64(bad_debt) AS bad_debt, tx_hash\nFROM liquidations FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nORDER BY block_number DESC, log_index DESC\nLIMIT 200",
  "perpwatch-cascade-insurance / Covered by the fund":
    "SELECT toFloat64(sum(insurance_covered)) AS covered\nFROM liquidations FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)",
  "perpwatch-cascade-insurance / Left to ADL":
    "SELECT toFloat64(sum(bad_debt)) AS bad_debt\nFROM liquidations FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)",
  "perpwatch-cascade-insurance / ADL in range":
    "SELECT count() AS fills, toFloat64(sum(loss_absorbed)) AS loss_absorbed\nFROM adl_events FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)",
  "perpwatch-cascade-insurance / Insurance fund now":
    "SELECT argMax(toFloat64(new_balance), (block_number, log_index)) AS balance\nFROM insurance_fund_updates FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)",
  "perpwatch-cascade-insurance / Cascade amplification by shock":
    "SELECT $__timeInterval(block_time) AS time, shock_label, argMax(amplification, block_number) AS amplification\nFROM cascade_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE exchange = ${exchange:sqlstring})\nGROUP BY time, shock, shock_label\nORDER BY time, shock",
  "perpwatch-cascade-insurance / Insurance coverage by shock":
    "SELECT $__timeInterval(block_time) AS time, shock_label, argMax(insurance_coverage, block_number) AS insurance_coverage\nFROM cascade_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE exchange = ${exchange:sqlstring})\nGROUP BY time, shock, shock_label\nORDER BY time, shock",
  "perpwatch-cascade-insurance / Stress now: bad debt against the fund":
    "SELECT shock_label, bad_debt, insurance_fund_start AS insurance_fund, uncovered_bad_debt, liquidated_notional\nFROM cascade_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND snapshot_id = (SELECT argMax(snapshot_id, block_number) FROM visible_snapshots WHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time))\nORDER BY shock",
  "perpwatch-cascade-insurance / Insurance fund balance":
    "SELECT $__timeInterval(block_time) AS time, argMax(toFloat64(new_balance), (block_number, log_index)) AS balance\nFROM insurance_fund_updates FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-cascade-insurance / Insurance fund flows by reason":
    "SELECT $__timeInterval(block_time) AS time, reason, toFloat64(sum(delta)) AS delta\nFROM insurance_fund_updates FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time, reason\nORDER BY time, reason",
  "perpwatch-cascade-insurance / ADL losses absorbed by market":
    "SELECT $__timeInterval(block_time) AS time, symbol, toFloat64(sum(loss_absorbed)) AS loss_absorbed\nFROM adl_events FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time, symbol\nORDER BY time, symbol",
  "perpwatch-cascade-insurance / Insurance fund ledger":
    "SELECT block_time AS time, reason, toFloat64(delta) AS delta, toFloat64(new_balance) AS balance, block_number, tx_hash\nFROM insurance_fund_updates FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nORDER BY block_number DESC, log_index DESC\nLIMIT 200",
  "perpwatch-cascade-insurance / ADL fills":
    "SELECT block_time AS time, symbol, bankrupt_account_id, counterparty_account_id, toFloat64(size_delta) AS size_delta,\n  toFloat64(bankruptcy_price) AS bankruptcy_price, toFloat64(loss_absorbed) AS loss_absorbed, tx_hash\nFROM adl_events FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nORDER BY block_number DESC, log_index DESC\nLIMIT 200",
  "perpwatch-funding / Largest funding rate":
    "SELECT $__timeInterval(block_time) AS time, argMax(max_abs_funding_rate, block_number) AS max_abs_funding_rate\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-funding / Funding now":
    "SELECT symbol, funding_rate, funding_rate_annual, funding_velocity, skew, skew_ratio, price\nFROM market_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND snapshot_id = (SELECT argMax(snapshot_id, block_number) FROM visible_snapshots WHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time))\nORDER BY market_id",
  "perpwatch-funding / Funding rate by market":
    "SELECT $__timeInterval(block_time) AS time, symbol, argMax(toFloat64(funding_rate), (block_number, log_index)) AS funding_rate\nFROM funding_updates FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time, symbol\nORDER BY time, symbol",
  "perpwatch-funding / Funding velocity by market":
    "SELECT $__timeInterval(block_time) AS time, symbol, argMax(toFloat64(funding_velocity), (block_number, log_index)) AS funding_velocity\nFROM funding_updates FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time, symbol\nORDER BY time, symbol",
  "perpwatch-funding / Skew by market":
    "SELECT $__timeInterval(block_time) AS time, symbol, argMax(toFloat64(skew), (block_number, log_index)) AS skew\nFROM funding_updates FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time, symbol\nORDER BY time, symbol",
  "perpwatch-funding / Annualized funding by market":
    "SELECT $__timeInterval(block_time) AS time, symbol, argMax(funding_rate_annual, block_number) AS funding_rate_annual\nFROM market_snapshots FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE exchange = ${exchange:sqlstring})\nGROUP BY time, symbol\nORDER BY time, symbol",
  "perpwatch-accounts-at-risk / Accounts at risk":
    "SELECT $__timeInterval(block_time) AS time, argMax(accounts_at_risk, block_number) AS accounts_at_risk\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-accounts-at-risk / Accounts with positions":
    "SELECT $__timeInterval(block_time) AS time, argMax(open_accounts, block_number) AS open_accounts\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-accounts-at-risk / Notional at risk":
    "SELECT $__timeInterval(block_time) AS time, argMax(notional_at_risk, block_number) AS notional_at_risk\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-accounts-at-risk / Account health now":
    "SELECT bucket, accounts, notional\nFROM health_buckets FINAL\nWHERE exchange = ${exchange:sqlstring} AND snapshot_id = (SELECT argMax(snapshot_id, block_number) FROM visible_snapshots WHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time))\nORDER BY bucket_order",
  "perpwatch-accounts-at-risk / Account health over time":
    "SELECT $__timeInterval(block_time) AS time, bucket, argMax(accounts, block_number) AS accounts\nFROM health_buckets FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time) AND snapshot_id IN (SELECT snapshot_id FROM visible_snapshots WHERE exchange = ${exchange:sqlstring})\nGROUP BY time, bucket_order, bucket\nORDER BY time, bucket_order",
  "perpwatch-accounts-at-risk / Riskiest accounts now":
    "SELECT rank, account_id, owner, margin_ratio, buffer, equity, maintenance_margin, notional, collateral, markets, liquidatable\nFROM account_risk FINAL\nWHERE exchange = ${exchange:sqlstring} AND snapshot_id = (SELECT argMax(snapshot_id, block_number) FROM visible_snapshots WHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time))\nORDER BY rank",
  "perpwatch-accounts-at-risk / Most liquidated accounts":
    "SELECT account_id, count() AS liquidations, toFloat64(sum(notional)) AS notional, toFloat64(sum(bad_debt)) AS bad_debt,\n  max(block_time) AS last_liquidated\nFROM liquidations FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY account_id\nORDER BY notional DESC\nLIMIT 50",
  "perpwatch-system-health / Indexed block":
    "SELECT $__timeInterval(recorded_at) AS time, max(indexed_block) AS indexed_block\nFROM indexer_status FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(recorded_at)\nGROUP BY time\nORDER BY time",
  "perpwatch-system-health / Mirror divergences":
    "SELECT count() AS divergences\nFROM mirror_divergences FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)",
  "perpwatch-system-health / Alerts firing":
    "SELECT countIf(status = 'firing') AS firing\nFROM alert_events FINAL\nWHERE $__timeFilter(starts_at)",
  "perpwatch-system-health / Pending snapshots":
    "SELECT $__timeInterval(recorded_at) AS time, argMax(pending_snapshots, recorded_at) AS pending_snapshots\nFROM indexer_status FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(recorded_at)\nGROUP BY time\nORDER BY time",
  "perpwatch-system-health / Indexer lag":
    "SELECT $__timeInterval(recorded_at) AS time, max(lag_seconds) AS lag_seconds\nFROM indexer_status FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(recorded_at)\nGROUP BY time\nORDER BY time",
  "perpwatch-system-health / Blocks behind the indexed head":
    "SELECT $__timeInterval(recorded_at) AS time,\n  max(toInt64(indexed_block) - toInt64(finalized_block)) AS unfinalized,\n  max(toInt64(indexed_block) - toInt64(exported_block)) AS not_exported\nFROM indexer_status FINAL\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(recorded_at)\nGROUP BY time\nORDER BY time",
  "perpwatch-system-health / Mirror divergences over time":
    "SELECT $__timeInterval(block_time) AS time, max(mirror_divergences) AS mirror_divergences\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-system-health / Snapshot compute time":
    "SELECT $__timeInterval(block_time) AS time, max(compute_ms) AS compute_ms, max(positions) AS positions\nFROM visible_snapshots\nWHERE exchange = ${exchange:sqlstring} AND $__timeFilter(block_time)\nGROUP BY time\nORDER BY time",
  "perpwatch-system-health / Alert deliveries by outcome":
    "SELECT $__timeInterval(attempted_at) AS time, outcome, count() AS deliveries\nFROM alert_deliveries FINAL\nWHERE $__timeFilter(attempted_at)\nGROUP BY time, outcome\nORDER BY time, outcome",
  "perpwatch-system-health / Alert history":
    "SELECT e.starts_at AS starts_at, e.ends_at AS ends_at, e.rule AS rule, e.severity AS severity, e.status AS status,\n  e.summary AS summary, countIf(d.outcome = 'delivered') AS delivered, countIf(d.outcome IN ('failed', 'dead')) AS failed,\n  e.fingerprint AS fingerprint\nFROM (SELECT * FROM alert_events FINAL WHERE $__timeFilter(starts_at)) AS e\nLEFT JOIN (SELECT * FROM alert_deliveries FINAL) AS d ON d.fingerprint = e.fingerprint AND d.starts_at = e.starts_at\nGROUP BY starts_at, ends_at, rule, severity, status, summary, fingerprint\nORDER BY starts_at DESC\nLIMIT 200",
};
