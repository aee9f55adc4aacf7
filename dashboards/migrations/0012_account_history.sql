-- An account's trades, liquidations and ADL read by account (issue 20).
--
-- Why: ev_trades is sorted by (exchange, block_time, …), so the "Account $account" history
-- panel read every trade of the range and filtered by account — the account's bloom filter
-- skips few granules when an account trades all year (bench/dashboards-year.bench.ts at scale
-- 0.1: 7.0 M rows, 255 ms p50 over 365 days; ~2.5 s at the issue's year, over its target).
-- A projection keeps the panel's columns (not event_id, market_id, new_size,
-- realized_funding) sorted by (exchange, account_id, block_time, chain_id, block_number,
-- log_index) inside each part: ClickHouse picks it for a query filtering on the account
-- without FINAL (the panel de-duplicates with LIMIT 1 BY instead), reads only that account's
-- granules, newest first. Inserts and merges maintain it; storage per row: README.
--
-- A ReplacingMergeTree refuses projections unless told what merges do with them: 'rebuild'
-- rebuilds a merged part's projection from its de-duplicated rows. Parts written before this
-- migration get the projection by MATERIALIZE PROJECTION, queued as an asynchronous mutation
-- (mutations_sync = 0) as retention.ts queues MATERIALIZE TTL: waiting would rewrite every
-- monthly part before the exporter starts. Until a part is materialized, a query reading it
-- falls back to the table's own order for that part, so the panel is right meanwhile, only
-- slower. Every statement is idempotent (a repeated MATERIALIZE rebuilds the same projection).

ALTER TABLE {db}.ev_trades MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild';

ALTER TABLE {db}.ev_trades ADD PROJECTION IF NOT EXISTS by_account (
  SELECT exchange, account_id, block_time, chain_id, block_number, log_index, kind, symbol,
    size_delta, fill_price, notional, realized_pnl, fee, new_collateral, tx_hash
  ORDER BY exchange, account_id, block_time, chain_id, block_number, log_index
);

ALTER TABLE {db}.ev_trades MATERIALIZE PROJECTION by_account SETTINGS mutations_sync = 0;
