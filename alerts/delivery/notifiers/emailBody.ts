/**
 * An alert email: a subject that says the status, severity and alert in one line (what an
 * inbox list shows), and a plain-text body with every alert of the group: summary, value
 * against threshold, labels, and links to the dashboard and the GraphQL evidence.
 *
 * Plain text only: nothing a label holds can become markup or a link in a mail client. The
 * subject is one line (no header injection) cut at 200 characters; the body at 100,000.
 */
import type { StoredEvent } from "../../store/alertStore.js";
import { DEFAULT_LINKS, evidenceUrl, generatorUrl, type Links } from "./links.js";
import { humanNumber, truncate } from "./text.js";
import { statusOf } from "./webhookBody.js";

export interface EmailBody {
  subject: string;
  text: string;
}

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ");

function section(e: StoredEvent, links: Links): string {
  const status = e.kind === "retracted" ? "RETRACTED" : statusOf(e).toUpperCase();
  const name = e.labels.alertname ?? e.rule;
  const lines = [
    `[${status}] ${name} (${e.labels.severity ?? "info"})`,
    e.annotations.retracted ?? e.annotations.summary ?? name,
  ];
  if (e.value !== null && e.kind !== "digest") {
    lines.push(`value ${humanNumber(e.value)} (threshold ${humanNumber(e.threshold)})`);
  }
  const at = e.kind === "firing" ? e.startsAtMs : (e.endsAtMs ?? e.createdAtMs);
  lines.push(`${status === "FIRING" ? "since" : "at"} ${new Date(at).toISOString()}`);
  if (e.block) lines.push(`block ${e.block.number}`);
  lines.push(...Object.entries(e.labels).map(([k, v]) => `  ${k}: ${v}`));
  if (e.annotations.description) lines.push(e.annotations.description);
  lines.push(`dashboard: ${generatorUrl(e, links)}`);
  const evidence = evidenceUrl(e, links);
  if (evidence) lines.push(`evidence (GraphQL): ${evidence}`);
  lines.push(`fingerprint: ${e.fingerprint}`);
  return lines.join("\n");
}

export function emailBody(events: readonly StoredEvent[], links: Links = DEFAULT_LINKS): EmailBody {
  const firing = events.filter((e) => e.kind === "firing");
  const first = events[0]!;
  const name = first.labels.alertname ?? first.rule;
  const head =
    firing.length > 0
      ? `FIRING${events.length > 1 ? `:${firing.length}` : ""} ${firing[0]!.labels.severity ?? "info"}`
      : "RESOLVED";
  const scope =
    first.labels.market ?? (first.labels.account ? `account ${first.labels.account}` : "");
  const what = first.annotations.summary ?? scope;
  const subject = truncate(
    oneLine(
      `[perpwatch] ${head} ${name}${events.length > 1 ? ` (${events.length} alerts)` : ""}: ${what}`,
    ),
    200,
  );
  const text = truncate(events.map((e) => section(e, links)).join("\n\n---\n\n"), 100_000);
  return { subject, text: `${text}\n` };
}
