/**
 * The outbox dispatcher: delivers pending outbox rows until each is acknowledged, in order per
 * (receiver, fingerprint), in parallel across them.
 *
 * Why a loop over the table rather than in-memory queues: the table is the queue. After a
 * crash or restart the dispatcher simply continues from what is pending, re-sending a
 * delivery that was in flight with the same idempotency key (at-least-once; receivers drop
 * repeats by the key). A failed head of line waits for its backoff and holds back the later
 * events of the same alert for that receiver, so a receiver never sees a resolve before its
 * firing; other alerts and receivers are not held up. A delivery that can never succeed
 * (HTTP 4xx) or has failed for `giveUpAfter` is dead-lettered with its last error, logged
 * as one line.
 */
import type { Logger } from "pino";
import type { AlertsConfig, ReceiverConfig } from "../config/alertsConfig.js";
import type { AlertStore, OutboxRow } from "../store/alertStore.js";
import { backoffMs } from "./backoff.js";
import { sendOnce } from "./send.js";

export interface DispatcherOptions {
  store: AlertStore;
  receivers: readonly ReceiverConfig[];
  delivery: AlertsConfig["delivery"];
  logger: Logger;
  now?: () => number;
  random?: () => number;
  /** Called after a delivery was acknowledged (metrics, tests, the latency benchmark). */
  onDelivered?: (row: OutboxRow, atMs: number) => void;
}

export class Dispatcher {
  private readonly receivers: Map<string, ReceiverConfig>;
  private readonly now: () => number;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: DispatcherOptions) {
    this.receivers = new Map(opts.receivers.map((r) => [r.name, r]));
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New rows were committed: look now instead of at the next timer. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Stops taking new deliveries and waits for the ones in flight (bounded by their timeout). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    const { store, delivery, logger } = this.opts;
    while (this.running) {
      this.kicked = false;
      let due: OutboxRow[] = [];
      try {
        due = await store.dueDeliveries(this.now(), delivery.concurrency * 4);
      } catch (err) {
        logger.error({ err: String(err) }, "outbox: cannot read pending deliveries");
        await this.sleep(1000);
        continue;
      }
      if (due.length > 0) {
        await this.runAll(due);
        continue;
      }
      if (this.kicked) continue;
      let next: number | null = null;
      try {
        next = await store.nextDueMs();
      } catch {
        next = this.now() + 1000;
      }
      if (this.kicked) continue;
      await this.sleep(next === null ? 60_000 : Math.max(0, next - this.now()));
    }
  }

  private async runAll(rows: OutboxRow[]): Promise<void> {
    const limit = this.opts.delivery.concurrency;
    let i = 0;
    const workers = Array.from({ length: Math.min(limit, rows.length) }, async () => {
      while (i < rows.length && this.running) {
        const row = rows[i++]!;
        await this.deliver(row);
      }
    });
    await Promise.all(workers);
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { store, delivery, logger } = this.opts;
    const receiver = this.receivers.get(row.receiver);
    const where = receiver ? `${row.receiver} (${receiver.url})` : row.receiver;
    const ctx = { receiver: row.receiver, fingerprint: row.fingerprint, key: row.idempotencyKey };
    if (!receiver) {
      const error = `receiver "${row.receiver}" is no longer configured`;
      logger.error(ctx, `delivery ${row.eventKind} to ${where} dropped: ${error}`);
      await store.markDead(row.id, error);
      return;
    }
    const outcome = await sendOnce(row, receiver, delivery.timeout, this.now());
    const now = this.now();
    try {
      if (outcome.kind === "delivered") {
        await store.markDelivered(row.id, now);
        this.opts.onDelivered?.(row, now);
        logger.debug(ctx, `delivered ${row.eventKind} to ${row.receiver}`);
        return;
      }
      const attempt = row.attempts + 1;
      if (outcome.kind === "final" || now - row.createdAtMs >= delivery.giveUpAfter) {
        const why = outcome.kind === "final" ? "the receiver refused it" : "gave up after retrying";
        logger.error(
          ctx,
          `delivery ${row.eventKind} to ${where} failed for good (${why}): ${outcome.error}`,
        );
        await store.markDead(row.id, outcome.error);
        return;
      }
      const wait = backoffMs(
        attempt,
        { initialMs: delivery.initialBackoff, maxMs: delivery.maxBackoff },
        this.opts.random,
        outcome.retryAfterMs,
      );
      logger.warn(
        ctx,
        `delivery ${row.eventKind} to ${where} failed: ${outcome.error}; retry ${attempt + 1} in ${(wait / 1000).toFixed(1)} s`,
      );
      await store.markRetry(row.id, now + wait, outcome.error);
    } catch (err) {
      // The store is unreachable: the row stays pending and is retried as it was.
      logger.error({ ...ctx, err: String(err) }, "outbox: cannot record a delivery outcome");
      await this.sleep(1000);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wake = null;
        resolve();
      };
      this.wake = done;
      if (!this.running || this.kicked) return done();
      this.timer = setTimeout(done, Math.min(ms, 60_000));
    });
  }
}
