-- Risk snapshots, computed by the worker with engine/analytics at the indexed head. A snapshot
-- may be of a block that later reorgs, so every snapshot has a status row in `snapshots`
-- (ReplacingMergeTree by `version`): "pending" until its block is final, "confirmed" once the
-- finalized events it was computed from are the ones it saw, "orphaned" when they are not.
-- Detail tables carry the snapshot's id (a digest of chain, block and the unfinalized events
-- it saw), so a snapshot of a reorged block never shares rows with the canonical one; panels
-- read details only for ids in `visible_snapshots`.

CREATE TABLE IF NOT EXISTS {db}.snapshots (
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
  status LowCardinality(String),
  version UInt64,
  basis_from UInt64,
  basis_to UInt64,
  basis_digest String,
  insurance_fund Decimal(76, 18),
  pending_bad_debt Decimal(76, 18),
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
ORDER BY (chain_id, block_number, snapshot_id);

CREATE VIEW IF NOT EXISTS {db}.visible_snapshots AS
SELECT *
FROM {db}.snapshots FINAL
WHERE status IN ('pending', 'confirmed');

CREATE TABLE IF NOT EXISTS {db}.market_snapshots (
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
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
ORDER BY (chain_id, snapshot_id, market_id);

-- Liquidation ladder per market: `move` is the bin's price move from the mark (fraction);
-- cumulative figures count everything a move this large liquidates (`liquidated_notional`:
-- the accounts' whole notional; `market_notional`: their positions in this market, what hits
-- its order book); `bucket_notional` is what this bin adds to `market_notional` going out
-- from the mark (the liquidation map's cells; negative where a larger move leaves less
-- liquidatable, e.g. hedged accounts, or revalues what already was).
CREATE TABLE IF NOT EXISTS {db}.ladder_buckets (
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
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
ORDER BY (chain_id, snapshot_id, market_id, move);

-- Cascades at the standard shocks (correlated, by beta) with the insurance fund's cover.
CREATE TABLE IF NOT EXISTS {db}.cascade_snapshots (
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
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
ORDER BY (chain_id, snapshot_id, shock);

-- Accounts with open positions by margin ratio (maintenance margin / equity) at the head.
CREATE TABLE IF NOT EXISTS {db}.health_buckets (
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
  bucket_order UInt8,
  bucket LowCardinality(String),
  accounts UInt32,
  notional Float64,
  equity Float64
) ENGINE = ReplacingMergeTree
ORDER BY (chain_id, snapshot_id, bucket_order);

-- The riskiest accounts (highest margin ratio first, underwater ones before all).
CREATE TABLE IF NOT EXISTS {db}.account_risk (
  chain_id UInt64,
  block_number UInt64,
  block_time DateTime('UTC'),
  snapshot_id String,
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
  markets UInt8
) ENGINE = ReplacingMergeTree
ORDER BY (chain_id, snapshot_id, rank);
