/**
 * One receiver's delivery lane (see dispatcher.ts): reads only that receiver's due outbox
 * rows, sends up to `delivery.concurrency` at once, waits for its rate limit and for a
 * `Retry-After` pause, and records each outcome.
 */
import { displayUrl, type ReceiverConfig } from "../config/receiverSchema.js";
import type { OutboxRow } from "../store/alertStore.js";
import { backoffMs } from "./backoff.js";
import type { DispatcherOptions } from "./dispatcher.js";
import { RateLimiter } from "./rateLimiter.js";
import { renderBody } from "./render.js";
import { sendOnce } from "./send.js";

export class ReceiverLane {
  private readonly now: () => number;
  private readonly limiter: RateLimiter | null;
  private readonly where: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private timer: NodeJS.Timeout | null = null;
  /** No sends before this (a 429's Retry-After applies to the whole receiver). */
  private pausedUntil = 0;

  constructor(
    private readonly receiver: ReceiverConfig,
    private readonly opts: DispatcherOptions,
  ) {
    this.now = opts.now ?? Date.now;
    const perMinute = "rateLimit" in receiver ? receiver.rateLimit?.perMinute : undefined;
    this.limiter = perMinute ? new RateLimiter(perMinute) : null;
    this.where = `${receiver.name} (${receiver.display ?? displayUrl(receiver, false)})`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    const { store, delivery, logger } = this.opts;
    const name = this.receiver.name;
    while (this.running) {
      this.kicked = false;
      if (this.pausedUntil > this.now()) {
        await this.sleep(this.pausedUntil - this.now(), false);
        continue;
      }
      let due: OutboxRow[] = [];
      try {
        due = await store.dueDeliveries(this.now(), delivery.concurrency * 4, name);
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
        next = await store.nextDueMs(name);
      } catch {
        next = this.now() + 1000;
      }
      if (this.kicked) continue;
      await this.sleep(next === null ? 60_000 : Math.max(0, next - this.now()));
    }
  }

  private async runAll(rows: OutboxRow[]): Promise<void> {
    let i = 0;
    const n = Math.min(this.opts.delivery.concurrency, rows.length);
    const workers = Array.from({ length: n }, async () => {
      while (i < rows.length && this.running && this.pausedUntil <= this.now()) {
        const row = rows[i++]!;
        if (!(await this.waitForToken())) return;
        await this.deliver(row);
      }
    });
    await Promise.all(workers);
  }

  /** Waits for the rate limit; false when the lane stopped meanwhile. */
  private async waitForToken(): Promise<boolean> {
    if (!this.limiter) return true;
    for (;;) {
      const wait = this.limiter.take(this.now());
      if (wait === 0) return true;
      await this.sleep(wait, false);
      if (!this.running) return false;
    }
  }

  /** A grouped head closes its group into one notification first. */
  private async prepare(row: OutboxRow): Promise<OutboxRow | null> {
    const { store, logger } = this.opts;
    if (row.groupKey !== "" && row.batchId === null) {
      return store.formBatch(row, this.now(), (events, idempotencyKey) => {
        const body = renderBody(events, this.receiver, {
          idempotencyKey,
          groupKey: row.groupKey,
          groupLabels: groupLabelsOf(row.groupKey),
          links: this.opts.links,
        });
        return body === null ? null : JSON.stringify(body);
      });
    }
    if (row.groupKey === "" && row.eventKind === "firing" && row.attempts > 0) {
      const n = await store.collapseStale(row);
      if (n > 0) {
        logger.info(
          { receiver: row.receiver, fingerprint: row.fingerprint },
          `delivery firing to ${this.where} dropped: the alert resolved before ${row.receiver} could be told (${n} deliveries collapsed)`,
        );
        this.opts.onAttempt?.({
          row,
          attempt: row.attempts,
          outcome: "collapsed",
          error: null,
          atMs: this.now(),
        });
        return null;
      }
    }
    return row;
  }

  private async deliver(head: OutboxRow): Promise<void> {
    const { store, delivery, logger } = this.opts;
    const ctx = {
      receiver: head.receiver,
      fingerprint: head.fingerprint,
      key: head.idempotencyKey,
    };
    try {
      const row = await this.prepare(head);
      if (!row) return;
      const outcome = await sendOnce(row, this.receiver, delivery.timeout, this.now());
      const now = this.now();
      const attempt = row.attempts + 1;
      const report = (o: "delivered" | "failed" | "dead", error: string | null) =>
        this.opts.onAttempt?.({ row, attempt, outcome: o, error, atMs: now });
      if (outcome.kind === "delivered") {
        await store.markDelivered(row.id, now);
        report("delivered", null);
        this.opts.onDelivered?.(row, now);
        logger.debug(ctx, `delivered ${row.eventKind} to ${row.receiver}`);
        return;
      }
      if (outcome.kind === "final" || now - row.createdAtMs >= delivery.giveUpAfter) {
        const why = outcome.kind === "final" ? "the receiver refused it" : "gave up after retrying";
        logger.error(
          ctx,
          `delivery ${row.eventKind} to ${this.where} failed for good (${why}): ${outcome.error}`,
        );
        await store.markDead(row.id, outcome.error);
        report("dead", outcome.error);
        return;
      }
      const wait = backoffMs(
        attempt,
        { initialMs: delivery.initialBackoff, maxMs: delivery.maxBackoff },
        this.opts.random,
        outcome.retryAfterMs,
      );
      if (outcome.status === 429) this.pausedUntil = Math.max(this.pausedUntil, now + wait);
      logger.warn(
        ctx,
        `delivery ${row.eventKind} to ${this.where} failed: ${outcome.error}; retry ${attempt + 1} in ${(wait / 1000).toFixed(1)} s`,
      );
      await store.markRetry(row.id, now + wait, outcome.error);
      report("failed", outcome.error);
    } catch (err) {
      // The store is unreachable: the row stays pending and is retried as it was.
      logger.error({ ...ctx, err: String(err) }, "outbox: cannot record a delivery outcome");
      await this.sleep(1000);
    }
  }

  /** Sleeps up to `ms` (at most a minute); a kick ends it early unless `kickable` is false. */
  private sleep(ms: number, kickable = true): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wake = null;
        resolve();
      };
      this.wake = kickable ? done : () => (this.running ? undefined : done());
      if (!this.running || (kickable && this.kicked)) return done();
      this.timer = setTimeout(done, Math.min(ms, 60_000));
    });
  }
}

/** The group_by labels' values back from a group key `{}:{a="x", b="y"}`. */
export function groupLabelsOf(groupKey: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of groupKey.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)=("(?:[^"\\]|\\.)*")/g)) {
    out[m[1]!] = JSON.parse(m[2]!) as string;
  }
  return out;
}
