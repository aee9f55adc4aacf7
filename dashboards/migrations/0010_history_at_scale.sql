-- History at exchange scale (issue 20): every table a panel filters by time is sorted by
-- (exchange, time, …) and partitioned (events by month, snapshots by day); raw snapshots are
-- kept 14 days after they were written (TTL on `written_at`, not on block time, so a devnet's
-- chain clock cannot expire them at once; dashboards/clickhouse/retention.ts applies another
-- retention from the configuration) while materialized views keep 1-minute and 1-hour rollups of every confirmed
-- snapshot and per-minute aggregates of the busy event streams for a year and more.
--
-- New tables, new names (ev_* events, snap_* snapshots, *_1m / *_1h rollups): a sorting key
-- cannot be changed in place. Today's tables are copied into them and dropped; every step is
-- idempotent, a `-- if-exists: <table>` line runs the statement after it only while that table
-- exists (migrate.ts), so a run interrupted anywhere is simply run again and ends in the same
-- state. Rollups and aggregates are rebuilt from the copies (TRUNCATE + INSERT … SELECT) while
-- the old tables exist, so a repeated copy never counts an event twice.
--
-- Amounts: exact D18 amounts are Decimal(38, 18) (16 bytes, ±1.7e20: any USD amount or asset
-- size an exchange holds), half of today's Decimal(76, 18); panels read Float64 columns of the
-- rollups and toFloat64() of raw rows. Events are immutable (no version: a re-export writes
-- identical rows, ReplacingMergeTree keeps one, and the exporter skips rows already stored so
-- the aggregates count each event once); rows that are replaced carry a version.
--
-- Events: ORDER BY (exchange, block_time, chain_id, block_number, log_index) is still unique per
-- event (exchange and time are functions of it); market and account filters use skip indexes.

CREATE TABLE IF NOT EXISTS {db}.ev_trades (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  account_id UInt64,
  market_id UInt32,
  symbol LowCardinality(String),
  kind LowCardinality(String),
  size_delta Decimal(38, 18),
  new_size Decimal(38, 18),
  fill_price Decimal(38, 18),
  notional Decimal(38, 18),
  realized_pnl Decimal(38, 18),
  realized_funding Decimal(38, 18),
  fee Decimal(38, 18),
  new_collateral Decimal(38, 18),
  INDEX account_id_idx account_id TYPE bloom_filter GRANULARITY 4,
  INDEX tx_hash_idx tx_hash TYPE bloom_filter GRANULARITY 4,
  INDEX market_id_idx market_id TYPE set(256) GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index);

-- if-exists: trades
INSERT INTO {db}.ev_trades (exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, account_id, market_id, symbol, kind, size_delta, new_size, fill_price, notional, realized_pnl, realized_funding, fee, new_collateral)
SELECT exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, account_id, market_id, symbol, kind, size_delta, new_size, fill_price, notional, realized_pnl, realized_funding, fee, new_collateral FROM {db}.trades;

CREATE TABLE IF NOT EXISTS {db}.ev_liquidations (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  account_id UInt64,
  market_id UInt32,
  symbol LowCardinality(String),
  liquidator String,
  equity Decimal(38, 18),
  maintenance_margin Decimal(38, 18),
  notional Decimal(38, 18),
  keeper_reward Decimal(38, 18),
  penalty_to_insurance Decimal(38, 18),
  insurance_covered Decimal(38, 18),
  bad_debt Decimal(38, 18),
  INDEX account_id_idx account_id TYPE bloom_filter GRANULARITY 4,
  INDEX tx_hash_idx tx_hash TYPE bloom_filter GRANULARITY 4,
  INDEX market_id_idx market_id TYPE set(256) GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index);

-- if-exists: liquidations
INSERT INTO {db}.ev_liquidations (exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, account_id, market_id, symbol, liquidator, equity, maintenance_margin, notional, keeper_reward, penalty_to_insurance, insurance_covered, bad_debt)
SELECT exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, account_id, 0, '', liquidator, equity, maintenance_margin, notional, keeper_reward, penalty_to_insurance, insurance_covered, bad_debt FROM {db}.liquidations;

CREATE TABLE IF NOT EXISTS {db}.ev_adl (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  bankrupt_account_id UInt64,
  counterparty_account_id UInt64,
  market_id UInt32,
  symbol LowCardinality(String),
  size_delta Decimal(38, 18),
  bankruptcy_price Decimal(38, 18),
  loss_absorbed Decimal(38, 18),
  INDEX bankrupt_account_id_idx bankrupt_account_id TYPE bloom_filter GRANULARITY 4,
  INDEX counterparty_account_id_idx counterparty_account_id TYPE bloom_filter GRANULARITY 4,
  INDEX market_id_idx market_id TYPE set(256) GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index);

-- if-exists: adl_events
INSERT INTO {db}.ev_adl (exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, bankrupt_account_id, counterparty_account_id, market_id, symbol, size_delta, bankruptcy_price, loss_absorbed)
SELECT exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, bankrupt_account_id, counterparty_account_id, market_id, symbol, size_delta, bankruptcy_price, loss_absorbed FROM {db}.adl_events;

CREATE TABLE IF NOT EXISTS {db}.ev_funding (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  market_id UInt32,
  symbol LowCardinality(String),
  price Decimal(38, 18),
  skew Decimal(38, 18),
  funding_rate Decimal(38, 18),
  funding_velocity Decimal(38, 18),
  funding_index Decimal(38, 18),
  funding_time DateTime('UTC'),
  INDEX market_id_idx market_id TYPE set(256) GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index);

-- if-exists: funding_updates
INSERT INTO {db}.ev_funding (exchange, chain_id, block_number, log_index, block_time, event_id, market_id, symbol, price, skew, funding_rate, funding_velocity, funding_index, funding_time)
SELECT exchange, chain_id, block_number, log_index, block_time, event_id, market_id, symbol, price, skew, funding_rate, funding_velocity, funding_index, funding_time FROM {db}.funding_updates;

