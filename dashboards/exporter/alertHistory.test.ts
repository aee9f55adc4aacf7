import { describe, expect, it } from "vitest";
import {
  type AlertEvent,
  type AlertTransition,
  alertEventOf,
  alertEventSchema,
  createAlertHistoryFeed,
} from "./alertHistory.js";

const firing: AlertTransition = {
  kind: "firing",
  fingerprint: "fp-1",
  rule: "insurance-coverage-low",
  labels: { severity: "critical", market: "ETH" },
  annotations: { summary: "Insurance fund covers 0.05 of the worst stress bad debt" },
  startsAtMs: 1_700_000_000_000,
  endsAtMs: null,
};

describe("alertEventOf", () => {
  it("maps a firing or resolved transition to a history event the schema accepts", () => {
    const event = alertEventOf(firing);
    expect(event).toEqual({
      fingerprint: "fp-1",
      rule: "insurance-coverage-low",
      severity: "critical",
      status: "firing",
      startsAt: 1_700_000_000_000,
      endsAt: null,
      summary: "Insurance fund covers 0.05 of the worst stress bad debt",
      labels: { severity: "critical", market: "ETH" },
    });
    expect(alertEventSchema.safeParse(event).success).toBe(true);
    const resolved = alertEventOf({ ...firing, kind: "resolved", endsAtMs: 1_700_000_060_000 });
    expect([resolved?.status, resolved?.endsAt]).toEqual(["resolved", 1_700_000_060_000]);
  });

  it("defaults the severity to warning and the summary to empty", () => {
    const event = alertEventOf({ ...firing, labels: {}, annotations: {} });
    expect([event?.severity, event?.summary]).toEqual(["warning", ""]);
  });

  it("keeps no retraction and no digest", () => {
    expect(alertEventOf({ ...firing, kind: "retracted" })).toBeNull();
    expect(alertEventOf({ ...firing, kind: "digest" })).toBeNull();
  });
});

describe("createAlertHistoryFeed", () => {
  it("records each transition, and a delivery beside the last transition of its alert", () => {
    const recorded: AlertEvent[][] = [];
    const feed = createAlertHistoryFeed((events) => recorded.push(events));

    // A delivery of an alert it has seen no transition of: nothing to attach it to.
    feed.onDelivered({ id: 1, fingerprint: "fp-1", receiver: "ops", attempts: 1 }, 5);
    feed.onAlertEvent({ ...firing, kind: "digest" });
    expect(recorded).toEqual([]);

    feed.onAlertEvent(firing);
    feed.onDelivered(
      { id: 7, fingerprint: "fp-1", receiver: "ops", attempts: 3 },
      1_700_000_001_000,
    );
    feed.onAlertEvent({ ...firing, kind: "resolved", endsAtMs: 1_700_000_060_000 });
    feed.onDelivered(
      { id: 8, fingerprint: "fp-1", receiver: "pager", attempts: 0 },
      1_700_000_061_000,
    );

    expect(recorded.map((r) => r.length)).toEqual([1, 1, 1, 1]);
    const [first, delivered, resolved, deliveredResolved] = recorded.map((r) => r[0]!);
    expect(first).toEqual(alertEventOf(firing));
    expect(delivered).toEqual({
      ...first,
      deliveries: [
        { id: "7", attempt: 3, channel: "ops", at: 1_700_000_001_000, outcome: "delivered" },
      ],
    });
    expect(resolved?.status).toBe("resolved");
    // The delivery of the resolved notification is recorded with the resolved episode; an
    // acknowledged row that counted no attempt is the first one.
    expect(deliveredResolved).toMatchObject({
      status: "resolved",
      endsAt: 1_700_000_060_000,
      deliveries: [{ id: "8", attempt: 1, channel: "pager", outcome: "delivered" }],
    });
    for (const r of recorded) expect(alertEventSchema.safeParse(r[0]).success).toBe(true);
  });
});
