/**
 * Keeps an Alertmanager's alerts alive: every `resendInterval`, the alerts still firing whose
 * firing this receiver took are POSTed again to `/api/v2/alerts`, as Prometheus does.
 *
 * Why: a firing alert reaches Alertmanager without `endsAt`, and Alertmanager resolves it on
 * its own after `resolve_timeout` (5 minutes by default) unless it is sent again; without the
 * refresh, an insurance fund that stays short for an hour would read "resolved" there after
 * five minutes. Only what the receiver was sent is re-sent (a firing a silence kept from it
 * stays unsent), from the store, so a restarted worker refreshes too. A refresh is not a
 * delivery: it is not recorded in the outbox, and a failed one is retried at the next tick.
 */
import type { Logger } from "pino";
import { type ReceiverConfig, targetUrl } from "../config/receiverSchema.js";
import { type AlertStore, type StoredEvent, toEvent } from "../store/alertStore.js";
import { alertmanagerBody } from "./notifiers/alertmanagerBody.js";
import { DEFAULT_LINKS, type Links } from "./notifiers/links.js";

type AlertmanagerReceiver = Extract<ReceiverConfig, { type: "alertmanager" }>;

/** The firing events of alerts firing now that `receiver` was sent. */
export async function firingSentTo(store: AlertStore, receiver: string): Promise<StoredEvent[]> {
  const s = store.schema;
  const rows = await store.db.query(
    `SELECT e.* FROM ${s}.alert a
     JOIN ${s}.alert_event e ON e.fingerprint = a.fingerprint AND e.kind = 'firing'
       AND e.starts_at_ms = a.starts_at_ms
     WHERE a.state = 'firing' AND EXISTS (
       SELECT 1 FROM ${s}.outbox o WHERE o.event_id = e.id AND o.receiver = $1
         AND o.status = 'delivered')
     ORDER BY e.id`,
    [receiver],
  );
  return rows.map(toEvent);
}

export interface RefreshOptions {
  store: AlertStore;
  logger: Logger;
  links?: Links;
  timeoutMs: number;
}

/** One refresh: how many alerts were re-sent (0 when none fire), or an Error's line. */
export async function refreshAlertmanager(
  r: AlertmanagerReceiver,
  o: RefreshOptions,
): Promise<number> {
  const events = await firingSentTo(o.store, r.name);
  const body = alertmanagerBody(events, o.links ?? DEFAULT_LINKS);
  if (!body) return 0;
  const res = await fetch(targetUrl(r), {
    method: "POST",
    headers: { "content-type": "application/json", ...(r.headers ?? {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(o.timeoutMs),
  });
  await res.text().catch(() => "");
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return body.length;
}

/** Refreshes one receiver every `resendInterval` until stopped. */
export class AlertmanagerRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly r: AlertmanagerReceiver,
    private readonly o: RefreshOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick().finally(() => {
        this.running = null;
      });
    }, this.r.resendInterval);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      await refreshAlertmanager(this.r, this.o);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.o.logger.warn(
        { receiver: this.r.name },
        `alertmanager ${this.r.name}: refresh of firing alerts failed (${why}); next in ${this.r.resendInterval / 1000} s`,
      );
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
