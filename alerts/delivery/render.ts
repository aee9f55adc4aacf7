/**
 * Turns a stored event into the deliveries its receivers get: which receivers (the rule's
 * `receivers`, or all), each body rendered now (so retries send the same bytes) and a fresh
 * idempotency key per delivery.
 */
import { randomUUID } from "node:crypto";
import type { ReceiverConfig } from "../config/alertsConfig.js";
import type { OutboxDraft, StoredEvent } from "../store/alertStore.js";
import { pagerdutyBody } from "./notifiers/pagerdutyBody.js";
import { slackBody } from "./notifiers/slackBody.js";
import { webhookBody } from "./notifiers/webhookBody.js";

export function renderBody(
  e: StoredEvent,
  r: ReceiverConfig,
  idempotencyKey: string,
): unknown | null {
  switch (r.type) {
    case "webhook":
      return webhookBody(e, r.name, idempotencyKey);
    case "slack":
      return slackBody(e);
    case "pagerduty":
      return pagerdutyBody(e, r.routingKey, r.source);
  }
}

export function deliveriesFor(
  e: StoredEvent,
  receivers: readonly ReceiverConfig[],
  wanted: readonly string[] | undefined,
): OutboxDraft[] {
  const out: OutboxDraft[] = [];
  for (const r of receivers) {
    if (wanted && !wanted.includes(r.name)) continue;
    const idempotencyKey = randomUUID();
    const body = renderBody(e, r, idempotencyKey);
    if (body === null) continue;
    out.push({ receiver: r.name, idempotencyKey, body: JSON.stringify(body) });
  }
  return out;
}
