/**
 * Text limits and escaping shared by the notifiers: every channel refuses (often with a
 * final 4xx, so the page is lost) a field over its limit, and treats `<`, `>`, `&` as markup.
 *
 * `truncate` cuts to at most `max` UTF-16 code units (the strictest way channels count),
 * never inside a surrogate pair (no broken emoji), and says so visibly.
 */

export const TRUNCATED = "… (truncated)";

export function truncate(s: string, max: number, marker = TRUNCATED): string {
  if (s.length <= max) return s;
  if (max <= marker.length) return marker.slice(0, max);
  let cut = max - marker.length;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut -= 1;
  return s.slice(0, cut) + marker;
}

/** Slack's three control characters (https://api.slack.com/reference/surfaces/formatting). */
export function slackEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Telegram's HTML parse mode: the same three as entities. */
export const htmlEscape = slackEscape;

/**
 * Discord: mentions are neutralised by `allowed_mentions`, but markdown still renders; a
 * zero-width space after `@` keeps `@everyone` from even looking like one.
 */
export function discordEscape(s: string): string {
  return s.replace(/@/g, "@\u200b").replace(/([*_~`|>\\])/g, "\\$1");
}

/** A number for people: no `null`, no ∞ (those read "n/a" and "unbounded"). */
export function humanNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "n/a";
  if (!Number.isFinite(v)) return v > 0 ? "unbounded" : "-unbounded";
  return Math.abs(v) >= 1000 ? v.toFixed(0) : String(Number(v.toPrecision(4)));
}
