/**
 * A Slack incoming-webhook message: one line of plain `text` (what notifications and
 * screen readers show) and Block Kit sections with the annotations and labels, for one alert
 * or a group of them.
 *
 * Slack's rules, so that no message is refused (a 400 is final: the page would be lost) and
 * no label can notify a channel: every piece of alert text is escaped (`&`, `<`, `>`, so a
 * label `<!channel>` reads as text), every section stays within 3,000 characters and every
 * context element within 2,000 (cut visibly with "… (truncated)"), at most 50 blocks (a large
 * group says how many alerts it leaves out).
 */
import type { StoredEvent } from "../../store/alertStore.js";
import { humanNumber, slackEscape, truncate } from "./text.js";

export const SECTION_MAX = 3000;
const CONTEXT_MAX = 2000;
const TEXT_MAX = 3000;
/** Blocks per message are capped at 50; each alert takes up to 3. */
const MAX_ALERTS = 15;

const ICON: Record<string, string> = {
  critical: ":rotating_light:",
  warning: ":warning:",
  info: ":information_source:",
};

function headline(e: StoredEvent): string {
  const sev = slackEscape(e.labels.severity ?? "info");
  const name = slackEscape(e.labels.alertname ?? e.rule);
  const summary = slackEscape(e.annotations.summary ?? e.labels.alertname ?? e.rule);
  switch (e.kind) {
    case "firing":
      return `${ICON[e.labels.severity ?? "info"] ?? ""} [FIRING · ${sev}] ${name}: ${summary}`;
    case "resolved":
      return `:white_check_mark: [RESOLVED] ${name}: ${summary}`;
    case "retracted":
      return `:leftwards_arrow_with_hook: [RETRACTED] ${name}: ${slackEscape(e.annotations.retracted ?? "raised on a block that was reorged away")}`;
    case "digest":
      return `:newspaper: ${summary}`;
  }
}

const section = (text: string) => ({
  type: "section",
  text: { type: "mrkdwn", text: truncate(text, SECTION_MAX) },
});

function alertBlocks(e: StoredEvent, withHeadline: boolean): unknown[] {
  const blocks: unknown[] = [];
  if (withHeadline) blocks.push(section(headline(e).trim()));
  const notes = Object.entries(e.annotations)
    .filter(([k]) => k !== "summary")
    .map(([k, v]) => `*${slackEscape(k)}*: ${slackEscape(v)}`);
  if (e.kind !== "digest" && e.value !== null) {
    notes.push(`*value*: ${humanNumber(e.value)} (threshold ${humanNumber(e.threshold)})`);
  }
  if (notes.length > 0) blocks.push(section(notes.join("\n")));
  const labelLine = Object.entries(e.labels)
    .map(([k, v]) => `\`${slackEscape(k)}=${slackEscape(v)}\``)
    .join(" ");
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: truncate(`${labelLine} · fingerprint ${e.fingerprint}`, CONTEXT_MAX),
      },
    ],
  });
  return blocks;
}

export function slackBody(events: StoredEvent | readonly StoredEvent[]): unknown {
  const list = Array.isArray(events) ? events : [events as StoredEvent];
  if (list.length === 1) {
    const e = list[0]!;
    const text = truncate(headline(e).trim(), TEXT_MAX);
    return { text, blocks: alertBlocks(e, true) };
  }
  const firing = list.filter((e) => e.kind === "firing").length;
  const name = slackEscape(list[0]?.labels.alertname ?? list[0]?.rule ?? "alerts");
  const text = truncate(
    `[${firing > 0 ? `FIRING:${firing}` : "RESOLVED"}] ${name}${list.length > firing && firing > 0 ? ` (${list.length - firing} resolved)` : ""}`,
    TEXT_MAX,
  );
  const blocks: unknown[] = [section(`*${text}*`)];
  for (const e of list.slice(0, MAX_ALERTS)) {
    blocks.push(section(headline(e).trim()), ...alertBlocks(e, false).slice(-1));
  }
  if (list.length > MAX_ALERTS) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `… and ${list.length - MAX_ALERTS} more alerts` }],
    });
  }
  return { text, blocks };
}