CREATE TABLE IF NOT EXISTS {db}.ev_oracle_prices (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  market_id UInt32,
  symbol LowCardinality(String),
  price Decimal(38, 18),
  publish_time DateTime('UTC'),
  INDEX market_id_idx market_id TYPE set(256) GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index);

-- if-exists: oracle_prices
INSERT INTO {db}.ev_oracle_prices (exchange, chain_id, block_number, log_index, block_time, event_id, market_id, symbol, price, publish_time)
SELECT exchange, chain_id, block_number, log_index, block_time, event_id, market_id, symbol, price, publish_time FROM {db}.oracle_prices;

CREATE TABLE IF NOT EXISTS {db}.ev_insurance_fund (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  market_id UInt32,
  symbol LowCardinality(String),
  delta Decimal(38, 18),
  new_balance Decimal(38, 18),
  reason LowCardinality(String),
  INDEX tx_hash_idx tx_hash TYPE bloom_filter GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index);

-- if-exists: insurance_fund_updates
INSERT INTO {db}.ev_insurance_fund (exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, market_id, symbol, delta, new_balance, reason)
SELECT exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, 0, '', delta, new_balance, reason FROM {db}.insurance_fund_updates;

CREATE TABLE IF NOT EXISTS {db}.ev_collateral (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  account_id UInt64,
  market_id UInt32,
  symbol LowCardinality(String),
  amount_delta Decimal(38, 18),
  new_collateral Decimal(38, 18),
  sender String,
  INDEX account_id_idx account_id TYPE bloom_filter GRANULARITY 4,
  INDEX tx_hash_idx tx_hash TYPE bloom_filter GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index);

-- if-exists: collateral_changes
INSERT INTO {db}.ev_collateral (exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, account_id, market_id, symbol, amount_delta, new_collateral, sender)
SELECT exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, account_id, 0, '', amount_delta, new_collateral, sender FROM {db}.collateral_changes;

CREATE TABLE IF NOT EXISTS {db}.ev_bad_debt (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  account_id UInt64,
  market_id UInt32,
  symbol LowCardinality(String),
  record_size Decimal(38, 18),
  record_debt Decimal(38, 18),
  market_bad_debt Decimal(38, 18),
  INDEX account_id_idx account_id TYPE bloom_filter GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index);

-- if-exists: bad_debt_updates
INSERT INTO {db}.ev_bad_debt (exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, account_id, market_id, symbol, record_size, record_debt, market_bad_debt)
SELECT exchange, chain_id, block_number, log_index, block_time, event_id, tx_hash, account_id, market_id, symbol, record_size, record_debt, market_bad_debt FROM {db}.bad_debt_updates;

CREATE TABLE IF NOT EXISTS {db}.ev_mirror_divergences (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  field String,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  market_id UInt32,
  symbol LowCardinality(String),
  event_name LowCardinality(String),
  chain_value String,
  mirror_value String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (exchange, block_time, chain_id, block_number, log_index, field);

-- if-exists: mirror_divergences
INSERT INTO {db}.ev_mirror_divergences (exchange, chain_id, block_number, log_index, field, block_time, event_id, tx_hash, market_id, symbol, event_name, chain_value, mirror_value)
SELECT exchange, chain_id, block_number, log_index, field, block_time, event_id, tx_hash, 0, '', event_name, chain_value, mirror_value FROM {db}.mirror_divergences;

-- Per-minute aggregates of the busy streams, kept by materialized views as events arrive
-- (AggregatingMergeTree: sums merge, last values are argMax states by (block, log index)).
-- Amounts in Float64: they feed charts, and exact totals stay in the raw tables.
CREATE TABLE IF NOT EXISTS {db}.ev_trades_1m (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  kind LowCardinality(String),
  minute DateTime('UTC'),
  trades SimpleAggregateFunction(sum, UInt64),
  notional SimpleAggregateFunction(sum, Float64),
  fees SimpleAggregateFunction(sum, Float64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, minute, symbol, kind);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_trades_1m_mv TO {db}.ev_trades_1m AS
SELECT exchange, symbol, kind, toStartOfMinute(block_time) AS minute, count() AS trades,
  sum(toFloat64(notional)) AS notional, sum(toFloat64(fee)) AS fees
FROM {db}.ev_trades
GROUP BY exchange, symbol, kind, minute;

CREATE TABLE IF NOT EXISTS {db}.ev_liquidations_1m (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  minute DateTime('UTC'),
  liquidations SimpleAggregateFunction(sum, UInt64),
  notional SimpleAggregateFunction(sum, Float64),
  insurance_covered SimpleAggregateFunction(sum, Float64),
  bad_debt SimpleAggregateFunction(sum, Float64),
  largest SimpleAggregateFunction(max, Float64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, minute, symbol);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_liquidations_1m_mv TO {db}.ev_liquidations_1m AS
SELECT exchange, symbol, toStartOfMinute(block_time) AS minute, count() AS liquidations,
  sum(toFloat64(notional)) AS notional, sum(toFloat64(insurance_covered)) AS insurance_covered,
  sum(toFloat64(bad_debt)) AS bad_debt, max(toFloat64(e.notional)) AS largest
FROM {db}.ev_liquidations AS e
GROUP BY exchange, symbol, minute;

CREATE TABLE IF NOT EXISTS {db}.ev_funding_1m (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  minute DateTime('UTC'),
  funding_rate AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32)),
  funding_velocity AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32)),
  skew AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, minute, symbol);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_funding_1m_mv TO {db}.ev_funding_1m AS
SELECT exchange, symbol, toStartOfMinute(block_time) AS minute,
  argMaxState(toFloat64(funding_rate), (block_number, log_index)) AS funding_rate,
  argMaxState(toFloat64(funding_velocity), (block_number, log_index)) AS funding_velocity,
  argMaxState(toFloat64(skew), (block_number, log_index)) AS skew
FROM {db}.ev_funding
GROUP BY exchange, symbol, minute;

CREATE TABLE IF NOT EXISTS {db}.ev_oracle_prices_1m (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  minute DateTime('UTC'),
  price AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, minute, symbol);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_oracle_prices_1m_mv TO {db}.ev_oracle_prices_1m AS
