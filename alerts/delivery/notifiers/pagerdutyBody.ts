/**
 * A PagerDuty Events API v2 event: `trigger` when an alert fires, `resolve` when it resolves
 * or is retracted, both with `dedup_key` = the alert's fingerprint so PagerDuty folds them
 * into one incident. Severities map to PagerDuty's (critical, warning, info; `error` is
 * not used). The exchange is in `custom_details` (and, with several exchanges watched, at the
 * start of the summary); the dedup key, the fingerprint, differs per exchange.
 */
import type { StoredEvent } from "../../store/alertStore.js";
import { iso } from "./webhookBody.js";

const SEVERITY: Record<string, "critical" | "error" | "warning" | "info"> = {
  critical: "critical",
  warning: "warning",
  info: "info",
};

export function pagerdutyBody(e: StoredEvent, routingKey: string, source: string): unknown | null {
  if (e.kind === "digest") return null;
  if (e.kind !== "firing") {
    return { routing_key: routingKey, event_action: "resolve", dedup_key: e.fingerprint };
  }
  const summary = (e.annotations.summary ?? e.labels.alertname ?? e.rule).slice(0, 1024);
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: e.fingerprint,
    payload: {
      summary,
      source,
      severity: SEVERITY[e.labels.severity ?? "info"] ?? "info",
      timestamp: iso(e.startsAtMs),
      component: e.labels.market ?? (e.labels.account ? `account ${e.labels.account}` : "exchange"),
      group: e.labels.category ?? e.labels.team ?? "perpwatch",
      class: e.labels.alertname ?? e.rule,
      custom_details: {
        exchange: e.labels.exchange ?? null,
        labels: e.labels,
        annotations: e.annotations,
        value: e.value,
        threshold: e.threshold,
        block: e.block ? e.block.number.toString() : null,
      },
    },
  };
}
