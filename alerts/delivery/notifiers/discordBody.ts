/**
 * A Discord webhook message (`POST https://discord.com/api/webhooks/<id>/<token>`): a short
 * `content` line and one embed per alert (title, description, colour by severity, fields).
 *
 * Discord's limits are kept (content 2,000; embed title 256, description 4,096, field value
 * 1,024; at most 10 embeds and 6,000 characters of embeds per message) so no message is
 * refused, and `allowed_mentions: { parse: [] }` so no label can ping @everyone or a role.
 */
import type { StoredEvent } from "../../store/alertStore.js";
import { DEFAULT_LINKS, generatorUrl, type Links } from "./links.js";
import { discordEscape, humanNumber, truncate } from "./text.js";
import { statusOf } from "./webhookBody.js";

const COLOUR: Record<string, number> = { critical: 0xd32f2f, warning: 0xf9a825, info: 0x1976d2 };
const RESOLVED = 0x2e7d32;
const MAX_EMBEDS = 10;

function embed(e: StoredEvent, links: Links) {
  const status = e.kind === "retracted" ? "RETRACTED" : statusOf(e).toUpperCase();
  const name = e.labels.alertname ?? e.rule;
  const fields = Object.entries(e.labels)
    .slice(0, 20)
    .map(([k, v]) => ({
      name: truncate(discordEscape(k), 256),
      value: truncate(discordEscape(v), 1024),
      inline: true,
    }));
  if (e.value !== null && e.kind !== "digest") {
    fields.push({
      name: "value",
      value: `${humanNumber(e.value)} (threshold ${humanNumber(e.threshold)})`,
      inline: true,
    });
  }
  return {
    title: truncate(`[${status}] ${discordEscape(name)}`, 256),
    description: truncate(
      discordEscape(e.annotations.retracted ?? e.annotations.summary ?? name),
      1000,
    ),
    url: generatorUrl(e, links),
    color:
      statusOf(e) === "resolved" ? RESOLVED : (COLOUR[e.labels.severity ?? "info"] ?? COLOUR.info),
    fields,
    timestamp: new Date(
      e.kind === "firing" ? e.startsAtMs : (e.endsAtMs ?? e.createdAtMs),
    ).toISOString(),
    footer: { text: `fingerprint ${e.fingerprint}` },
  };
}

export function discordBody(events: readonly StoredEvent[], links: Links = DEFAULT_LINKS): unknown {
  const firing = events.filter((e) => e.kind === "firing").length;
  const name = events[0]?.labels.alertname ?? events[0]?.rule ?? "alerts";
  const more = events.length - MAX_EMBEDS;
  const content = truncate(
    `${firing > 0 ? `FIRING:${firing}` : "RESOLVED"} ${discordEscape(name)}${events.length > 1 ? ` (${events.length} alerts)` : ""}${more > 0 ? `, ${more} not shown` : ""}`,
    2000,
  );
  return {
    content,
    embeds: events.slice(0, MAX_EMBEDS).map((e) => embed(e, links)),
    allowed_mentions: { parse: [] },
  };
}
