/**
 * The alerts service's state in brief, for status displays (`perpwatch start`'s status block
 * through the worker's `GET /status`, a liveness probe): the alerts firing now and the outbox's
 * delivered, pending and dead counts.
 *
 * Why here: what "firing" means, which label is the severity and which the scope are the
 * alerts' own knowledge; the worker only serves the result.
 */
import type { AlertsService } from "./alertsService.js";

export interface FiringAlert {
  rule: string;
  /** The alert's `severity` label ("warning" when it has none). */
  severity: string;
  /** The market it concerns, or "global". */
  scope: string;
  /** The exchange it concerns (absent on rows stored before alerts had one). */
  exchange?: string;
  /** When it fired, ISO 8601. */
  since: string | null;
}

export interface AlertsStatus {
  firing: FiringAlert[];
  delivered: number;
  pending: number;
  dead: number;
  /** The local receiver's URL when it runs. */
  localReceiver: string | null;
}

/** Reads the service's store; null before the service has started (no store yet). */
export async function alertsStatus(
  service: Pick<AlertsService, "store" | "localReceiver">,
): Promise<AlertsStatus | null> {
  const store = service.store;
  if (!store) return null;
  const [records, delivered, pending, dead] = await Promise.all([
    store.loadAlerts(),
    store.outbox("delivered"),
    store.outbox("pending"),
    store.outbox("dead"),
  ]);
  return {
    firing: records
      .filter((r) => r.state === "firing")
      .map((r) => ({
        rule: r.rule,
        severity: r.labels.severity ?? "warning",
        scope: r.labels.market ?? "global",
        exchange: r.labels.exchange,
        since: r.startsAtMs === null ? null : new Date(r.startsAtMs).toISOString(),
      })),
    delivered: delivered.length,
    pending: pending.length,
    dead: dead.length,
    localReceiver: service.localReceiver?.url ?? null,
  };
}