SELECT exchange, symbol, toStartOfMinute(block_time) AS minute,
  argMaxState(toFloat64(price), (block_number, log_index)) AS price
FROM {db}.ev_oracle_prices
GROUP BY exchange, symbol, minute;

CREATE TABLE IF NOT EXISTS {db}.ev_insurance_fund_1m (
  exchange LowCardinality(String),
  reason LowCardinality(String),
  minute DateTime('UTC'),
  updates SimpleAggregateFunction(sum, UInt64),
  delta SimpleAggregateFunction(sum, Float64),
  balance AggregateFunction(argMax, Float64, Tuple(UInt64, UInt32))
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, minute, reason);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.ev_insurance_fund_1m_mv TO {db}.ev_insurance_fund_1m AS
SELECT exchange, reason, toStartOfMinute(block_time) AS minute, count() AS updates,
  sum(toFloat64(delta)) AS delta,
  argMaxState(toFloat64(new_balance), (block_number, log_index)) AS balance
FROM {db}.ev_insurance_fund
GROUP BY exchange, reason, minute;

-- The aggregates of the copied events, rebuilt while the old tables exist (see the top).
-- if-exists: trades
TRUNCATE TABLE {db}.ev_trades_1m;
-- if-exists: trades
INSERT INTO {db}.ev_trades_1m
SELECT exchange, symbol, kind, toStartOfMinute(block_time) AS minute, count(), sum(toFloat64(notional)), sum(toFloat64(fee))
FROM {db}.ev_trades FINAL GROUP BY exchange, symbol, kind, minute;
-- if-exists: liquidations
TRUNCATE TABLE {db}.ev_liquidations_1m;
-- if-exists: liquidations
INSERT INTO {db}.ev_liquidations_1m
SELECT exchange, symbol, toStartOfMinute(block_time) AS minute, count(), sum(toFloat64(notional)),
  sum(toFloat64(insurance_covered)), sum(toFloat64(bad_debt)), max(toFloat64(notional))
FROM {db}.ev_liquidations FINAL GROUP BY exchange, symbol, minute;
-- if-exists: funding_updates
TRUNCATE TABLE {db}.ev_funding_1m;
-- if-exists: funding_updates
INSERT INTO {db}.ev_funding_1m
SELECT exchange, symbol, toStartOfMinute(block_time) AS minute,
  argMaxState(toFloat64(funding_rate), (block_number, log_index)),
  argMaxState(toFloat64(funding_velocity), (block_number, log_index)),
  argMaxState(toFloat64(skew), (block_number, log_index))
FROM {db}.ev_funding FINAL GROUP BY exchange, symbol, minute;
-- if-exists: oracle_prices
TRUNCATE TABLE {db}.ev_oracle_prices_1m;
-- if-exists: oracle_prices
INSERT INTO {db}.ev_oracle_prices_1m
SELECT exchange, symbol, toStartOfMinute(block_time) AS minute, argMaxState(toFloat64(price), (block_number, log_index))
FROM {db}.ev_oracle_prices FINAL GROUP BY exchange, symbol, minute;
-- if-exists: insurance_fund_updates
TRUNCATE TABLE {db}.ev_insurance_fund_1m;
-- if-exists: insurance_fund_updates
INSERT INTO {db}.ev_insurance_fund_1m
SELECT exchange, reason, toStartOfMinute(block_time) AS minute, count(), sum(toFloat64(delta)),
  argMaxState(toFloat64(new_balance), (block_number, log_index))
FROM {db}.ev_insurance_fund FINAL GROUP BY exchange, reason, minute;

DROP TABLE IF EXISTS {db}.trades;
DROP TABLE IF EXISTS {db}.liquidations;
DROP TABLE IF EXISTS {db}.adl_events;
DROP TABLE IF EXISTS {db}.funding_updates;
DROP TABLE IF EXISTS {db}.oracle_prices;
DROP TABLE IF EXISTS {db}.insurance_fund_updates;
DROP TABLE IF EXISTS {db}.collateral_changes;
DROP TABLE IF EXISTS {db}.bad_debt_updates;
DROP TABLE IF EXISTS {db}.mirror_divergences;

