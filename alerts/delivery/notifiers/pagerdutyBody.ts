/**
 * A PagerDuty Events API v2 event: `trigger` when an alert fires, `resolve` when it resolves
 * or is retracted, both with `dedup_key` = the alert's fingerprint so PagerDuty folds them
 * into one incident. Severities map to PagerDuty's (critical, warning, info; `error` is
 * not used). The summary is cut to PagerDuty's 1,024 characters without breaking a
 * character, and says it was cut. The exchange is in `custom_details` (and, with several
 * exchanges watched, at the start of the summary); the dedup key differs per exchange.
 * PagerDuty is never grouped: one incident per alert, so each resolves on its own.
 */
import type { StoredEvent } from "../../store/alertStore.js";
import { DEFAULT_LINKS, evidenceUrl, generatorUrl, type Links } from "./links.js";
import { truncate } from "./text.js";
import { iso } from "./webhookBody.js";

export const SUMMARY_MAX = 1024;

const SEVERITY: Record<string, "critical" | "error" | "warning" | "info"> = {
  critical: "critical",
  warning: "warning",
  info: "info",
};

export function pagerdutyBody(
  e: StoredEvent,
  routingKey: string,
  source: string,
  links: Links = DEFAULT_LINKS,
): unknown | null {
  if (e.kind === "digest") return null;
  if (e.kind !== "firing") {
    return { routing_key: routingKey, event_action: "resolve", dedup_key: e.fingerprint };
  }
  const summary = truncate(e.annotations.summary ?? e.labels.alertname ?? e.rule, SUMMARY_MAX);
  const evidence = evidenceUrl(e, links);
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
    links: [
      { href: generatorUrl(e, links), text: "Grafana" },
      ...(evidence ? [{ href: evidence, text: "GraphQL evidence" }] : []),
    ],
  };
}
