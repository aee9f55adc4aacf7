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
import { big, json, num, numOrNull } from "./rowValues.js";
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
  /** The alert's group at the receiver ('' or absent: ungrouped, sent at once). */
  groupKey?: string;
  /** A new group waits this long for more alerts; a notified one `groupIntervalMs`. */
  groupWaitMs?: number;
  groupIntervalMs?: number;
  /** The event notifies nobody here (a silence or an inhibit rule matched it). */
  muted?: "silenced" | "inhibited";
}

/**
 * pending → delivered | dead; silenced and inhibited rows were never to be sent; collapsed
 * rows are a fire and its resolve that a receiver down for the alert's whole life never got
 * (sending them afterwards would page stale news).
 */
export type OutboxStatus =
  | "pending"
  | "delivered"
  | "dead"
  | "silenced"
  | "inhibited"
  | "collapsed";

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
  /** The alert's group at the receiver ('' = ungrouped). */
  groupKey: string;
  /** The group notification this row went out in (its leader row's id), if any. */
  batchId: number | null;
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
  /** The block path evaluated this block of this exchange (catch-up starts after it). */
  evaluated?: EvaluatedBlock;
}

/** The last block the block path committed for one exchange. */
export interface EvaluatedBlock {
  exchange: string;
  number: bigint;
  /** Chain time, unix seconds. */
  timestamp: number;
}

/** A digest is an event without a lifecycle: fingerprint "digest", kind "digest". */
export interface DigestDraft extends Omit<AlertEventDraft, "kind"> {
  kind: "digest";
}

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

export function toEvent(r: Row): StoredEvent {
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
    groupKey: String(r.group_key ?? ""),
    batchId: numOrNull(r.batch_id),
  };
}

/**
 * Deliveries are ordered per lane: an ungrouped alert's events at a receiver, or a group's
 * notifications at a receiver. A lane's oldest pending row is its head.
 */