-- Snapshots. `snap_headers` holds each snapshot's status (ReplacingMergeTree by `version`:
-- pending → confirmed | orphaned) and headline figures; the detail tables hold its rows. Raw
-- rows are kept 14 days; panels over longer ranges read the rollups, which hold confirmed
-- snapshots only (the exporter feeds a confirmed snapshot's rows through the *_confirmed Null
-- tables when it confirms it), so the reorg filter is needed only on raw rows — and there it
-- reads the range's status rows (sorted by time), not every snapshot ever stored.
CREATE TABLE IF NOT EXISTS {db}.snap_headers (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
  written_at DateTime('UTC') DEFAULT now(),
  status LowCardinality(String),
  version UInt64,
  basis_from UInt64,
  basis_to UInt64,
  basis_digest String,
  insurance_fund Decimal(38, 18),
  pending_bad_debt Decimal(38, 18),
  accounts UInt32,
  open_accounts UInt32,
  positions UInt32,
  open_interest_usd Float64,
  accounts_at_risk UInt32,
  notional_at_risk Float64,
  max_abs_funding_rate Float64,
  amplification_10 Float64,
  mirror_divergences UInt64,
  compute_ms Float64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toDate(block_time)
ORDER BY (exchange, block_time, snapshot_id)
TTL written_at + INTERVAL 14 DAY DELETE;

CREATE TABLE IF NOT EXISTS {db}.snap_markets (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
  written_at DateTime('UTC') DEFAULT now(),
  market_id UInt32,
  symbol LowCardinality(String),
  price Float64,
  open_interest_long Float64,
  open_interest_short Float64,
  open_interest_usd Float64,
  skew Float64,
  skew_ratio Float64,
  funding_rate Float64,
  funding_rate_annual Float64,
  funding_velocity Float64,
  pending_bad_debt Float64,
  accounts_at_risk UInt32,
  liquidatable_down_1 Float64,
  liquidatable_down_3 Float64,
  liquidatable_down_5 Float64,
  liquidatable_down_10 Float64,
  liquidatable_up_1 Float64,
  liquidatable_up_3 Float64,
  liquidatable_up_5 Float64,
  liquidatable_up_10 Float64
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(block_time)
ORDER BY (exchange, symbol, block_time, snapshot_id)
TTL written_at + INTERVAL 14 DAY DELETE;

CREATE TABLE IF NOT EXISTS {db}.snap_ladder (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
  written_at DateTime('UTC') DEFAULT now(),
  market_id UInt32,
  symbol LowCardinality(String),
  move Float64,
  price Float64,
  liquidated_notional Float64,
  market_notional Float64,
  bucket_notional Float64,
  accounts UInt32,
  bad_debt Float64
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(block_time)
ORDER BY (exchange, symbol, block_time, snapshot_id, move)
TTL written_at + INTERVAL 14 DAY DELETE;

CREATE TABLE IF NOT EXISTS {db}.snap_cascades (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
  written_at DateTime('UTC') DEFAULT now(),
  shock Float64,
  shock_label LowCardinality(String),
  amplification Float64,
  liquidated_notional Float64,
  liquidated_accounts UInt32,
  bad_debt Float64,
  insurance_fund_start Float64,
  insurance_covered Float64,
  uncovered_bad_debt Float64,
  insurance_coverage Float64,
  adl_triggered UInt8,
  rounds UInt16,
  converged UInt8
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(block_time)
ORDER BY (exchange, block_time, snapshot_id, shock)
TTL written_at + INTERVAL 14 DAY DELETE;

CREATE TABLE IF NOT EXISTS {db}.snap_health (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
  written_at DateTime('UTC') DEFAULT now(),
  bucket_order UInt8,
  bucket LowCardinality(String),
  accounts UInt32,
  notional Float64,
  equity Float64
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(block_time)
ORDER BY (exchange, block_time, snapshot_id, bucket_order)
TTL written_at + INTERVAL 14 DAY DELETE;

CREATE TABLE IF NOT EXISTS {db}.snap_accounts (
  exchange LowCardinality(String),
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
  written_at DateTime('UTC') DEFAULT now(),
  rank UInt16,
  account_id UInt64,
  owner String,
  collateral Float64,
  equity Float64,
  initial_margin Float64,
  maintenance_margin Float64,
  notional Float64,
  margin_ratio Nullable(Float64),
  buffer Float64,
  liquidatable UInt8,
  markets UInt8,
  INDEX account_id_idx account_id TYPE bloom_filter GRANULARITY 4
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(block_time)
ORDER BY (exchange, block_time, snapshot_id, rank)
TTL written_at + INTERVAL 14 DAY DELETE;

-- The latest visible snapshot per exchange, written by the exporter after every settle (an
-- orphaned head is replaced by the newest visible one at once): "now" panels read one row.
CREATE TABLE IF NOT EXISTS {db}.snap_latest (
  exchange LowCardinality(String),
  version UInt64,
  snapshot_id String,
  block_number UInt64,
  block_time DateTime('UTC'),
  insurance_fund Float64,
  pending_bad_debt Float64,
  open_interest_usd Float64,
  accounts_at_risk UInt32,
  notional_at_risk Float64,
  amplification_10 Float64,
  coverage_10 Float64,
  adl_likely UInt8
) ENGINE = ReplacingMergeTree(version)
ORDER BY exchange;

-- Rollup sources: Null tables (nothing stored) whose materialized views fill the rollups.
CREATE TABLE IF NOT EXISTS {db}.snap_headers_confirmed AS {db}.snap_headers ENGINE = Null;
CREATE TABLE IF NOT EXISTS {db}.snap_markets_confirmed AS {db}.snap_markets ENGINE = Null;
CREATE TABLE IF NOT EXISTS {db}.snap_ladder_confirmed AS {db}.snap_ladder ENGINE = Null;
CREATE TABLE IF NOT EXISTS {db}.snap_cascades_confirmed AS {db}.snap_cascades ENGINE = Null;
CREATE TABLE IF NOT EXISTS {db}.snap_health_confirmed AS {db}.snap_health ENGINE = Null;

-- Rollups of confirmed snapshots: per minute (kept 400 days) and per hour (kept 5 years), the
-- last value of each figure in the bucket (argMax by block, as the panels' raw SQL picks it)
-- and the largest where a panel shows the worst. A Grafana interval of whole minutes or hours
-- merges these states into exactly what the raw rows give (panels choose the tier from it).
CREATE TABLE IF NOT EXISTS {db}.snap_headers_1m (
  exchange LowCardinality(String),
  minute DateTime('UTC'),
  open_interest_usd AggregateFunction(argMax, Float64, UInt64),
  insurance_fund AggregateFunction(argMax, Float64, UInt64),
  pending_bad_debt AggregateFunction(argMax, Float64, UInt64),
  open_accounts AggregateFunction(argMax, UInt32, UInt64),
  accounts_at_risk AggregateFunction(argMax, UInt32, UInt64),
  notional_at_risk AggregateFunction(argMax, Float64, UInt64),
  max_abs_funding_rate AggregateFunction(argMax, Float64, UInt64),
  amplification_10 AggregateFunction(argMax, Float64, UInt64),
  mirror_divergences SimpleAggregateFunction(max, UInt64),
  compute_ms SimpleAggregateFunction(max, Float64),
  positions SimpleAggregateFunction(max, UInt32)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, minute)
TTL minute + INTERVAL 400 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_headers_1m_mv TO {db}.snap_headers_1m AS
SELECT exchange, toStartOfMinute(block_time) AS minute, argMaxState(open_interest_usd, block_number) AS open_interest_usd, argMaxState(toFloat64(insurance_fund), block_number) AS insurance_fund, argMaxState(toFloat64(pending_bad_debt), block_number) AS pending_bad_debt, argMaxState(open_accounts, block_number) AS open_accounts, argMaxState(accounts_at_risk, block_number) AS accounts_at_risk, argMaxState(notional_at_risk, block_number) AS notional_at_risk, argMaxState(max_abs_funding_rate, block_number) AS max_abs_funding_rate, argMaxState(amplification_10, block_number) AS amplification_10, max(mirror_divergences) AS mirror_divergences, max(compute_ms) AS compute_ms, max(positions) AS positions
FROM {db}.snap_headers_confirmed
GROUP BY exchange, minute;

CREATE TABLE IF NOT EXISTS {db}.snap_headers_1h (
  exchange LowCardinality(String),
  hour DateTime('UTC'),
  open_interest_usd AggregateFunction(argMax, Float64, UInt64),
  insurance_fund AggregateFunction(argMax, Float64, UInt64),
  pending_bad_debt AggregateFunction(argMax, Float64, UInt64),
  open_accounts AggregateFunction(argMax, UInt32, UInt64),
  accounts_at_risk AggregateFunction(argMax, UInt32, UInt64),
  notional_at_risk AggregateFunction(argMax, Float64, UInt64),
  max_abs_funding_rate AggregateFunction(argMax, Float64, UInt64),
  amplification_10 AggregateFunction(argMax, Float64, UInt64),
  mirror_divergences SimpleAggregateFunction(max, UInt64),
  compute_ms SimpleAggregateFunction(max, Float64),
  positions SimpleAggregateFunction(max, UInt32)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, hour)
TTL hour + INTERVAL 1830 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_headers_1h_mv TO {db}.snap_headers_1h AS
SELECT exchange, toStartOfHour(block_time) AS hour, argMaxState(open_interest_usd, block_number) AS open_interest_usd, argMaxState(toFloat64(insurance_fund), block_number) AS insurance_fund, argMaxState(toFloat64(pending_bad_debt), block_number) AS pending_bad_debt, argMaxState(open_accounts, block_number) AS open_accounts, argMaxState(accounts_at_risk, block_number) AS accounts_at_risk, argMaxState(notional_at_risk, block_number) AS notional_at_risk, argMaxState(max_abs_funding_rate, block_number) AS max_abs_funding_rate, argMaxState(amplification_10, block_number) AS amplification_10, max(mirror_divergences) AS mirror_divergences, max(compute_ms) AS compute_ms, max(positions) AS positions
FROM {db}.snap_headers_confirmed
GROUP BY exchange, hour;

CREATE TABLE IF NOT EXISTS {db}.snap_markets_1m (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  minute DateTime('UTC'),
  price AggregateFunction(argMax, Float64, UInt64),
  open_interest_long AggregateFunction(argMax, Float64, UInt64),
  open_interest_short AggregateFunction(argMax, Float64, UInt64),
  open_interest_usd AggregateFunction(argMax, Float64, UInt64),
  skew AggregateFunction(argMax, Float64, UInt64),
  skew_ratio AggregateFunction(argMax, Float64, UInt64),
  funding_rate AggregateFunction(argMax, Float64, UInt64),
  funding_rate_annual AggregateFunction(argMax, Float64, UInt64),
  funding_velocity AggregateFunction(argMax, Float64, UInt64),
  pending_bad_debt AggregateFunction(argMax, Float64, UInt64),
  accounts_at_risk AggregateFunction(argMax, UInt32, UInt64),
  liquidatable_down_1 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_down_3 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_down_5 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_down_10 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_up_1 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_up_3 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_up_5 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_up_10 AggregateFunction(argMax, Float64, UInt64),
  market_id SimpleAggregateFunction(max, UInt32)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, symbol, minute)
TTL minute + INTERVAL 400 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_markets_1m_mv TO {db}.snap_markets_1m AS
SELECT exchange, symbol, toStartOfMinute(block_time) AS minute, argMaxState(price, block_number) AS price, argMaxState(open_interest_long, block_number) AS open_interest_long, argMaxState(open_interest_short, block_number) AS open_interest_short, argMaxState(open_interest_usd, block_number) AS open_interest_usd, argMaxState(skew, block_number) AS skew, argMaxState(skew_ratio, block_number) AS skew_ratio, argMaxState(funding_rate, block_number) AS funding_rate, argMaxState(funding_rate_annual, block_number) AS funding_rate_annual, argMaxState(funding_velocity, block_number) AS funding_velocity, argMaxState(pending_bad_debt, block_number) AS pending_bad_debt, argMaxState(accounts_at_risk, block_number) AS accounts_at_risk, argMaxState(liquidatable_down_1, block_number) AS liquidatable_down_1, argMaxState(liquidatable_down_3, block_number) AS liquidatable_down_3, argMaxState(liquidatable_down_5, block_number) AS liquidatable_down_5, argMaxState(liquidatable_down_10, block_number) AS liquidatable_down_10, argMaxState(liquidatable_up_1, block_number) AS liquidatable_up_1, argMaxState(liquidatable_up_3, block_number) AS liquidatable_up_3, argMaxState(liquidatable_up_5, block_number) AS liquidatable_up_5, argMaxState(liquidatable_up_10, block_number) AS liquidatable_up_10, max(market_id) AS market_id
FROM {db}.snap_markets_confirmed
GROUP BY exchange, symbol, minute;

CREATE TABLE IF NOT EXISTS {db}.snap_markets_1h (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  hour DateTime('UTC'),
  price AggregateFunction(argMax, Float64, UInt64),
  open_interest_long AggregateFunction(argMax, Float64, UInt64),
  open_interest_short AggregateFunction(argMax, Float64, UInt64),
  open_interest_usd AggregateFunction(argMax, Float64, UInt64),
  skew AggregateFunction(argMax, Float64, UInt64),
  skew_ratio AggregateFunction(argMax, Float64, UInt64),
  funding_rate AggregateFunction(argMax, Float64, UInt64),
  funding_rate_annual AggregateFunction(argMax, Float64, UInt64),
  funding_velocity AggregateFunction(argMax, Float64, UInt64),
  pending_bad_debt AggregateFunction(argMax, Float64, UInt64),
  accounts_at_risk AggregateFunction(argMax, UInt32, UInt64),
  liquidatable_down_1 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_down_3 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_down_5 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_down_10 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_up_1 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_up_3 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_up_5 AggregateFunction(argMax, Float64, UInt64),
  liquidatable_up_10 AggregateFunction(argMax, Float64, UInt64),
  market_id SimpleAggregateFunction(max, UInt32)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, symbol, hour)
TTL hour + INTERVAL 1830 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_markets_1h_mv TO {db}.snap_markets_1h AS
SELECT exchange, symbol, toStartOfHour(block_time) AS hour, argMaxState(price, block_number) AS price, argMaxState(open_interest_long, block_number) AS open_interest_long, argMaxState(open_interest_short, block_number) AS open_interest_short, argMaxState(open_interest_usd, block_number) AS open_interest_usd, argMaxState(skew, block_number) AS skew, argMaxState(skew_ratio, block_number) AS skew_ratio, argMaxState(funding_rate, block_number) AS funding_rate, argMaxState(funding_rate_annual, block_number) AS funding_rate_annual, argMaxState(funding_velocity, block_number) AS funding_velocity, argMaxState(pending_bad_debt, block_number) AS pending_bad_debt, argMaxState(accounts_at_risk, block_number) AS accounts_at_risk, argMaxState(liquidatable_down_1, block_number) AS liquidatable_down_1, argMaxState(liquidatable_down_3, block_number) AS liquidatable_down_3, argMaxState(liquidatable_down_5, block_number) AS liquidatable_down_5, argMaxState(liquidatable_down_10, block_number) AS liquidatable_down_10, argMaxState(liquidatable_up_1, block_number) AS liquidatable_up_1, argMaxState(liquidatable_up_3, block_number) AS liquidatable_up_3, argMaxState(liquidatable_up_5, block_number) AS liquidatable_up_5, argMaxState(liquidatable_up_10, block_number) AS liquidatable_up_10, max(market_id) AS market_id
FROM {db}.snap_markets_confirmed
GROUP BY exchange, symbol, hour;

CREATE TABLE IF NOT EXISTS {db}.snap_ladder_1m (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  move Float64,
  minute DateTime('UTC'),
  bucket_notional AggregateFunction(argMax, Float64, UInt64),
  market_notional AggregateFunction(argMax, Float64, UInt64),
  bad_debt AggregateFunction(argMax, Float64, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, symbol, move, minute)
TTL minute + INTERVAL 400 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_ladder_1m_mv TO {db}.snap_ladder_1m AS
SELECT exchange, symbol, move, toStartOfMinute(block_time) AS minute, argMaxState(bucket_notional, block_number) AS bucket_notional, argMaxState(market_notional, block_number) AS market_notional, argMaxState(bad_debt, block_number) AS bad_debt
FROM {db}.snap_ladder_confirmed
GROUP BY exchange, symbol, move, minute;

CREATE TABLE IF NOT EXISTS {db}.snap_ladder_1h (
  exchange LowCardinality(String),
  symbol LowCardinality(String),
  move Float64,
  hour DateTime('UTC'),
  bucket_notional AggregateFunction(argMax, Float64, UInt64),
  market_notional AggregateFunction(argMax, Float64, UInt64),
  bad_debt AggregateFunction(argMax, Float64, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, symbol, move, hour)
TTL hour + INTERVAL 1830 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_ladder_1h_mv TO {db}.snap_ladder_1h AS
SELECT exchange, symbol, move, toStartOfHour(block_time) AS hour, argMaxState(bucket_notional, block_number) AS bucket_notional, argMaxState(market_notional, block_number) AS market_notional, argMaxState(bad_debt, block_number) AS bad_debt
FROM {db}.snap_ladder_confirmed
GROUP BY exchange, symbol, move, hour;

CREATE TABLE IF NOT EXISTS {db}.snap_cascades_1m (
  exchange LowCardinality(String),
  shock Float64,
  shock_label LowCardinality(String),
  minute DateTime('UTC'),
  amplification AggregateFunction(argMax, Float64, UInt64),
  insurance_coverage AggregateFunction(argMax, Float64, UInt64),
  bad_debt AggregateFunction(argMax, Float64, UInt64),
  uncovered_bad_debt AggregateFunction(argMax, Float64, UInt64),
  liquidated_notional AggregateFunction(argMax, Float64, UInt64),
  adl_triggered AggregateFunction(argMax, UInt8, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, shock, shock_label, minute)
TTL minute + INTERVAL 400 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_cascades_1m_mv TO {db}.snap_cascades_1m AS
SELECT exchange, shock, shock_label, toStartOfMinute(block_time) AS minute, argMaxState(amplification, block_number) AS amplification, argMaxState(insurance_coverage, block_number) AS insurance_coverage, argMaxState(bad_debt, block_number) AS bad_debt, argMaxState(uncovered_bad_debt, block_number) AS uncovered_bad_debt, argMaxState(liquidated_notional, block_number) AS liquidated_notional, argMaxState(adl_triggered, block_number) AS adl_triggered
FROM {db}.snap_cascades_confirmed
GROUP BY exchange, shock, shock_label, minute;

CREATE TABLE IF NOT EXISTS {db}.snap_cascades_1h (
  exchange LowCardinality(String),
  shock Float64,
  shock_label LowCardinality(String),
  hour DateTime('UTC'),
  amplification AggregateFunction(argMax, Float64, UInt64),
  insurance_coverage AggregateFunction(argMax, Float64, UInt64),
  bad_debt AggregateFunction(argMax, Float64, UInt64),
  uncovered_bad_debt AggregateFunction(argMax, Float64, UInt64),
  liquidated_notional AggregateFunction(argMax, Float64, UInt64),
  adl_triggered AggregateFunction(argMax, UInt8, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, shock, shock_label, hour)
TTL hour + INTERVAL 1830 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_cascades_1h_mv TO {db}.snap_cascades_1h AS
SELECT exchange, shock, shock_label, toStartOfHour(block_time) AS hour, argMaxState(amplification, block_number) AS amplification, argMaxState(insurance_coverage, block_number) AS insurance_coverage, argMaxState(bad_debt, block_number) AS bad_debt, argMaxState(uncovered_bad_debt, block_number) AS uncovered_bad_debt, argMaxState(liquidated_notional, block_number) AS liquidated_notional, argMaxState(adl_triggered, block_number) AS adl_triggered
FROM {db}.snap_cascades_confirmed
GROUP BY exchange, shock, shock_label, hour;

CREATE TABLE IF NOT EXISTS {db}.snap_health_1m (
  exchange LowCardinality(String),
  bucket_order UInt8,
  bucket LowCardinality(String),
  minute DateTime('UTC'),
  accounts AggregateFunction(argMax, UInt32, UInt64),
  notional AggregateFunction(argMax, Float64, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
ORDER BY (exchange, bucket_order, bucket, minute)
TTL minute + INTERVAL 400 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_health_1m_mv TO {db}.snap_health_1m AS
SELECT exchange, bucket_order, bucket, toStartOfMinute(block_time) AS minute, argMaxState(accounts, block_number) AS accounts, argMaxState(notional, block_number) AS notional
FROM {db}.snap_health_confirmed
GROUP BY exchange, bucket_order, bucket, minute;

CREATE TABLE IF NOT EXISTS {db}.snap_health_1h (
  exchange LowCardinality(String),
  bucket_order UInt8,
  bucket LowCardinality(String),
  hour DateTime('UTC'),
  accounts AggregateFunction(argMax, UInt32, UInt64),
  notional AggregateFunction(argMax, Float64, UInt64)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (exchange, bucket_order, bucket, hour)
TTL hour + INTERVAL 1830 DAY DELETE;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.snap_health_1h_mv TO {db}.snap_health_1h AS
SELECT exchange, bucket_order, bucket, toStartOfHour(block_time) AS hour, argMaxState(accounts, block_number) AS accounts, argMaxState(notional, block_number) AS notional
FROM {db}.snap_health_confirmed
GROUP BY exchange, bucket_order, bucket, hour;

-- Today's snapshots: rollups of the confirmed ones, then the raw copies (see the top).
DROP VIEW IF EXISTS {db}.visible_snapshots;

-- if-exists: snapshots
TRUNCATE TABLE {db}.snap_headers_1m;
-- if-exists: snapshots
TRUNCATE TABLE {db}.snap_headers_1h;
-- if-exists: snapshots
INSERT INTO {db}.snap_headers_confirmed (exchange, chain_id, block_number, block_time, snapshot_id, status, version, basis_from, basis_to, basis_digest, insurance_fund, pending_bad_debt, accounts, open_accounts, positions, open_interest_usd, accounts_at_risk, notional_at_risk, max_abs_funding_rate, amplification_10, mirror_divergences, compute_ms) SELECT exchange, chain_id, block_number, block_time, snapshot_id, status, version, basis_from, basis_to, basis_digest, insurance_fund, pending_bad_debt, accounts, open_accounts, positions, open_interest_usd, accounts_at_risk, notional_at_risk, max_abs_funding_rate, amplification_10, mirror_divergences, compute_ms FROM {db}.snapshots FINAL WHERE status = 'confirmed';
-- if-exists: market_snapshots snapshots
TRUNCATE TABLE {db}.snap_markets_1m;
-- if-exists: market_snapshots snapshots
TRUNCATE TABLE {db}.snap_markets_1h;
-- if-exists: market_snapshots snapshots
INSERT INTO {db}.snap_markets_confirmed (exchange, chain_id, block_number, block_time, snapshot_id, market_id, symbol, price, open_interest_long, open_interest_short, open_interest_usd, skew, skew_ratio, funding_rate, funding_rate_annual, funding_velocity, pending_bad_debt, accounts_at_risk, liquidatable_down_1, liquidatable_down_3, liquidatable_down_5, liquidatable_down_10, liquidatable_up_1, liquidatable_up_3, liquidatable_up_5, liquidatable_up_10) SELECT exchange, chain_id, block_number, block_time, snapshot_id, market_id, symbol, price, open_interest_long, open_interest_short, open_interest_usd, skew, skew_ratio, funding_rate, funding_rate_annual, funding_velocity, pending_bad_debt, accounts_at_risk, liquidatable_down_1, liquidatable_down_3, liquidatable_down_5, liquidatable_down_10, liquidatable_up_1, liquidatable_up_3, liquidatable_up_5, liquidatable_up_10 FROM {db}.market_snapshots FINAL WHERE snapshot_id IN (SELECT snapshot_id FROM {db}.snapshots FINAL WHERE status = 'confirmed');
-- if-exists: ladder_buckets snapshots
TRUNCATE TABLE {db}.snap_ladder_1m;
-- if-exists: ladder_buckets snapshots
TRUNCATE TABLE {db}.snap_ladder_1h;
-- if-exists: ladder_buckets snapshots
INSERT INTO {db}.snap_ladder_confirmed (exchange, chain_id, block_number, block_time, snapshot_id, market_id, symbol, move, price, liquidated_notional, market_notional, bucket_notional, accounts, bad_debt) SELECT exchange, chain_id, block_number, block_time, snapshot_id, market_id, symbol, move, price, liquidated_notional, market_notional, bucket_notional, accounts, bad_debt FROM {db}.ladder_buckets FINAL WHERE snapshot_id IN (SELECT snapshot_id FROM {db}.snapshots FINAL WHERE status = 'confirmed');
-- if-exists: cascade_snapshots snapshots
TRUNCATE TABLE {db}.snap_cascades_1m;
-- if-exists: cascade_snapshots snapshots
TRUNCATE TABLE {db}.snap_cascades_1h;
-- if-exists: cascade_snapshots snapshots
INSERT INTO {db}.snap_cascades_confirmed (exchange, chain_id, block_number, block_time, snapshot_id, shock, shock_label, amplification, liquidated_notional, liquidated_accounts, bad_debt, insurance_fund_start, insurance_covered, uncovered_bad_debt, insurance_coverage, adl_triggered, rounds, converged) SELECT exchange, chain_id, block_number, block_time, snapshot_id, shock, shock_label, amplification, liquidated_notional, liquidated_accounts, bad_debt, insurance_fund_start, insurance_covered, uncovered_bad_debt, insurance_coverage, adl_triggered, rounds, converged FROM {db}.cascade_snapshots FINAL WHERE snapshot_id IN (SELECT snapshot_id FROM {db}.snapshots FINAL WHERE status = 'confirmed');
-- if-exists: health_buckets snapshots
TRUNCATE TABLE {db}.snap_health_1m;
-- if-exists: health_buckets snapshots
TRUNCATE TABLE {db}.snap_health_1h;
-- if-exists: health_buckets snapshots
INSERT INTO {db}.snap_health_confirmed (exchange, chain_id, block_number, block_time, snapshot_id, bucket_order, bucket, accounts, notional, equity) SELECT exchange, chain_id, block_number, block_time, snapshot_id, bucket_order, bucket, accounts, notional, equity FROM {db}.health_buckets FINAL WHERE snapshot_id IN (SELECT snapshot_id FROM {db}.snapshots FINAL WHERE status = 'confirmed');

-- if-exists: market_snapshots
INSERT INTO {db}.snap_markets (exchange, chain_id, block_number, block_time, snapshot_id, market_id, symbol, price, open_interest_long, open_interest_short, open_interest_usd, skew, skew_ratio, funding_rate, funding_rate_annual, funding_velocity, pending_bad_debt, accounts_at_risk, liquidatable_down_1, liquidatable_down_3, liquidatable_down_5, liquidatable_down_10, liquidatable_up_1, liquidatable_up_3, liquidatable_up_5, liquidatable_up_10) SELECT exchange, chain_id, block_number, block_time, snapshot_id, market_id, symbol, price, open_interest_long, open_interest_short, open_interest_usd, skew, skew_ratio, funding_rate, funding_rate_annual, funding_velocity, pending_bad_debt, accounts_at_risk, liquidatable_down_1, liquidatable_down_3, liquidatable_down_5, liquidatable_down_10, liquidatable_up_1, liquidatable_up_3, liquidatable_up_5, liquidatable_up_10 FROM {db}.market_snapshots;
-- if-exists: ladder_buckets
INSERT INTO {db}.snap_ladder (exchange, chain_id, block_number, block_time, snapshot_id, market_id, symbol, move, price, liquidated_notional, market_notional, bucket_notional, accounts, bad_debt) SELECT exchange, chain_id, block_number, block_time, snapshot_id, market_id, symbol, move, price, liquidated_notional, market_notional, bucket_notional, accounts, bad_debt FROM {db}.ladder_buckets;
-- if-exists: cascade_snapshots
INSERT INTO {db}.snap_cascades (exchange, chain_id, block_number, block_time, snapshot_id, shock, shock_label, amplification, liquidated_notional, liquidated_accounts, bad_debt, insurance_fund_start, insurance_covered, uncovered_bad_debt, insurance_coverage, adl_triggered, rounds, converged) SELECT exchange, chain_id, block_number, block_time, snapshot_id, shock, shock_label, amplification, liquidated_notional, liquidated_accounts, bad_debt, insurance_fund_start, insurance_covered, uncovered_bad_debt, insurance_coverage, adl_triggered, rounds, converged FROM {db}.cascade_snapshots;
-- if-exists: health_buckets
INSERT INTO {db}.snap_health (exchange, chain_id, block_number, block_time, snapshot_id, bucket_order, bucket, accounts, notional, equity) SELECT exchange, chain_id, block_number, block_time, snapshot_id, bucket_order, bucket, accounts, notional, equity FROM {db}.health_buckets;
-- if-exists: account_risk
INSERT INTO {db}.snap_accounts (exchange, chain_id, block_number, block_time, snapshot_id, rank, account_id, owner, collateral, equity, initial_margin, maintenance_margin, notional, margin_ratio, buffer, liquidatable, markets) SELECT exchange, chain_id, block_number, block_time, snapshot_id, rank, account_id, owner, collateral, equity, initial_margin, maintenance_margin, notional, margin_ratio, buffer, liquidatable, markets FROM {db}.account_risk;
-- if-exists: snapshots
INSERT INTO {db}.snap_headers (exchange, chain_id, block_number, block_time, snapshot_id, status, version, basis_from, basis_to, basis_digest, insurance_fund, pending_bad_debt, accounts, open_accounts, positions, open_interest_usd, accounts_at_risk, notional_at_risk, max_abs_funding_rate, amplification_10, mirror_divergences, compute_ms) SELECT exchange, chain_id, block_number, block_time, snapshot_id, status, version, basis_from, basis_to, basis_digest, insurance_fund, pending_bad_debt, accounts, open_accounts, positions, open_interest_usd, accounts_at_risk, notional_at_risk, max_abs_funding_rate, amplification_10, mirror_divergences, compute_ms FROM {db}.snapshots;
-- if-exists: snapshots cascade_snapshots
INSERT INTO {db}.snap_latest
SELECT s.exchange, 0, s.snapshot_id, s.block_number, s.block_time, toFloat64(s.insurance_fund),
  toFloat64(s.pending_bad_debt), s.open_interest_usd, s.accounts_at_risk, s.notional_at_risk, s.amplification_10,
  ifNull(c.coverage, 1), ifNull(c.adl, 0)
FROM (
  SELECT * FROM {db}.snapshots FINAL WHERE status IN ('pending', 'confirmed')
  ORDER BY block_number DESC LIMIT 1 BY exchange
) AS s
LEFT JOIN (
  SELECT snapshot_id, any(insurance_coverage) AS coverage, max(adl_triggered) AS adl
  FROM {db}.cascade_snapshots FINAL WHERE shock = -0.1 GROUP BY snapshot_id
) AS c ON c.snapshot_id = s.snapshot_id
SETTINGS join_use_nulls = 1;
DROP TABLE IF EXISTS {db}.market_snapshots;
DROP TABLE IF EXISTS {db}.ladder_buckets;
DROP TABLE IF EXISTS {db}.cascade_snapshots;
DROP TABLE IF EXISTS {db}.health_buckets;
DROP TABLE IF EXISTS {db}.account_risk;
DROP TABLE IF EXISTS {db}.snapshots;

-- One row per export tick (every few seconds): kept 90 days.
ALTER TABLE {db}.indexer_status MODIFY TTL toDateTime(recorded_at) + INTERVAL 90 DAY DELETE;
