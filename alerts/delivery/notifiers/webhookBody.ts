/**
 * The generic JSON webhook body: Alertmanager's webhook payload (version 4) for one group
 * of alerts, plus, when the group is a single alert, that alert's fields at the top level
 * and a `perpwatch` block.
 *
 * Why this shape: whoever already consumes Alertmanager or Grafana webhooks finds the fields
 * they know (`status` firing|resolved, `groupKey`, `groupLabels`, `commonLabels`,
 * `externalURL`, `alerts[]` with `fingerprint` and `generatorURL`), so an existing receiver
 * works unchanged. An ungrouped alert is a group of its own: its groupKey is its full label
 * set, so two markets of one rule never share one. A retraction is `status: "resolved"` with
 * `perpwatch.event: "retracted"` and a `retracted` annotation. The daily digest is an
 * informational alert (`alertname="daily-digest"`, already ended) with `perpwatch.event:
 * "digest"`.
 */
import type { StoredEvent } from "../../store/alertStore.js";
import {
  annotationsWithEvidence,
  DEFAULT_LINKS,
  externalUrl,
  generatorUrl,
  type Links,
} from "./links.js";

/** Alertmanager's "no end" timestamp for firing alerts. */
export const ZERO_TIME = "0001-01-01T00:00:00Z";

export const iso = (ms: number | null): string =>
  ms === null ? ZERO_TIME : new Date(ms).toISOString();

export interface GroupContext {
  /** The group's key (Alertmanager's `{}:{label="value", …}`); default: the alert's labels. */
  groupKey?: string;
  /** The group_by labels' values; default: every label of the single alert. */
  groupLabels?: Record<string, string>;
  links?: Links;
}

export const statusOf = (e: StoredEvent): "firing" | "resolved" =>
  e.kind === "firing" || e.kind === "digest" ? "firing" : "resolved";

export function labelKey(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{}:{${parts.join(", ")}}`;
}

function common(maps: readonly Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)),
  );
}

/** One alert as Alertmanager's webhook and API carry it. */
export function amAlert(e: StoredEvent, links: Links) {
  return {
    status: statusOf(e),
    labels: e.labels,
    annotations: annotationsWithEvidence(e, links),
    startsAt: iso(e.startsAtMs),
    endsAt: e.kind === "firing" ? ZERO_TIME : iso(e.endsAtMs ?? e.createdAtMs),
    generatorURL: generatorUrl(e, links),
    fingerprint: e.fingerprint,
  };
}

export function webhookBody(
  events: StoredEvent | readonly StoredEvent[],
  receiver: string,
  idempotencyKey: string,
  ctx: GroupContext = {},
): unknown {
  const list = Array.isArray(events) ? events : [events as StoredEvent];
  const links = ctx.links ?? DEFAULT_LINKS;
  const alerts = list.map((e) => ({
    ...amAlert(e, links),
    values: { value: e.value, threshold: e.threshold },
  }));
  const single = list.length === 1 ? list[0]! : null;
  const body: Record<string, unknown> = {
    version: "4",
    receiver,
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    groupKey: ctx.groupKey ?? labelKey(single?.labels ?? {}),
    truncatedAlerts: 0,
    groupLabels: ctx.groupLabels ?? single?.labels ?? {},
    commonLabels: common(list.map((e) => e.labels)),
    commonAnnotations: common(list.map((e) => e.annotations)),
    externalURL: externalUrl(links),
    alerts,
  };
  if (!single) {
    body.perpwatch = {
      event: "group",
      idempotencyKey,
      eventIds: list.map((e) => e.id),
    };
    return body;
  }
  const e = single;
  return {
    ...body,
    fingerprint: e.fingerprint,
    labels: e.labels,
    annotations: annotationsWithEvidence(e, links),
    startsAt: alerts[0]!.startsAt,
    endsAt: alerts[0]!.endsAt,
    perpwatch: {
      event: e.kind,
      eventId: e.id,
      idempotencyKey,
      rule: e.rule,
      ...(e.kind === "digest" ? {} : { exchange: e.labels.exchange ?? null }),
      value: e.value,
      threshold: e.threshold,
      block: e.block ? { number: e.block.number.toString(), hash: e.block.hash } : null,
      // Decided on a block the worker missed and evaluated after the fact (catch-up).
      ...(e.annotations.late !== undefined ? { late: true } : {}),
    },
  };
}
