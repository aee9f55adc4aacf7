/**
 * The alert store's tables, created in their own schema (default `perpwatch_alerts`) so the
 * worker can share a PostgreSQL database with Ponder without touching its tables.
 *
 * - `alert`: one row per fingerprint, its lifecycle state (what a restart resumes from).
 * - `alert_event`: every firing, resolve, retraction and digest, append-only, in order; the
 *   table a dashboard exporter reads (by id, as a cursor).
 * - `outbox`: one row per (event, receiver) with its rendered body and idempotency key;
 *   written in the same transaction as the event, so an event is never lost between
 *   "decided" and "sent", and delivered until a receiver acknowledges it.
 * - `block_sample`: the recent blocks' prices, insurance fund and hash, per exchange (window
 *   rules and reorg checks survive a restart).
 * - Every row of `alert`, `alert_event`, `outbox` and `block_sample` names its exchange.
 * - `silence`: Alertmanager-style silences (matchers, window, author, comment) (version 3).
 * - `lease`: the leader lease that lets one of several workers on one store evaluate and
 *   deliver (version 3).
 * - `evaluated_block`: per exchange, the last block the block path committed (version 4): where
 *   a restarted worker's catch-up starts.
 * - `meta`: schema version.
 *
 * `migrationSql` is version 1, idempotent; later versions are `MIGRATIONS`, forward only, each
 * applied once (in its own transaction) to a store whose `schema_version` is older.
 */

export function migrationSql(schema: string): string {
  const s = schema;
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ${s}.alert (
  fingerprint TEXT PRIMARY KEY,
  rule TEXT NOT NULL,
  labels JSONB NOT NULL,
  annotations JSONB NOT NULL,
  state TEXT NOT NULL,
  value DOUBLE PRECISION,
  threshold DOUBLE PRECISION,
  active_since_ms BIGINT,
  inactive_since_ms BIGINT,
  starts_at_ms BIGINT,
  ends_at_ms BIGINT,
  cooldown_until_ms BIGINT,
  raised_block BIGINT,
  raised_hash TEXT,
  updated_at_ms BIGINT NOT NULL
);
ALTER TABLE ${s}.alert ADD COLUMN IF NOT EXISTS inactive_since_ms BIGINT;
CREATE INDEX IF NOT EXISTS alert_rule_idx ON ${s}.alert (rule);
CREATE TABLE IF NOT EXISTS ${s}.alert_event (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  rule TEXT NOT NULL,
  labels JSONB NOT NULL,
  annotations JSONB NOT NULL,
  value DOUBLE PRECISION,
  threshold DOUBLE PRECISION,
  starts_at_ms BIGINT NOT NULL,
  ends_at_ms BIGINT,
  block_number BIGINT,
  block_hash TEXT,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_event_fingerprint_idx ON ${s}.alert_event (fingerprint, id);
CREATE TABLE IF NOT EXISTS ${s}.outbox (
  id BIGSERIAL PRIMARY KEY,
  event_id BIGINT NOT NULL REFERENCES ${s}.alert_event (id),
  receiver TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT NOT NULL,
  last_error TEXT,
  created_at_ms BIGINT NOT NULL,
  delivered_at_ms BIGINT
);
CREATE INDEX IF NOT EXISTS outbox_pending_idx ON ${s}.outbox (receiver, fingerprint, id)
  WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS ${s}.block_sample (
  block_number BIGINT PRIMARY KEY,
  block_hash TEXT,
  block_time BIGINT NOT NULL,
  prices JSONB NOT NULL,
  insurance_fund DOUBLE PRECISION
);
INSERT INTO ${s}.meta (key, value) VALUES ('schema_version', '1')
  ON CONFLICT (key) DO NOTHING;
`;
}

export interface Migration {
  version: number;
  /** One statement each (both engines run them one at a time with parameters off). */
  statements(schema: string): string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    // Several exchanges: every row says which exchange it is about ('' = written before, by a
    // worker that watched one exchange; the worker gives those rows to its first exchange).
    // Block samples are per exchange (each has its own chain and block numbers).
    version: 2,
    statements: (s) => [
      `ALTER TABLE ${s}.alert ADD COLUMN IF NOT EXISTS exchange TEXT NOT NULL DEFAULT ''`,
      `ALTER TABLE ${s}.alert_event ADD COLUMN IF NOT EXISTS exchange TEXT NOT NULL DEFAULT ''`,
      `ALTER TABLE ${s}.outbox ADD COLUMN IF NOT EXISTS exchange TEXT NOT NULL DEFAULT ''`,
      `ALTER TABLE ${s}.block_sample ADD COLUMN IF NOT EXISTS exchange TEXT NOT NULL DEFAULT ''`,
      `ALTER TABLE ${s}.block_sample DROP CONSTRAINT IF EXISTS block_sample_pkey`,
      `ALTER TABLE ${s}.block_sample ADD PRIMARY KEY (exchange, block_number)`,
      `CREATE INDEX IF NOT EXISTS alert_exchange_idx ON ${s}.alert (exchange)`,
    ],
  },
  {
    // Routing: outbox rows know their group at the receiver and the group notification
    // (batch) they went out in; rows that notify nobody say why (status silenced, inhibited,
    // collapsed). Silences and the leader lease live in the store.
    version: 3,
    statements: (s) => [
      `ALTER TABLE ${s}.outbox ADD COLUMN IF NOT EXISTS group_key TEXT NOT NULL DEFAULT ''`,
      `ALTER TABLE ${s}.outbox ADD COLUMN IF NOT EXISTS batch_id BIGINT`,
      `CREATE INDEX IF NOT EXISTS outbox_group_idx ON ${s}.outbox (receiver, group_key, id)
         WHERE status = 'pending'`,
      `CREATE TABLE IF NOT EXISTS ${s}.silence (
         id TEXT PRIMARY KEY,
         matchers JSONB NOT NULL,
         starts_at_ms BIGINT NOT NULL,
         ends_at_ms BIGINT NOT NULL,
         created_by TEXT NOT NULL,
         comment TEXT NOT NULL,
         created_at_ms BIGINT NOT NULL
       )`,
      `CREATE TABLE IF NOT EXISTS ${s}.lease (
         name TEXT PRIMARY KEY,
         owner TEXT NOT NULL,
         until_ms BIGINT NOT NULL
       )`,
    ],
  },
  {
    // Catch-up after downtime: the last block each exchange's block path committed, written in
    // the evaluation's own transaction, so a restart knows exactly which blocks it missed.
    version: 4,
    statements: (s) => [
      `CREATE TABLE IF NOT EXISTS ${s}.evaluated_block (
         exchange TEXT PRIMARY KEY,
         block_number BIGINT NOT NULL,
         block_time BIGINT NOT NULL,
         updated_at_ms BIGINT NOT NULL
       )`,
    ],
  },
];

/** The version a migrated store is at. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 1;
