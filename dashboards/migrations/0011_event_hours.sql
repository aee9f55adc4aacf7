-- Hourly aggregates of the busy event streams (issue 20), beside the per-minute ones of 0010.
--
-- Why: a panel over 90 or 365 days read the 1-minute aggregates, one row per market and minute
-- with an event — at the issue's year (funding and oracle prices per market every minute, 50 M
-- trades) ~10.5 M rows per stream, ~1 s per million on 2 cores (bench/dashboards-year.bench.ts
-- at scale 0.1: 1.05 M rows, 0.8–1.1 s). Hourly aggregates are at most 20 markets × 8,760 rows
-- a year, and grafana/tiers.ts reads them from an hour's interval up, as for snapshots.
--
-- Same columns and states as the 1-minute tables, `hour` for `minute`; materialized views on
-- the raw event tables keep them as events arrive. Existing events are aggregated once, from
-- the raw tables with the views' own SELECT: while the `ev_hours_backfill` marker exists, each
-- table is emptied and refilled, so a run interrupted anywhere and run again counts every event
-- once (the exporter, the only writer, does not run while migrations do).

CREATE TABLE IF NOT EXISTS {db}.ev_hours_backfill (started DateTime('UTC')) ENGINE = TinyLog;

CREATE TABLE IF NOT EXISTS {db}.ev_trades_1h (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  kind LowCardinality(String),
  hour DateTime('UTC'),
  trades SimpleAggregateFunction(sum, UInt64),
  notional SimpleAggregateFunction(sum, Float64),
  fees SimpleAggregateFunction(sum, Float64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, hour, symbol, kind);

CREATE TABLE IF NOT EXISTS {db}.ev_liquidations_1h (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  hour DateTime('UTC'),
  liquidations SimpleAggregateFunction(sum, UInt64),
  notional SimpleAggregateFunction(sum, Float64),
  insurance_covered SimpleAggregateFunction(sum, Float64),
  bad_debt SimpleAggregateFunction(sum, Float64),
  largest SimpleAggregateFunction(max, Float64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, hour, symbol);

CREATE TABLE IF NOT EXISTS {db}.ev_funding_1h (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  hour DateTime('UTC'),
  funding_rate AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32)),
  funding_velocity AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32)),
  skew AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, hour, symbol);

CREATE TABLE IF NOT EXISTS {db}.ev_oracle_prices_1h (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  hour DateTime('UTC'),
  price AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, hour, symbol);

CREATE TABLE IF NOT EXISTS {db}.ev_insurance_fund_1h (
  exchange LowCardinality(String),
  reason LowCardinality(String),
  hour DateTime('UTC'),
  updates SimpleAggregateFunction(sum, UInt64),
  delta SimpleAggregateFunction(sum, Float64),
  balance AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, hour, reason);

-- if-exists: ev_hours_backfill
TRUNCATE TABLE {db}.ev_trades_1h;
-- if-exists: ev_hours_backfill
INSERT INTO {db}.ev_trades_1h
SELECT exchange, symbol, kind, toStartOfHour(block_time) AS hour, count() AS trades,
  sum(toFloat64(notional)) AS notional, sum(toFloat64(fee)) AS fees
FROM {db}.ev_trades FINAL
GROUP BY exchange, symbol, kind, hour;

-- if-exists: ev_hours_backfill
TRUNCATE TABLE {db}.ev_liquidations_1h;
-- if-exists: ev_hours_backfill
INSERT INTO {db}.ev_liquidations_1h
SELECT exchange, symbol, toStartOfHour(block_time) AS hour, count() AS liquidations,
  sum(toFloat64(notional)) AS notional, sum(toFloat64(insurance_covered)) AS insurance_covered,
  sum(toFloat64(bad_debt)) AS bad_debt, max(toFloat64(e.notional)) AS largest
FROM {db}.ev_liquidations AS e FINAL
GROUP BY exchange, symbol, hour;

-- if-exists: ev_hours_backfill
TRUNCATE TABLE {db}.ev_funding_1h;
-- if-exists: ev_hours_backfill
INSERT INTO {db}.ev_funding_1h
SELECT exchange, symbol, toStartOfHour(block_time) AS hour,
  argMaxState(toFloat64(funding_rate), (block_number, log_index)) AS funding_rate,
  argMaxState(toFloat64(funding_velocity), (block_number, log_index)) AS funding_velocity,
  argMaxState(toFloat64(skew), (block_number, log_index)) AS skew
FROM {db}.ev_funding FINAL
GROUP BY exchange, symbol, hour;

-- if-exists: ev_hours_backfill
TRUNCATE TABLE {db}.ev_oracle_prices_1h;
-- if-exists: ev_hours_backfill
INSERT INTO {db}.ev_oracle_prices_1h
SELECT exchange, symbol, toStartOfHour(block_time) AS hour,
  argMaxState(toFloat64(price), (block_number, log_index)) AS price
FROM {db}.ev_oracle_prices FINAL
GROUP BY exchange, symbol, hour;

-- if-exists: ev_hours_backfill
TRUNCATE TABLE {db}.ev_insurance_fund_1h;
-- if-exists: ev_hours_backfill
INSERT INTO {db}.ev_insurance_fund_1h
SELECT exchange, reason, toStartOfHour(block_time) AS hour, count() AS updates,
  sum(toFloat64(delta)) AS delta,
  argMaxState(toFloat64(new_balance), (block_number, log_index)) AS balance
FROM {db}.ev_insurance_fund FINAL
GROUP BY exchange, reason, hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_trades_1h_mv TO {db}.ev_trades_1h AS
SELECT exchange, symbol, kind, toStartOfHour(block_time) AS hour, count() AS trades,
  sum(toFloat64(notional)) AS notional, sum(toFloat64(fee)) AS fees
FROM {db}.ev_trades
GROUP BY exchange, symbol, kind, hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_liquidations_1h_mv TO {db}.ev_liquidations_1h AS
SELECT exchange, symbol, toStartOfHour(block_time) AS hour, count() AS liquidations,
  sum(toFloat64(notional)) AS notional, sum(toFloat64(insurance_covered)) AS insurance_covered,
  sum(toFloat64(bad_debt)) AS bad_debt, max(toFloat64(e.notional)) AS largest
FROM {db}.ev_liquidations AS e
GROUP BY exchange, symbol, hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_funding_1h_mv TO {db}.ev_funding_1h AS
SELECT exchange, symbol, toStartOfHour(block_time) AS hour,
  argMaxState(toFloat64(funding_rate), (block_number, log_index)) AS funding_rate,
  argMaxState(toFloat64(funding_velocity), (block_number, log_index)) AS funding_velocity,
  argMaxState(toFloat64(skew), (block_number, log_index)) AS skew
FROM {db}.ev_funding
GROUP BY exchange, symbol, hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_oracle_prices_1h_mv TO {db}.ev_oracle_prices_1h AS
SELECT exchange, symbol, toStartOfHour(block_time) AS hour,
  argMaxState(toFloat64(price), (block_number, log_index)) AS price
FROM {db}.ev_oracle_prices
GROUP BY exchange, symbol, hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_insurance_fund_1h_mv TO {db}.ev_insurance_fund_1h AS
SELECT exchange, reason, toStartOfHour(block_time) AS hour, count() AS updates,
  sum(toFloat64(delta)) AS delta,
  argMaxState(toFloat64(new_balance), (block_number, log_index)) AS balance
FROM {db}.ev_insurance_fund
GROUP BY exchange, reason, hour;

DROP TABLE IF EXISTS {db}.ev_hours_backfill;
