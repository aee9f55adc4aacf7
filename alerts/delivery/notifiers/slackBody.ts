/**
 * A Slack incoming-webhook message: one line of plain `text` (what notifications and
 * screen readers show) and Block Kit sections with the labels and the annotations.
 */
import type { StoredEvent } from "../../store/alertStore.js";

const ICON: Record<string, string> = {
  critical: ":rotating_light:",
  warning: ":warning:",
  info: ":information_source:",
};

function headline(e: StoredEvent): string {
  const sev = e.labels.severity ?? "info";
  const name = e.labels.alertname ?? e.rule;
  const summary = e.annotations.summary ?? name;
  switch (e.kind) {
    case "firing":
      return `${ICON[sev] ?? ""} [FIRING · ${sev}] ${name}: ${summary}`;
    case "resolved":
      return `:white_check_mark: [RESOLVED] ${name}: ${summary}`;
    case "retracted":
      return `:leftwards_arrow_with_hook: [RETRACTED] ${name}: ${e.annotations.retracted ?? "raised on a block that was reorged away"}`;
    case "digest":
      return `:newspaper: ${summary}`;
  }
}

export function slackBody(e: StoredEvent): unknown {
  const text = headline(e).trim();
  const labelLine = Object.entries(e.labels)
    .map(([k, v]) => `\`${k}=${v}\``)
    .join(" ");
  const notes = Object.entries(e.annotations)
    .filter(([k]) => k !== "summary")
    .map(([k, v]) => `*${k}*: ${v}`)
    .join("\n");
  const blocks: unknown[] = [{ type: "section", text: { type: "mrkdwn", text } }];
  if (notes !== "") blocks.push({ type: "section", text: { type: "mrkdwn", text: notes } });
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `${labelLine} · fingerprint ${e.fingerprint}` }],
  });
  return { text, blocks };
}
