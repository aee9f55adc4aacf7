/**
 * The generic JSON webhook body: Alertmanager's webhook payload (version 4) carrying exactly
 * one alert, plus the same alert's fields at the top level and a `perpwatch` block.
 *
 * Why this shape: whoever already consumes Alertmanager or Grafana webhooks finds the fields
 * they know (`status`, `fingerprint`, `labels`, `annotations`, `startsAt`, `endsAt`,
 * `alerts[]`), so an existing receiver works unchanged; one alert per delivery keeps one
 * idempotency key per event. A retraction is `status: "resolved"` (what those receivers
 * understand) with `perpwatch.event: "retracted"` and a `retracted` annotation. The exchange
 * is the label `exchange` (and `perpwatch.exchange`); with several exchanges watched the
 * summary starts with `[<exchange>]`.
 */
import type { StoredEvent } from "../../store/alertStore.js";

/** Alertmanager's "no end" timestamp for firing alerts. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

export const iso = (ms: number | null): string =>
  ms === null ? ZERO_TIME : new Date(ms).toISOString();

export function webhookBody(e: StoredEvent, receiver: string, idempotencyKey: string): unknown {
  if (e.kind === "digest") {
    return {
      version: "4",
      receiver,
      status: "digest",
      perpwatch: { event: "digest", eventId: e.id, idempotencyKey },
      labels: e.labels,
      annotations: e.annotations,
      startsAt: iso(e.startsAtMs),
      endsAt: iso(e.endsAtMs),
      fingerprint: e.fingerprint,
      alerts: [],
    };
  }
  const status = e.kind === "firing" ? "firing" : "resolved";
  const alert = {
    status,
    labels: e.labels,
    annotations: e.annotations,
    startsAt: iso(e.startsAtMs),
    endsAt: e.kind === "firing" ? ZERO_TIME : iso(e.endsAtMs),
    fingerprint: e.fingerprint,
    generatorURL: "",
    values: { value: e.value, threshold: e.threshold },
  };
  return {
    version: "4",
    receiver,
    status,
    groupKey: `{}:{alertname="${e.labels.alertname ?? e.rule}"}`,
    groupLabels: { alertname: e.labels.alertname ?? e.rule },
    commonLabels: e.labels,
    commonAnnotations: e.annotations,
    externalURL: "",
    truncatedAlerts: 0,
    alerts: [alert],
    fingerprint: e.fingerprint,
    labels: e.labels,
    annotations: e.annotations,
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    perpwatch: {
      event: e.kind,
      eventId: e.id,
      idempotencyKey,
      rule: e.rule,
      /** The exchange the alert is about (also its label `exchange`); null for a digest. */
      exchange: e.labels.exchange ?? null,
      value: e.value,
      threshold: e.threshold,
      block: e.block ? { number: e.block.number.toString(), hash: e.block.hash } : null,
    },
  };
}
