/**
 * The daily digest: what fired in the last 24 hours and what is firing now, as one event
 * (kind "digest") to the digest receivers. It has no lifecycle and no fingerprint of its own
 * beyond "digest"; PagerDuty receivers never get it (a digest is not an incident).
 */
import type { AlertRecord } from "../state/alertState.js";
import type { DigestDraft, StoredEvent } from "../store/alertStore.js";

export function digestDraft(
  nowMs: number,
  periodMs: number,
  events: readonly StoredEvent[],
  alerts: readonly AlertRecord[],
  /** Name each alert's exchange (the worker watches several). */
  showExchange = false,
): DigestDraft {
  const fired = events.filter((e) => e.kind === "firing");
  const byRule = new Map<string, number>();
  for (const e of fired) byRule.set(e.rule, (byRule.get(e.rule) ?? 0) + 1);
  const firing = alerts.filter((a) => a.state === "firing");
  const hours = Math.round(periodMs / 3_600_000);
  const top = [...byRule.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([rule, n]) => `${rule} ×${n}`)
    .join(", ");
  const now = firing
    .map(
      (a) =>
        `${showExchange && a.labels.exchange ? `[${a.labels.exchange}] ` : ""}${a.rule}${a.labels.market ? ` ${a.labels.market}` : ""}${a.labels.account ? ` account ${a.labels.account}` : ""}`,
    )
    .join(", ");
  return {
    kind: "digest",
    fingerprint: "digest",
    rule: "digest",
    labels: { alertname: "daily-digest", severity: "info" },
    annotations: {
      summary: `Perpwatch digest: ${fired.length} alerts fired in the last ${hours} h, ${firing.length} firing now`,
      fired: top === "" ? "none" : top,
      firingNow: now === "" ? "none" : now,
      resolved: String(events.filter((e) => e.kind === "resolved").length),
      retracted: String(events.filter((e) => e.kind === "retracted").length),
    },
    value: fired.length,
    threshold: null,
    startsAtMs: nowMs - periodMs,
    endsAtMs: nowMs,
    block: null,
  };
}
