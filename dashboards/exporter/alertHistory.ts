/**
 * The alert history seam: what the alerts service reports to the exporter, and how it lands
 * in ClickHouse (`alert_events`, `alert_deliveries`) for the System health dashboard.
 *
 * Why a push seam: alert state lives in the alerts service's own store (PGlite or
 * PostgreSQL), which the exporter does not read; the service already knows each transition
 * (firing → resolved) and each webhook attempt when it happens, so it hands them over —
 * `exporter.recordAlertEvents([...])`, or `ingestAlertEvents(clickhouse, [...])` directly.
 * Reporting the same alert again (a later status, more deliveries) replaces its row: events
 * are keyed by (fingerprint, startsAt), deliveries by (fingerprint, startsAt, deliveryId,
 * attempt), so a retried report is harmless.
 *
 * `createAlertHistoryFeed` is the one mapping from the alerts service's hooks
 * (`onAlertEvent`, `onDelivered`) to these events. It reads the alerts' events and outbox rows
 * by shape (`AlertTransition`, `AcknowledgedDelivery`), so dashboards/ does not import alerts/;
 * the worker wires the two together.
 */
import { z } from "zod";
import type { ClickHouseHandle } from "../clickhouse/connect.js";
import { dateTime64 } from "./values.js";

const when = z.union([z.date(), z.string().datetime({ offset: true }), z.number().int()]);

export const alertDeliverySchema = z.object({
  /** Stable id of the delivery (one notification to one channel), e.g. the outbox row id. */
  id: z.string().min(1),
  /** 1 for the first attempt, 2 for the first retry, …; 0 for a delivery never attempted (muted). */
  attempt: z.number().int().min(0),
  /** "webhook", "slack", "pagerduty", … */
  channel: z.string().min(1),
  at: when,
  /** silenced / inhibited: held back when the alert fired; collapsed: it resolved first. */
  outcome: z.enum([
    "delivered",
    "failed",
    "retrying",
    "dead",
    "silenced",
    "inhibited",
    "collapsed",
  ]),
  httpStatus: z.number().int().min(0).max(999).optional(),
  error: z.string().optional(),
});

export const alertEventSchema = z.object({
  /** Identity of the alert instance: rule plus labels, stable across its transitions. */
  fingerprint: z.string().min(1),
  rule: z.string().min(1),
  severity: z.string().min(1).default("warning"),
  status: z.enum(["firing", "resolved"]),
  startsAt: when,
  endsAt: when.nullish(),
  summary: z.string().default(""),
  labels: z.record(z.string(), z.string()).default({}),
  deliveries: z.array(alertDeliverySchema).default([]),
});

export type AlertDelivery = z.input<typeof alertDeliverySchema>;
export type AlertEvent = z.input<typeof alertEventSchema>;

function ms(v: z.infer<typeof when>): number {
  return v instanceof Date ? v.getTime() : typeof v === "number" ? v : Date.parse(v);
}

/** Writes alert events and their deliveries; rejects with one line on invalid input. */
export async function ingestAlertEvents(
  ch: ClickHouseHandle,
  events: readonly AlertEvent[],
  now: () => number = Date.now,
): Promise<{ events: number; deliveries: number }> {
  const parsed = events.map((e, i) => {
    const r = alertEventSchema.safeParse(e);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new RangeError(
        `alert event ${i}: ${issue?.path.join(".") || "event"}: ${issue?.message ?? "invalid"}`,
      );
    }
    return r.data;
  });
  if (parsed.length === 0) return { events: 0, deliveries: 0 };
  const updatedAt = dateTime64(now());
  const eventRows = parsed.map((e) => ({
    fingerprint: e.fingerprint,
    starts_at: dateTime64(ms(e.startsAt)),
    rule: e.rule,
    severity: e.severity,
    status: e.status,
    ends_at: e.endsAt == null ? null : dateTime64(ms(e.endsAt)),
    summary: e.summary,
    labels: e.labels,
    updated_at: updatedAt,
  }));
  const deliveryRows = parsed.flatMap((e) =>
    e.deliveries.map((d) => ({
      fingerprint: e.fingerprint,
      starts_at: dateTime64(ms(e.startsAt)),
      delivery_id: d.id,
      attempt: d.attempt,
      rule: e.rule,
      channel: d.channel,
      attempted_at: dateTime64(ms(d.at)),
      outcome: d.outcome,
      http_status: d.httpStatus ?? 0,
      error: d.error ?? "",
    })),
  );
  await ch.client.insert({
    table: `${ch.database}.alert_events`,
    values: eventRows,
    format: "JSONEachRow",
  });
  if (deliveryRows.length > 0) {
    await ch.client.insert({
      table: `${ch.database}.alert_deliveries`,
      values: deliveryRows,
      format: "JSONEachRow",
    });
  }
  return { events: eventRows.length, deliveries: deliveryRows.length };
}

/**
 * What the history reads of a committed alert event (alerts/store's `StoredEvent`): its kind
 * ("firing", "resolved", "retracted", "digest", …), identity, labels and annotations, and the
 * episode's times in ms.
 */
export interface AlertTransition {
  kind: string;
  fingerprint: string;
  rule: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAtMs: number;
  endsAtMs: number | null;
}

/** What the history reads of an acknowledged delivery (alerts/store's `OutboxRow`). */
export interface AcknowledgedDelivery {
  id: number | string;
  fingerprint: string;
  /** The receiver's configured name (the dashboard's channel). */
  receiver: string;
  attempts: number;
}

/**
 * A firing or resolved transition as a history event; null for the kinds the history does not
 * keep (a retraction, a digest). Severity defaults to "warning", the summary to "".
 */
export function alertEventOf(t: AlertTransition): AlertEvent | null {
  if (t.kind !== "firing" && t.kind !== "resolved") return null;
  return {
    fingerprint: t.fingerprint,
    rule: t.rule,
    severity: t.labels.severity ?? "warning",
    status: t.kind,
    startsAt: t.startsAtMs,
    endsAt: t.endsAtMs,
    summary: t.annotations.summary ?? "",
    labels: t.labels,
  };
}

/** The alerts service's hooks, feeding the history. */
export interface AlertHistoryFeed {
  readonly onAlertEvent: (event: AlertTransition) => void;
  readonly onDelivered: (row: AcknowledgedDelivery, atMs: number) => void;
}

/**
 * Turns the alerts service's events and acknowledged deliveries into history events and hands
 * them to `record` (e.g. `exporter.recordAlertEvents`, its failures logged by the caller).
 * It keeps the last transition of each alert, so a delivery is recorded beside the episode it
 * belongs to; a delivery of an alert it has not seen a transition of is not recorded.
 */
export function createAlertHistoryFeed(record: (events: AlertEvent[]) => void): AlertHistoryFeed {
  const lastEvent = new Map<string, AlertEvent>();
  return {
    onAlertEvent: (t) => {
      const event = alertEventOf(t);
      if (!event) return;
      lastEvent.set(t.fingerprint, event);
      record([event]);
    },
    onDelivered: (row, atMs) => {
      const event = lastEvent.get(row.fingerprint);
      if (!event) return;
      record([
        {
          ...event,
          deliveries: [
            {
              id: String(row.id),
              attempt: Math.max(1, row.attempts),
              channel: row.receiver,
              at: atMs,
              outcome: "delivered",
            },
          ],
        },
      ]);
    },
  };
}
