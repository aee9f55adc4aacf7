import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../store/alertStore.js";
import { pagerdutyBody } from "./pagerdutyBody.js";
import { slackBody } from "./slackBody.js";
import { webhookBody, ZERO_TIME } from "./webhookBody.js";

const event = (kind: StoredEvent["kind"], over: Partial<StoredEvent> = {}): StoredEvent => ({
  id: 42,
  kind,
  fingerprint: "0123456789abcdef",
  rule: "cascade-amplification",
  labels: {
    alertname: "cascade-amplification",
    severity: "critical",
    team: "risk",
    category: "cascade",
    market: "ETH",
  },
  annotations: {
    summary: "ETH: a -10.0% shock cascades to -18.0%",
    runbook: "https://runbooks/cascade",
  },
  value: 1.8,
  threshold: 1.25,
  startsAtMs: Date.UTC(2026, 0, 1, 0, 0, 5),
  endsAtMs: kind === "firing" ? null : Date.UTC(2026, 0, 1, 0, 3, 0),
  block: { number: 1234n, hash: "0xbeef", timestamp: 0 },
  createdAtMs: 0,
  ...over,
});

describe("generic webhook body", () => {
  it("has the fields Alertmanager and Grafana users know, for one alert", () => {
    const b = webhookBody(event("firing"), "ops", "key-1") as Record<string, unknown>;
    expect(b).toMatchObject({
      version: "4",
      receiver: "ops",
      status: "firing",
      fingerprint: "0123456789abcdef",
      labels: { alertname: "cascade-amplification", market: "ETH" },
      annotations: { summary: "ETH: a -10.0% shock cascades to -18.0%" },
      startsAt: "2026-01-01T00:00:05.000Z",
      endsAt: ZERO_TIME,
      groupLabels: { alertname: "cascade-amplification" },
      commonLabels: { severity: "critical" },
      perpwatch: {
        event: "firing",
        eventId: 42,
        idempotencyKey: "key-1",
        block: { number: "1234", hash: "0xbeef" },
      },
    });
    expect(b.alerts).toEqual([
      expect.objectContaining({
        status: "firing",
        fingerprint: "0123456789abcdef",
        endsAt: ZERO_TIME,
      }),
    ]);
  });

  it("resolves and retractions are status resolved with endsAt; a retraction says so", () => {
    const r = webhookBody(event("resolved"), "ops", "k") as Record<string, unknown>;
    expect(r).toMatchObject({
      status: "resolved",
      endsAt: "2026-01-01T00:03:00.000Z",
      perpwatch: { event: "resolved" },
    });
    const x = webhookBody(
      event("retracted", {
        annotations: { summary: "s", retracted: "block 1234 (0xbeef) was reorged away" },
      }),
      "ops",
      "k",
    ) as Record<string, unknown>;
    expect(x).toMatchObject({
      status: "resolved",
      perpwatch: { event: "retracted" },
      annotations: { retracted: "block 1234 (0xbeef) was reorged away" },
    });
  });
});

describe("Slack body", () => {
  it("is a text line and Block Kit sections", () => {
    const b = slackBody(event("firing")) as { text: string; blocks: { type: string }[] };
    expect(b.text).toBe(
      ":rotating_light: [FIRING · critical] cascade-amplification: ETH: a -10.0% shock cascades to -18.0%",
    );
    expect(b.blocks.map((x) => x.type)).toEqual(["section", "section", "context"]);
    expect(JSON.stringify(b.blocks[2])).toContain("`market=ETH`");
    expect((slackBody(event("resolved")) as { text: string }).text).toMatch(
      /^:white_check_mark: \[RESOLVED\]/,
    );
    expect(
      (slackBody(event("retracted", { annotations: { retracted: "reorged" } })) as { text: string })
        .text,
    ).toBe(":leftwards_arrow_with_hook: [RETRACTED] cascade-amplification: reorged");
  });
});

describe("PagerDuty Events v2 body", () => {
  it("triggers with dedup_key = fingerprint, and resolves with the same key", () => {
    expect(pagerdutyBody(event("firing"), "R0UTING", "perpwatch-devnet")).toEqual({
      routing_key: "R0UTING",
      event_action: "trigger",
      dedup_key: "0123456789abcdef",
      payload: {
        summary: "ETH: a -10.0% shock cascades to -18.0%",
        source: "perpwatch-devnet",
        severity: "critical",
        timestamp: "2026-01-01T00:00:05.000Z",
        component: "ETH",
        group: "cascade",
        class: "cascade-amplification",
        custom_details: expect.objectContaining({ value: 1.8, threshold: 1.25, block: "1234" }),
      },
      links: [
        { href: "http://127.0.0.1:3000/d/perpwatch-market-risk?var-market=ETH", text: "Grafana" },
      ],
    });
    for (const kind of ["resolved", "retracted"] as const) {
      expect(pagerdutyBody(event(kind), "R0UTING", "x")).toEqual({
        routing_key: "R0UTING",
        event_action: "resolve",
        dedup_key: "0123456789abcdef",
      });
    }
    expect(pagerdutyBody(event("digest"), "R", "x")).toBeNull();
  });
});

describe("the exchange in every payload", () => {
  it("is the label exchange, perpwatch.exchange, PagerDuty's custom_details.exchange", () => {
    const e = event("firing", {
      labels: { alertname: "skew", severity: "warning", exchange: "tw", market: "ETH" },
      annotations: { summary: "[tw] ETH: skew is 70.0% of the skew scale" },
    });
    expect(webhookBody(e, "ops", "k")).toMatchObject({
      labels: { exchange: "tw" },
      commonLabels: { exchange: "tw" },
      perpwatch: { exchange: "tw" },
    });
    const slack = slackBody(e) as { text: string; blocks: unknown[] };
    expect(slack.text).toBe(
      ":warning: [FIRING · warning] skew: [tw] ETH: skew is 70.0% of the skew scale",
    );
    expect(JSON.stringify(slack.blocks.at(-1))).toContain("`exchange=tw`");
    expect(pagerdutyBody(e, "R", "x")).toMatchObject({
      payload: {
        summary: "[tw] ETH: skew is 70.0% of the skew scale",
        custom_details: { exchange: "tw", labels: { exchange: "tw" } },
      },
    });
    // A digest is about no exchange.
    expect(webhookBody(event("digest"), "ops", "k")).not.toHaveProperty("perpwatch.exchange");
  });
});
