/**
 * The outbox dispatcher: one lane per receiver, each delivering that receiver's pending
 * outbox rows until acknowledged, in order per alert (or per group), in parallel across them.
 *
 * Why a lane per receiver: a receiver that hangs or is down holds up only its own lane (its
 * own reads of the outbox, its own concurrency, its own sleep), never another receiver's
 * pages. Each lane also has its own rate limit (PagerDuty: 120/min by default) and honours
 * its receiver's `Retry-After` (up to 10 minutes) for the whole lane after a 429.
 *
 * Why a loop over the table rather than in-memory queues: the table is the queue. After a
 * crash or restart the dispatcher simply continues from what is pending, re-sending a
 * delivery that was in flight with the same idempotency key (at-least-once; receivers drop
 * repeats by the key). A failed head of line waits for its backoff and holds back the later
 * events of the same alert for that receiver, so a receiver never sees a resolve before its
 * firing. When the receiver was down for an alert's whole life, its firing and resolve
 * collapse into nothing (stale news is not paged). A delivery that can never succeed (HTTP
 * 4xx) or has failed for `giveUpAfter` is dead-lettered with its last error, in one line.
 */
import type { Logger } from "pino";
import type { AlertsConfig, ReceiverConfig } from "../config/alertsConfig.js";
import type { AlertStore, OutboxRow, StoredEvent } from "../store/alertStore.js";
import { AlertmanagerRefresher } from "./alertmanagerRefresh.js";
import type { Links } from "./notifiers/links.js";
import { ReceiverLane } from "./receiverLane.js";

/**
 * One attempt's outcome, for the alert history (attempt 1 = the first try). A delivery held
 * back when its event was committed (silenced, inhibited) is reported once with attempt 0.
 */
export interface DeliveryAttempt {
  row: OutboxRow;
  attempt: number;
  outcome: "delivered" | "failed" | "dead" | "collapsed" | "silenced" | "inhibited";
  error: string | null;
  atMs: number;
}

export interface DispatcherOptions {
  store: AlertStore;
  receivers: readonly ReceiverConfig[];
  delivery: AlertsConfig["delivery"];
  logger: Logger;
  links?: Links;
  now?: () => number;
  random?: () => number;
  /** Called after a delivery was acknowledged (metrics, tests, the latency benchmark). */
  onDelivered?: (row: OutboxRow, atMs: number) => void;
  /** Called after every attempt, whatever its outcome (the alert history). */
  onAttempt?: (a: DeliveryAttempt) => void;
}

export type { StoredEvent };

export class Dispatcher {
  private readonly lanes: ReceiverLane[];

  /** Alertmanager receivers get their firing alerts again every resendInterval. */
  private readonly refreshers: AlertmanagerRefresher[];

  constructor(private readonly opts: DispatcherOptions) {
    this.lanes = opts.receivers.map((r) => new ReceiverLane(r, opts));
    this.refreshers = opts.receivers.flatMap((r) =>
      r.type === "alertmanager"
        ? [new AlertmanagerRefresher(r, { ...opts, timeoutMs: opts.delivery.timeout })]
        : [],
    );
  }

  start(): void {
    void this.dropOrphans();
    for (const l of this.lanes) l.start();
    for (const r of this.refreshers) r.start();
  }

  /** New rows were committed: every lane looks now instead of at its next timer. */
  kick(): void {
    for (const l of this.lanes) l.kick();
  }

  /** Stops taking new deliveries and waits for the ones in flight (bounded by their timeout). */
  async stop(): Promise<void> {
    await Promise.all([
      ...this.lanes.map((l) => l.stop()),
      ...this.refreshers.map((r) => r.stop()),
    ]);
  }

  /** Pending rows of receivers no longer configured are dead-lettered, one line each. */
  private async dropOrphans(): Promise<void> {
    const { store, logger } = this.opts;
    const known = new Set(this.opts.receivers.map((r) => r.name));
    try {
      for (const row of await store.outbox("pending")) {
        if (known.has(row.receiver)) continue;
        const error = `receiver "${row.receiver}" is no longer configured`;
        logger.error(
          { receiver: row.receiver, fingerprint: row.fingerprint, key: row.idempotencyKey },
          `delivery ${row.eventKind} to ${row.receiver} dropped: ${error}`,
        );
        await store.markDead(row.id, error);
      }
    } catch (err) {
      logger.error({ err: String(err) }, "outbox: cannot read pending deliveries");
    }
  }
}
