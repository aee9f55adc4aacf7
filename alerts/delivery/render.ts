/**
 * Turns stored events into the bytes a receiver gets: one event (an ungrouped delivery,
 * rendered when the event is committed, so retries send the same bytes) or a group of
 * events (rendered once, when the dispatcher closes the group, and stored the same way),
 * each with its own idempotency key.
 */
import { randomUUID } from "node:crypto";
import type { ReceiverConfig } from "../config/alertsConfig.js";
import type { Destination } from "../routing/route.js";
import { groupKey as groupKeyOf, isGrouped } from "../routing/route.js";
import type { OutboxDraft, StoredEvent } from "../store/alertStore.js";
import { alertmanagerBody } from "./notifiers/alertmanagerBody.js";
import { discordBody } from "./notifiers/discordBody.js";
import { emailBody } from "./notifiers/emailBody.js";
import { DEFAULT_LINKS, type Links } from "./notifiers/links.js";
import { pagerdutyBody } from "./notifiers/pagerdutyBody.js";
import { slackBody } from "./notifiers/slackBody.js";
import { telegramBody } from "./notifiers/telegramBody.js";
import { type GroupContext, webhookBody } from "./notifiers/webhookBody.js";

export interface RenderContext extends GroupContext {
  idempotencyKey: string;
  links?: Links;
}

/** The body for one event or a group of events; null when this receiver takes none of it. */
export function renderBody(
  events: readonly StoredEvent[],
  r: ReceiverConfig,
  ctx: RenderContext,
): unknown | null {
  if (events.length === 0) return null;
  const links = ctx.links ?? DEFAULT_LINKS;
  switch (r.type) {
    case "webhook":
      return webhookBody(events, r.name, ctx.idempotencyKey, { ...ctx, links });
    case "slack":
      return slackBody(events);
    case "pagerduty":
      // Never grouped (one incident per alert): a group here is one event.
      return pagerdutyBody(events[0]!, r.routingKey, r.source, links);
    case "alertmanager":
      return alertmanagerBody(events, links);
    case "discord":
      return discordBody(events, links);
    case "telegram":
      return telegramBody(events, r.chatId);
    case "email":
      return emailBody(events, links);
  }
}

/** PagerDuty is one incident per alert: it is never grouped whatever the route says. */
export function groupingOf(r: ReceiverConfig, d: Destination): Destination {
  return r.type === "pagerduty" ? { ...d, groupBy: ["..."] } : d;
}

/** Why an event notifies nobody at a receiver (recorded as the outbox row's status). */
export type Muted = "silenced" | "inhibited";

/** The outbox rows of one event: one per destination (muted ones recorded as such). */
export function deliveriesTo(
  e: StoredEvent,
  receivers: readonly ReceiverConfig[],
  dests: readonly Destination[],
  opts: { muted?: Muted; links?: Links } = {},
): OutboxDraft[] {
  const out: OutboxDraft[] = [];
  for (const d of dests) {
    const r = receivers.find((x) => x.name === d.receiver);
    if (!r) continue;
    const g = groupingOf(r, d);
    const idempotencyKey = randomUUID();
    const body = renderBody([e], r, { idempotencyKey, links: opts.links });
    if (body === null) continue;
    const grouped = isGrouped(g);
    out.push({
      receiver: r.name,
      idempotencyKey,
      body: JSON.stringify(body),
      groupKey: grouped ? groupKeyOf(g, e.labels) : "",
      groupWaitMs: grouped ? g.groupWaitMs : 0,
      groupIntervalMs: grouped ? g.groupIntervalMs : 0,
      muted: opts.muted,
    });
  }
  return out;
}

/** Ungrouped deliveries to the named receivers (or all): the digest, the rules' `receivers`. */
export function deliveriesFor(
  e: StoredEvent,
  receivers: readonly ReceiverConfig[],
  wanted: readonly string[] | undefined,
  links?: Links,
): OutboxDraft[] {
  const dests = receivers
    .filter((r) => !wanted || wanted.includes(r.name))
    .map((r) => ({ receiver: r.name, groupBy: ["..."], groupWaitMs: 0, groupIntervalMs: 0 }));
  return deliveriesTo(e, receivers, dests, { links });
}
