-- Every row names its exchange: the configured id (`exchanges[].id`) of the exchange the
-- exporter read it from, as the indexer's tables do since one Perpwatch indexes several
-- exchanges. Rows written before this migration keep '' (they are of the one exchange that was
-- exported then). Sorting keys are unchanged: an event is still unique by (chain, block, log
-- index) and a snapshot by its id (which names the exchange); the export cursor and `markets`
-- remain per chain, so a database holds one exchange per chain (the exporter checks it).

ALTER TABLE {db}.markets ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.trades ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.liquidations ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.adl_events ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.funding_updates ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.oracle_prices ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.insurance_fund_updates ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.collateral_changes ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.bad_debt_updates ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.mirror_divergences ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.snapshots ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.market_snapshots ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.ladder_buckets ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.cascade_snapshots ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.health_buckets ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.account_risk ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.export_cursor ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';
ALTER TABLE {db}.indexer_status ADD COLUMN IF NOT EXISTS exchange String DEFAULT '';

-- The view's columns were fixed when it was created: recreated to carry `exchange`.
CREATE OR REPLACE VIEW {db}.visible_snapshots AS
SELECT *
FROM {db}.snapshots FINAL
WHERE status IN ('pending', 'confirmed');
