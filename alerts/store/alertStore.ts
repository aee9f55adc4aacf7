/**
 * Durable alert state: lifecycle records, the event log, the delivery outbox and the recent
 * block samples, on PGlite or PostgreSQL with the same SQL.
 *
 * Why one `commit` per evaluation: the records an evaluation changed, the events it decided,
 * their outbox rows and the block sample are written in one transaction. A crash before the
 * commit leaves nothing (the next run re-evaluates and decides the same); a crash after it
 * leaves events that will be delivered. That is what makes a restart neither re-fire nor
 * forget, and delivery at-least-once.
 */
import type { HistorySample } from "../observation.js";
import type { AlertEventDraft, AlertEventKind, AlertRecord } from "../state/alertState.js";
import { MIGRATIONS, migrationSql } from "./migrations.js";
import type { Row, SqlDb, SqlExecutor } from "./sqlDb.js";

export interface StoredEvent extends Omit<AlertEventDraft, "kind"> {
  kind: AlertEventKind | "digest";
  id: number;
  createdAtMs: number;
}

/** One delivery to create for an event: which receiver, its body and idempotency key. */
export interface OutboxDraft {
  receiver: string;
  idempotencyKey: string;
  body: string;
}

export type OutboxStatus = "pending" | "delivered" | "dead";

export interface OutboxRow {
  id: number;
  eventId: number;
  eventKind: AlertEventKind | "digest";
  receiver: string;
  fingerprint: string;
  idempotencyKey: string;
  body: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptMs: number;
  lastError: string | null;
  createdAtMs: number;
  deliveredAtMs: number | null;
}

export interface SampleWithHash extends HistorySample {
  /** The exchange whose block this is ('' when written before samples had one). */
  exchange: string;
  hash: string | null;
}

/** What one block-path evaluation does to its exchange's samples. */
export interface SampleChanges {
  exchange: string;
  add?: SampleWithHash;
  /** Drop this exchange's samples with a block time older than this (unix s). */
  pruneBefore?: number;
  /** Drop this exchange's samples from this block on (a reorg replaced them). */
  dropFrom?: bigint;
}

export interface Commit {
  nowMs: number;
  records: AlertRecord[];
  /** Events in the order receivers must see them. */
  events: (AlertEventDraft | DigestDraft)[];
  /** The deliveries of one event (called after the event has its id). */
  deliveries(event: StoredEvent): OutboxDraft[];
  samples?: SampleChanges;
  /** Samples written before they had an exchange ('') become this exchange's. */
  adoptLegacySamples?: string;
}

/** A digest is an event without a lifecycle: fingerprint "digest", kind "digest". */
export interface DigestDraft extends Omit<AlertEventDraft, "kind"> {
  kind: "digest";
}

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const big = (v: unknown): bigint | null =>
  v === null || v === undefined ? null : BigInt(String(v));
const json = (v: unknown): Record<string, string> =>
  (typeof v === "string" ? JSON.parse(v) : v) as Record<string, string>;

function toRecord(r: Row): AlertRecord {
  return {
    fingerprint: String(r.fingerprint),
    rule: String(r.rule),
    labels: json(r.labels),
    annotations: json(r.annotations),
    state: r.state as AlertRecord["state"],
    value: numOrNull(r.value),
    threshold: numOrNull(r.threshold),
    activeSinceMs: numOrNull(r.active_since_ms),
    inactiveSinceMs: numOrNull(r.inactive_since_ms),
    startsAtMs: numOrNull(r.starts_at_ms),
    endsAtMs: numOrNull(r.ends_at_ms),
    cooldownUntilMs: numOrNull(r.cooldown_until_ms),
    raisedBlock: big(r.raised_block),
    raisedHash: r.raised_hash === null ? null : String(r.raised_hash),
    updatedAtMs: num(r.updated_at_ms),
  };
}

function toEvent(r: Row): StoredEvent {
  const blockNumber = big(r.block_number);
  return {
    id: num(r.id),
    kind: r.kind as StoredEvent["kind"],
    fingerprint: String(r.fingerprint),
    rule: String(r.rule),
    labels: json(r.labels),
    annotations: json(r.annotations),
    value: numOrNull(r.value),
    threshold: numOrNull(r.threshold),
    startsAtMs: num(r.starts_at_ms),
    endsAtMs: numOrNull(r.ends_at_ms),
    block:
      blockNumber === null
        ? null
        : { number: blockNumber, hash: (r.block_hash as string | null) ?? null, timestamp: 0 },
    createdAtMs: num(r.created_at_ms),
  };
}

function toOutbox(r: Row): OutboxRow {
  return {
    id: num(r.id),
    eventId: num(r.event_id),
    eventKind: r.event_kind as OutboxRow["eventKind"],
    receiver: String(r.receiver),
    fingerprint: String(r.fingerprint),
    idempotencyKey: String(r.idempotency_key),
    body: String(r.body),
    status: r.status as OutboxStatus,
    attempts: num(r.attempts),
    nextAttemptMs: num(r.next_attempt_ms),
    lastError: (r.last_error as string | null) ?? null,
    createdAtMs: num(r.created_at_ms),
    deliveredAtMs: numOrNull(r.delivered_at_ms),
  };
}