const LANE = `CASE WHEN o.group_key = '' THEN 'f:' || o.fingerprint ELSE 'g:' || o.group_key END`;

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

  /** The last block the block path committed, per exchange. */
  async loadEvaluated(): Promise<Map<string, EvaluatedBlock>> {
    const rows = await this.db.query(`SELECT * FROM ${this.s}.evaluated_block`);
    return new Map(
      rows.map((r) => [
        String(r.exchange),
        {
          exchange: String(r.exchange),
          number: BigInt(String(r.block_number)),
          timestamp: num(r.block_time),
        },
      ]),
    );
  }

  /** Writes one evaluation's outcome atomically; returns the events with their ids. */
  async commit(c: Commit): Promise<StoredEvent[]> {
    return this.db.transaction(async (tx) => {
      for (const r of c.records) await this.upsertAlert(tx, r);
      const stored: StoredEvent[] = [];
      for (const e of c.events) {
        const ev = await this.insertEvent(tx, e, c.nowMs);
        stored.push(ev);
        for (const d of c.deliveries(ev)) await this.insertDelivery(tx, ev, d, c.nowMs);
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
      if (c.evaluated) {
        await tx.query(
          `INSERT INTO ${this.s}.evaluated_block (exchange, block_number, block_time, updated_at_ms)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (exchange) DO UPDATE SET block_number = EXCLUDED.block_number,
             block_time = EXCLUDED.block_time, updated_at_ms = EXCLUDED.updated_at_ms`,
          [c.evaluated.exchange, c.evaluated.number.toString(), c.evaluated.timestamp, c.nowMs],
        );
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

  /**
   * One outbox row. A resolve or retraction follows its firing at this receiver: muted when
   * the firing was (nobody was told it fired), left out when the receiver never had the
   * firing. A grouped row joins its group's pending notification, or waits group_wait (a
   * new group) or until group_interval after the group's last notification.
   */
  private async insertDelivery(
    tx: SqlExecutor,
    ev: StoredEvent,
    d: OutboxDraft,
    nowMs: number,
  ): Promise<void> {
    let status: OutboxStatus = d.muted ?? "pending";
    if (ev.kind === "resolved" || ev.kind === "retracted") {
      const [fired] = await tx.query(
        `SELECT o.status FROM ${this.s}.outbox o JOIN ${this.s}.alert_event e ON e.id = o.event_id
         WHERE o.receiver = $1 AND o.fingerprint = $2 AND e.kind = 'firing'
         ORDER BY o.id DESC LIMIT 1`,
        [d.receiver, ev.fingerprint],
      );
      if (!fired) return;
      if (fired.status === "silenced" || fired.status === "inhibited") {
        status = fired.status as OutboxStatus;
      }
    }
    const groupKey = d.groupKey ?? "";
    let next = nowMs;
    if (groupKey !== "" && status === "pending") next = await this.groupDue(tx, d, nowMs);
    await tx.query(
      `INSERT INTO ${this.s}.outbox
         (event_id, receiver, fingerprint, idempotency_key, body, next_attempt_ms, created_at_ms,
          exchange, status, group_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        ev.id,
        d.receiver,
        ev.fingerprint,
        d.idempotencyKey,
        d.body,
        next,
        nowMs,
        ev.labels.exchange ?? "",
        status,
        groupKey,
      ],
    );
  }

  /** When a new row of a group is due (Alertmanager's group_wait / group_interval). */
  private async groupDue(tx: SqlExecutor, d: OutboxDraft, nowMs: number): Promise<number> {
    const [row] = await tx.query(
      `SELECT
         (SELECT min(next_attempt_ms) FROM ${this.s}.outbox WHERE receiver = $1 AND group_key = $2
            AND status = 'pending' AND batch_id IS NULL) AS joining,
         (SELECT max(delivered_at_ms) FROM ${this.s}.outbox WHERE receiver = $1 AND group_key = $2
            AND status = 'delivered') AS last_sent`,
      [d.receiver, d.groupKey],
    );
    const joining = numOrNull(row?.joining);
    if (joining !== null) return joining;
    const lastSent = numOrNull(row?.last_sent);
    const interval = d.groupIntervalMs ?? 0;
    if (lastSent !== null && nowMs - lastSent < interval) return lastSent + interval;
    return nowMs + (d.groupWaitMs ?? 0);
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
   * The deliveries to attempt now: for each lane (see LANE) of the receiver (or of all),
   * only its head (so each receiver sees one alert's events, and one group's notifications,
   * in order), if its retry time has come.
   */
  async dueDeliveries(nowMs: number, limit: number, receiver?: string): Promise<OutboxRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (o.receiver, ${LANE}) o.*, e.kind AS event_kind
         FROM ${this.s}.outbox o JOIN ${this.s}.alert_event e ON e.id = o.event_id
         WHERE o.status = 'pending' ${receiver === undefined ? "" : "AND o.receiver = $3"}
         ORDER BY o.receiver, ${LANE}, o.id
       ) heads WHERE next_attempt_ms <= $1 ORDER BY id LIMIT $2`,
      receiver === undefined ? [nowMs, limit] : [nowMs, limit, receiver],
    );
    return rows.map(toOutbox);
  }

  /** When the next pending head (of the receiver, or of all) becomes due (ms), or null. */
  async nextDueMs(receiver?: string): Promise<number | null> {
    const [row] = await this.db.query(
      `SELECT min(next_attempt_ms) AS next FROM (
         SELECT DISTINCT ON (o.receiver, ${LANE}) o.next_attempt_ms
         FROM ${this.s}.outbox o WHERE o.status = 'pending'
           ${receiver === undefined ? "" : "AND o.receiver = $1"}
         ORDER BY o.receiver, ${LANE}, o.id
       ) heads`,
      receiver === undefined ? [] : [receiver],
    );
    return numOrNull(row?.next);
  }

  /**
   * Closes a group notification: the group's pending rows that are due (`head` first) become
   * one batch led by `head`, whose body becomes `render(events)` (stored, so retries send the
   * same bytes). A fire and its resolve both in the batch cancel out (collapsed). Returns the
   * leader as it now is, or null when nothing is left to send (every row collapsed).
   */
  async formBatch(
    head: OutboxRow,
    nowMs: number,
    render: (events: StoredEvent[], idempotencyKey: string) => string | null,
  ): Promise<OutboxRow | null> {
    return this.db.transaction(async (tx) => {
      const rows = (
        await tx.query(
          `SELECT o.*, e.kind AS event_kind FROM ${this.s}.outbox o
           JOIN ${this.s}.alert_event e ON e.id = o.event_id
           WHERE o.receiver = $1 AND o.group_key = $2 AND o.status = 'pending'
             AND o.batch_id IS NULL AND o.next_attempt_ms <= $3 ORDER BY o.id`,
          [head.receiver, head.groupKey, nowMs],
        )
      ).map(toOutbox);
      if (rows.length === 0 || rows[0]!.id !== head.id) return null;
      const events = new Map(
        (
          await tx.query(
            `SELECT * FROM ${this.s}.alert_event WHERE id = ANY($1::bigint[]) ORDER BY id`,
            [rows.map((r) => r.eventId)],
          )
        ).map((r) => [num(r.id), toEvent(r)]),
      );
      // The latest event of each alert; a firing resolved within the batch was never told.
      const latest = new Map<string, StoredEvent>();
      const firedHere = new Set<string>();
      for (const r of rows) {
        const e = events.get(r.eventId)!;
        if (e.kind === "firing") firedHere.add(e.fingerprint);
        if (e.kind !== "firing" && firedHere.has(e.fingerprint)) latest.delete(e.fingerprint);
        else latest.set(e.fingerprint, e);
      }
      const body = latest.size > 0 ? render([...latest.values()], head.idempotencyKey) : null;
      const ids = rows.map((r) => r.id);
      if (body === null) {
        await tx.query(
          `UPDATE ${this.s}.outbox SET status = 'collapsed', batch_id = $2 WHERE id = ANY($1::bigint[])`,
          [ids, head.id],
        );
        return null;
      }
      await tx.query(`UPDATE ${this.s}.outbox SET batch_id = $2 WHERE id = ANY($1::bigint[])`, [
        ids,
        head.id,
      ]);
      await tx.query(`UPDATE ${this.s}.outbox SET body = $2 WHERE id = $1`, [head.id, body]);
      return { ...head, body, batchId: head.id };
    });
  }

  /**
   * A receiver that has been failing since before an alert resolved: its undelivered firing
   * and everything up to the resolve that followed are collapsed (never sent). Returns how
   * many rows were collapsed (0: there is no later resolve, send the firing).
   */
  async collapseStale(head: OutboxRow): Promise<number> {
    const rows = await this.db.query(
      `UPDATE ${this.s}.outbox SET status = 'collapsed', last_error = 'resolved before it could be delivered'
       WHERE status = 'pending' AND receiver = $1 AND fingerprint = $2 AND group_key = ''
         AND id >= $3 AND id <= (
           SELECT min(o.id) FROM ${this.s}.outbox o JOIN ${this.s}.alert_event e ON e.id = o.event_id
           WHERE o.status = 'pending' AND o.receiver = $1 AND o.fingerprint = $2 AND o.id > $3
             AND e.kind IN ('resolved', 'retracted'))
       RETURNING id`,
      [head.receiver, head.fingerprint, head.id],
    );
    return rows.length;
  }

  async markDelivered(id: number, nowMs: number): Promise<void> {
    await this.db.query(
      `UPDATE ${this.s}.outbox SET status = 'delivered', attempts = attempts + 1,
         delivered_at_ms = $2, last_error = NULL WHERE id = $1 OR batch_id = $1`,
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
       WHERE id = $1 OR batch_id = $1`,
      [id, error],
    );
  }

  /**
   * Dead letters back to pending, as new (attempts 0, due now, `giveUpAfter` counted from
   * now), with their idempotency keys (a receiver that did take one drops the repeat).
   * `ids` absent: every dead letter. Returns the rows replayed.
   */
  async replayDead(nowMs: number, ids?: readonly number[]): Promise<number[]> {
    const rows = await this.db.query(
      `UPDATE ${this.s}.outbox SET status = 'pending', attempts = 0, next_attempt_ms = $1,
         created_at_ms = $1, batch_id = NULL
       WHERE status = 'dead' ${ids ? "AND id = ANY($2::bigint[])" : ""} RETURNING id`,
      ids ? [nowMs, ids] : [nowMs],
    );
    return rows.map((r) => num(r.id)).sort((a, b) => a - b);
  }

  /** Counts of outbox rows by status. */
  async outboxCounts(): Promise<Record<string, number>> {
    const rows = await this.db.query(
      `SELECT status, count(*) AS n FROM ${this.s}.outbox GROUP BY status`,
    );
    return Object.fromEntries(rows.map((r) => [String(r.status), num(r.n)]));
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
