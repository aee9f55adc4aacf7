/**
 * The alerts service's state in brief, for status displays (`perpwatch start`'s status block
 * through the worker's `GET /status`, a liveness probe): the alerts firing now, the outbox's
 * counts by status (delivered, pending, dead; silenced, inhibited, collapsed) and the
 * silences in force.
 *
 * Why here: what "firing" means, which label is the severity and which the scope are the
 * alerts' own knowledge; the worker only serves the result.
 */
import { formatMatcher } from "../routing/matchers.js";
import { listSilences } from "../store/silenceStore.js";
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

export interface SilenceStatus {
  id: string;
  /** Alertmanager-style matchers, e.g. `severity="critical"`. */
  matchers: string[];
  /** Whether it mutes now ("active") or starts later ("pending"). */
  state: "active" | "pending";
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface AlertsStatus {
  firing: FiringAlert[];
  delivered: number;
  pending: number;
  dead: number;
  /** Deliveries held back: by a silence, an inhibit rule, or because the alert resolved first. */
  silenced: number;
  inhibited: number;
  collapsed: number;
  silences: SilenceStatus[];
  /** The local receiver's URL when it runs. */
  localReceiver: string | null;
}

/** Reads the service's store; null before the service has started (no store yet). */
export async function alertsStatus(
  service: Pick<AlertsService, "store" | "localReceiver">,
): Promise<AlertsStatus | null> {
  const store = service.store;
  if (!store) return null;
  const now = Date.now();
  const [records, counts, silences] = await Promise.all([
    store.loadAlerts(),
    store.outboxCounts(),
    listSilences(store, now),
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
    delivered: counts.delivered ?? 0,
    pending: counts.pending ?? 0,
    dead: counts.dead ?? 0,
    silenced: counts.silenced ?? 0,
    inhibited: counts.inhibited ?? 0,
    collapsed: counts.collapsed ?? 0,
    silences: silences.map((x) => ({
      id: x.id,
      matchers: x.matchers.map(formatMatcher),
      state: x.startsAtMs > now ? ("pending" as const) : ("active" as const),
      startsAt: new Date(x.startsAtMs).toISOString(),
      endsAt: new Date(x.endsAtMs).toISOString(),
      createdBy: x.createdBy,
      comment: x.comment,
    })),
    localReceiver: service.localReceiver?.url ?? null,
  };
}