export class AlertStore {
  private readonly s: string;

  constructor(
    readonly db: SqlDb,
    /** The SQL schema the tables are in. */
    readonly schema: string,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name "${schema}"`);
    this.s = schema;
  }

  /** Creates the tables (version 1), then applies each later migration the store lacks. */
  async migrate(): Promise<void> {
    await this.db.exec(migrationSql(this.s));
    const at = await this.version();
    for (const m of MIGRATIONS) {
      if (m.version <= at) continue;
      await this.db.transaction(async (tx) => {
        for (const sql of m.statements(this.s)) await tx.query(sql);
        await tx.query(`UPDATE ${this.s}.meta SET value = $1 WHERE key = 'schema_version'`, [
          String(m.version),
        ]);
      });
    }
  }

  /** The store's schema version (meta `schema_version`). */
  async version(): Promise<number> {
    const [row] = await this.db.query(
      `SELECT value FROM ${this.s}.meta WHERE key = 'schema_version'`,
    );
    return Number(row?.value ?? 0);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async loadAlerts(): Promise<AlertRecord[]> {
    const rows = await this.db.query(`SELECT * FROM ${this.s}.alert ORDER BY fingerprint`);
    return rows.map(toRecord);
  }

  /** Samples of every exchange, each exchange's in block order (the window rules' history). */
  async loadSamples(): Promise<SampleWithHash[]> {
    const rows = await this.db.query(
      `SELECT * FROM ${this.s}.block_sample ORDER BY exchange, block_number`,
    );
    return rows.map((r) => ({
      exchange: String(r.exchange ?? ""),
      blockNumber: BigInt(String(r.block_number)),
      hash: (r.block_hash as string | null) ?? null,
      timestamp: num(r.block_time),
      prices: json(r.prices) as unknown as Record<string, number>,
      insuranceFund: numOrNull(r.insurance_fund),
    }));
  }

  /** Writes one evaluation's outcome atomically; returns the events with their ids. */
  async commit(c: Commit): Promise<StoredEvent[]> {
    return this.db.transaction(async (tx) => {
      for (const r of c.records) await this.upsertAlert(tx, r);
      const stored: StoredEvent[] = [];
      for (const e of c.events) {
        const ev = await this.insertEvent(tx, e, c.nowMs);
        stored.push(ev);
        for (const d of c.deliveries(ev)) {
          await tx.query(
            `INSERT INTO ${this.s}.outbox
               (event_id, receiver, fingerprint, idempotency_key, body, next_attempt_ms, created_at_ms,
                exchange)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)`,
            [
              ev.id,
              d.receiver,
              ev.fingerprint,
              d.idempotencyKey,
              d.body,
              c.nowMs,
              ev.labels.exchange ?? "",
            ],
          );
        }
      }
      if (c.adoptLegacySamples !== undefined) {
        await tx.query(
          `DELETE FROM ${this.s}.block_sample WHERE exchange = '' AND block_number IN
             (SELECT block_number FROM ${this.s}.block_sample WHERE exchange = $1)`,
          [c.adoptLegacySamples],
        );
        await tx.query(`UPDATE ${this.s}.block_sample SET exchange = $1 WHERE exchange = ''`, [
          c.adoptLegacySamples,
        ]);
      }
      const sc = c.samples;
      if (sc?.dropFrom !== undefined) {
        await tx.query(
          `DELETE FROM ${this.s}.block_sample WHERE exchange = $1 AND block_number >= $2`,
          [sc.exchange, sc.dropFrom.toString()],
        );
      }
      if (sc?.add) {
        await tx.query(
          `INSERT INTO ${this.s}.block_sample (exchange, block_number, block_hash, block_time, prices,
             insurance_fund)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (exchange, block_number) DO UPDATE SET block_hash = EXCLUDED.block_hash,
             block_time = EXCLUDED.block_time, prices = EXCLUDED.prices,
             insurance_fund = EXCLUDED.insurance_fund`,
          [
            sc.exchange,
            sc.add.blockNumber.toString(),
            sc.add.hash,
            sc.add.timestamp,
            JSON.stringify(sc.add.prices),
            sc.add.insuranceFund,
          ],
        );
      }
      if (sc?.pruneBefore !== undefined) {
        await tx.query(
          `DELETE FROM ${this.s}.block_sample WHERE exchange = $1 AND block_time < $2`,
          [sc.exchange, Math.floor(sc.pruneBefore)],
        );
      }
      return stored;
    });
  }

  private async upsertAlert(tx: SqlExecutor, r: AlertRecord): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.s}.alert (fingerprint, rule, labels, annotations, state, value, threshold,
         active_since_ms, starts_at_ms, ends_at_ms, cooldown_until_ms, raised_block, raised_hash,
         updated_at_ms, inactive_since_ms, exchange)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (fingerprint) DO UPDATE SET rule = EXCLUDED.rule, labels = EXCLUDED.labels,
         exchange = EXCLUDED.exchange,
         annotations = EXCLUDED.annotations, state = EXCLUDED.state, value = EXCLUDED.value,
         threshold = EXCLUDED.threshold, active_since_ms = EXCLUDED.active_since_ms,
         starts_at_ms = EXCLUDED.starts_at_ms, ends_at_ms = EXCLUDED.ends_at_ms,
         cooldown_until_ms = EXCLUDED.cooldown_until_ms, raised_block = EXCLUDED.raised_block,
         raised_hash = EXCLUDED.raised_hash, updated_at_ms = EXCLUDED.updated_at_ms,
         inactive_since_ms = EXCLUDED.inactive_since_ms`,
      [
        r.fingerprint,
        r.rule,
        JSON.stringify(r.labels),
        JSON.stringify(r.annotations),
        r.state,
        r.value,
        r.threshold,
        r.activeSinceMs,
        r.startsAtMs,
        r.endsAtMs,
        r.cooldownUntilMs,
        r.raisedBlock === null ? null : r.raisedBlock.toString(),
        r.raisedHash,
        r.updatedAtMs,
        r.inactiveSinceMs,
        r.labels.exchange ?? "",
      ],
    );
  }

  private async insertEvent(
    tx: SqlExecutor,
    e: AlertEventDraft | DigestDraft,
    nowMs: number,
  ): Promise<StoredEvent> {
    const [row] = await tx.query(
      `INSERT INTO ${this.s}.alert_event (kind, fingerprint, rule, labels, annotations, value,
         threshold, starts_at_ms, ends_at_ms, block_number, block_hash, created_at_ms, exchange)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        e.kind,
        e.fingerprint,
        e.rule,
        JSON.stringify(e.labels),
        JSON.stringify(e.annotations),
        e.value,
        e.threshold,
        e.startsAtMs,
        e.endsAtMs,
        e.block === null ? null : e.block.number.toString(),
        e.block?.hash ?? null,
        nowMs,
        e.labels.exchange ?? "",
      ],
    );
    return { ...e, id: num(row!.id), createdAtMs: nowMs } as StoredEvent;
  }

  /** Events after `afterId`, oldest first (a reader's cursor, e.g. the dashboards exporter). */
  async eventsAfter(afterId: number, limit = 1000): Promise<StoredEvent[]> {
    const rows = await this.db.query(
      `SELECT * FROM ${this.s}.alert_event WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toEvent);
  }

  async eventsSince(sinceMs: number): Promise<StoredEvent[]> {
    const rows = await this.db.query(
      `SELECT * FROM ${this.s}.alert_event WHERE created_at_ms >= $1 ORDER BY id`,
      [sinceMs],
    );
    return rows.map(toEvent);
  }

  /**
   * The deliveries to attempt now: for each (receiver, fingerprint), only its oldest pending
   * delivery (so each receiver sees one alert's events in order), if its retry time has come.
   */
  async dueDeliveries(nowMs: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (o.receiver, o.fingerprint) o.*, e.kind AS event_kind
         FROM ${this.s}.outbox o JOIN ${this.s}.alert_event e ON e.id = o.event_id
         WHERE o.status = 'pending'
         ORDER BY o.receiver, o.fingerprint, o.id
       ) heads WHERE next_attempt_ms <= $1 ORDER BY id LIMIT $2`,
      [nowMs, limit],
    );
    return rows.map(toOutbox);
  }

  /** When the next pending head becomes due (ms), or null when nothing is pending. */
  async nextDueMs(): Promise<number | null> {
    const [row] = await this.db.query(
      `SELECT min(next_attempt_ms) AS next FROM (
         SELECT DISTINCT ON (receiver, fingerprint) next_attempt_ms
         FROM ${this.s}.outbox WHERE status = 'pending'
         ORDER BY receiver, fingerprint, id
       ) heads`,
    );
    return numOrNull(row?.next);
  }

  async markDelivered(id: number, nowMs: number): Promise<void> {
    await this.db.query(
      `UPDATE ${this.s}.outbox SET status = 'delivered', attempts = attempts + 1,
         delivered_at_ms = $2, last_error = NULL WHERE id = $1`,
      [id, nowMs],
    );
  }

  async markRetry(id: number, nextAttemptMs: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE ${this.s}.outbox SET attempts = attempts + 1, next_attempt_ms = $2, last_error = $3
       WHERE id = $1`,
      [id, nextAttemptMs, error],
    );
  }

  async markDead(id: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE ${this.s}.outbox SET status = 'dead', attempts = attempts + 1, last_error = $2
       WHERE id = $1`,
      [id, error],
    );
  }

  async outbox(status?: OutboxStatus): Promise<OutboxRow[]> {
    const rows = await this.db.query(
      `SELECT o.*, e.kind AS event_kind FROM ${this.s}.outbox o
       JOIN ${this.s}.alert_event e ON e.id = o.event_id
       ${status ? "WHERE o.status = $1" : ""} ORDER BY o.id`,
      status ? [status] : [],
    );
    return rows.map(toOutbox);
  }
}
