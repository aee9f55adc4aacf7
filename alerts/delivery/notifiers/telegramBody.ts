/**
 * A Telegram Bot API `sendMessage` request (`POST <apiUrl>/bot<token>/sendMessage`):
 * `chat_id`, and `text` in Telegram's HTML parse mode, escaped (`&`, `<`, `>`) and within
 * the 4,096-character limit.
 */
import type { StoredEvent } from "../../store/alertStore.js";
import { htmlEscape, humanNumber, truncate } from "./text.js";

const TEXT_MAX = 4096;

function line(e: StoredEvent): string {
  const status =
    e.kind === "firing"
      ? `🔥 FIRING · ${e.labels.severity ?? "info"}`
      : e.kind === "digest"
        ? "📰"
        : e.kind === "retracted"
          ? "↩️ RETRACTED"
          : "✅ RESOLVED";
  const name = htmlEscape(e.labels.alertname ?? e.rule);
  const summary = htmlEscape(e.annotations.retracted ?? e.annotations.summary ?? "");
  const value =
    e.value !== null && e.kind !== "digest"
      ? ` (value ${humanNumber(e.value)}, threshold ${humanNumber(e.threshold)})`
      : "";
  const where = [e.labels.exchange, e.labels.market]
    .filter(Boolean)
    .map((v) => htmlEscape(v!))
    .join(" ");
  return `<b>${htmlEscape(status)}</b> ${name}${where ? ` [${where}]` : ""}: ${summary}${value}`;
}

export function telegramBody(events: readonly StoredEvent[], chatId: string): unknown {
  const lines = events.map(line);
  let text = lines.join("\n");
  // Cut whole lines where possible (a cut inside a tag would be refused).
  while (text.length > TEXT_MAX && lines.length > 1) {
    lines.pop();
    text = `${lines.join("\n")}\n… (truncated: ${events.length - lines.length} more)`;
  }
  if (text.length > TEXT_MAX)
    text = truncate(
      htmlEscape(events.map((e) => e.annotations.summary ?? e.rule).join("\n")),
      TEXT_MAX,
    );
  return { chat_id: chatId, text, parse_mode: "HTML", disable_web_page_preview: true };
}
