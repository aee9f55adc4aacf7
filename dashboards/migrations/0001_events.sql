-- Exchange events, finalized blocks only (see dashboards/exporter/exporter.ts for the reorg
-- policy). One row per log; ReplacingMergeTree keyed by (chain, block, log index), so writing
-- a block again (a restart, a re-export) replaces its rows instead of adding to them. Readers
-- use FINAL. Amounts are the contract's D18 values as exact decimals, Decimal(76, 18); `block_time`
-- is the block's timestamp (from Ponder's event id); `symbol` is denormalized from `markets`.

CREATE TABLE IF NOT EXISTS {db}.markets (
  chain_id UInt64,
  market_id UInt32,
  symbol LowCardinality(String),
  updated_block UInt64
) ENGINE = ReplacingMergeTree(updated_block)
ORDER BY (chain_id, market_id);

CREATE TABLE IF NOT EXISTS {db}.trades (
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
  size_delta Decimal(76, 18),
  new_size Decimal(76, 18),
  fill_price Decimal(76, 18),
  notional Decimal(76, 18),
  realized_pnl Decimal(76, 18),
  realized_funding Decimal(76, 18),
  fee Decimal(76, 18),
  new_collateral Decimal(76, 18)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS {db}.liquidations (
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  account_id UInt64,
  liquidator String,
  equity Decimal(76, 18),
  maintenance_margin Decimal(76, 18),
  notional Decimal(76, 18),
  keeper_reward Decimal(76, 18),
  penalty_to_insurance Decimal(76, 18),
  insurance_covered Decimal(76, 18),
  bad_debt Decimal(76, 18)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS {db}.adl_events (
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
  size_delta Decimal(76, 18),
  bankruptcy_price Decimal(76, 18),
  loss_absorbed Decimal(76, 18)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS {db}.funding_updates (
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  market_id UInt32,
  symbol LowCardinality(String),
  price Decimal(76, 18),
  skew Decimal(76, 18),
  funding_rate Decimal(76, 18),
  funding_velocity Decimal(76, 18),
  funding_index Decimal(76, 18),
  funding_time DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS {db}.oracle_prices (
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  market_id UInt32,
  symbol LowCardinality(String),
  price Decimal(76, 18),
  publish_time DateTime('UTC')
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS {db}.insurance_fund_updates (
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  delta Decimal(76, 18),
  new_balance Decimal(76, 18),
  reason LowCardinality(String)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS {db}.collateral_changes (
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  account_id UInt64,
  amount_delta Decimal(76, 18),
  new_collateral Decimal(76, 18),
  sender String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS {db}.bad_debt_updates (
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  account_id UInt64,
  market_id UInt32,
  symbol LowCardinality(String),
  record_size Decimal(76, 18),
  record_debt Decimal(76, 18),
  market_bad_debt Decimal(76, 18)
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index);

-- The mirror's self-check: one row per event field where engine/exact disagreed with the chain.
CREATE TABLE IF NOT EXISTS {db}.mirror_divergences (
  chain_id UInt64,
  block_number UInt64,
  log_index UInt32,
  field String,
  block_time DateTime('UTC'),
  event_id String,
  tx_hash String,
  event_name LowCardinality(String),
  chain_value String,
  mirror_value String
) ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(block_time)
ORDER BY (chain_id, block_number, log_index, field);
