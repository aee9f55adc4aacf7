-- The exporter's own state and the system's health: how far it has exported, how far the
-- indexer lags, and the alert history the alerts service reports through the exporter.

-- How far the events are exported (−1: nothing yet), and the last exported block with events
-- with a digest of them: a different chain under the same id (a new devnet) is refused.
CREATE TABLE IF NOT EXISTS {db}.export_cursor (
  chain_id UInt64,
  exported_block Int64,
  anchor_block Int64,
  anchor_digest String,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY chain_id;

CREATE TABLE IF NOT EXISTS {db}.indexer_status (
  chain_id UInt64,
  recorded_at DateTime64(3, 'UTC'),
  indexed_block UInt64,
  indexed_time DateTime('UTC'),
  lag_seconds Float64,
  finalized_block UInt64,
  exported_block UInt64,
  chain_head Nullable(UInt64),
  pending_snapshots UInt32,
  rows_written UInt64,
  tick_ms Float64
) ENGINE = ReplacingMergeTree
ORDER BY (chain_id, recorded_at);

-- One row per alert instance (fingerprint + start); a later report of the same instance
-- (resolved, more deliveries) replaces it.
CREATE TABLE IF NOT EXISTS {db}.alert_events (
  fingerprint String,
  starts_at DateTime64(3, 'UTC'),
  rule LowCardinality(String),
  severity LowCardinality(String),
  status LowCardinality(String),
  ends_at Nullable(DateTime64(3, 'UTC')),
  summary String,
  labels Map(String, String),
  updated_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (fingerprint, starts_at);

-- Notification attempts, each tied to the alert instance (fingerprint, starts_at) it was for.
CREATE TABLE IF NOT EXISTS {db}.alert_deliveries (
  fingerprint String,
  starts_at DateTime64(3, 'UTC'),
  delivery_id String,
  attempt UInt32,
  rule LowCardinality(String),
  channel LowCardinality(String),
  attempted_at DateTime64(3, 'UTC'),
  outcome LowCardinality(String),
  http_status UInt16,
  error String
) ENGINE = ReplacingMergeTree
ORDER BY (fingerprint, starts_at, delivery_id, attempt);
