import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../store/alertStore.js";
import { emailBody } from "./emailBody.js";

const event = (over: Partial<StoredEvent> = {}): StoredEvent => ({
  id: 1,
  kind: "firing",
  fingerprint: "fp",
  rule: "skew",
  labels: { alertname: "skew", severity: "warning", market: "ETH" },
  annotations: { summary: "ETH skew 60%" },
  value: 0.6,
  threshold: 0.5,
  startsAtMs: 0,
  endsAtMs: null,
  block: null,
  createdAtMs: 0,
  ...over,
});

describe("emailBody", () => {
  it("keeps the subject on one line (no header injection) and within 200 characters", () => {
    const b = emailBody([
      event({ annotations: { summary: `ETH\r\nBcc: everyone@example.com ${"x".repeat(400)}` } }),
    ]);
    expect(b.subject).not.toMatch(/[\r\n]/);
    expect(b.subject.length).toBeLessThanOrEqual(200);
    expect(b.subject.endsWith("… (truncated)")).toBe(true);
  });

  it("says how many alerts a group holds and lists each, never null or ∞", () => {
    const b = emailBody([
      event(),
      event({
        fingerprint: "fp2",
        labels: { alertname: "skew", severity: "warning", market: "BTC" },
        value: Number.POSITIVE_INFINITY,
      }),
      event({ kind: "resolved", fingerprint: "fp3", endsAtMs: 5000 }),
    ]);
    expect(b.subject).toBe("[perpwatch] FIRING:2 warning skew (3 alerts): ETH skew 60%");
    expect(b.text.split("\n---\n")).toHaveLength(3);
    expect(b.text).toContain("value unbounded (threshold 0.5)");
    expect(b.text).toContain("[RESOLVED] skew");
    expect(b.text).not.toMatch(/null|Infinity|∞/);
  });
});
