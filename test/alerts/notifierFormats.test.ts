/**
 * What each channel is sent, checked against its specification's limits and rules: Slack
 * (escaping of & < >, section ≤ 3,000 and context ≤ 2,000 characters, visible truncation),
 * PagerDuty (summary ≤ 1,024, cut on a character boundary), Alertmanager's webhook payload
 * (status firing|resolved, a groupKey per alert, generatorURL and externalURL), Alertmanager's
 * API v2 body, Discord (no mentions, limits) and Telegram (HTML escaping, 4,096).
 */
import { describe, expect, it } from "vitest";
import { alertmanagerBody } from "../../alerts/delivery/notifiers/alertmanagerBody.js";
import { discordBody } from "../../alerts/delivery/notifiers/discordBody.js";
import { pagerdutyBody } from "../../alerts/delivery/notifiers/pagerdutyBody.js";
import { slackBody } from "../../alerts/delivery/notifiers/slackBody.js";
import { telegramBody } from "../../alerts/delivery/notifiers/telegramBody.js";
import { humanNumber, TRUNCATED, truncate } from "../../alerts/delivery/notifiers/text.js";
import { webhookBody } from "../../alerts/delivery/notifiers/webhookBody.js";
import { formatValue, usd } from "../../alerts/evaluate/format.js";
import type { StoredEvent } from "../../alerts/store/alertStore.js";

const links = { grafanaUrl: "https://grafana.example.com" };

const event = (over: Partial<StoredEvent> = {}): StoredEvent => ({
  id: 7,
  kind: "firing",
  fingerprint: "00aa11bb22cc33dd",
  rule: "skew-extreme",
  labels: { alertname: "skew-extreme", severity: "warning", exchange: "ref", market: "ETH" },
  annotations: { summary: "ETH skew 70%" },
  value: 0.7,
  threshold: 0.5,
  startsAtMs: Date.UTC(2026, 0, 1),
  endsAtMs: null,
  block: { number: 10n, hash: "0xa", timestamp: 0 },
  createdAtMs: Date.UTC(2026, 0, 1),
  ...over,
});

type SlackMsg = {
  text: string;
  blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
};
const texts = (m: SlackMsg) =>
  m.blocks.flatMap((b) => [b.text?.text ?? "", ...(b.elements ?? []).map((e) => e.text)]);

describe("text limits", () => {
  it("truncate never exceeds the limit, never splits an emoji, and says it cut", () => {
    const s = `${"a".repeat(1010)}${"🚨".repeat(20)}`;
    const t = truncate(s, 1024);
    expect(t.length).toBeLessThanOrEqual(1024);
    expect(t.endsWith(TRUNCATED)).toBe(true);
    expect(t).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(truncate("short", 1024)).toBe("short");
  });

  it("numbers for people: no null, no ∞", () => {
    expect(
      [null, Number.POSITIVE_INFINITY, Number.NaN, 0.123456, 12345.6].map(humanNumber),
    ).toEqual(["n/a", "unbounded", "n/a", "0.1235", "12346"]);
    // Annotations: an account at zero equity has an unbounded margin ratio, not "∞".
    expect(formatValue(Number.POSITIVE_INFINITY, "ratio")).toBe("unbounded");
    expect(usd(Number.NEGATIVE_INFINITY)).toBe("-unbounded");
  });
});

describe("Slack", () => {
  it("escapes &, <, > everywhere, so <!channel> in a label notifies nobody", () => {
    const m = slackBody(
      event({
        labels: { alertname: "skew", severity: "warning", team: "<!channel>" },
        annotations: { summary: "a < b & c > d", runbook: "<https://evil|click>" },
      }),
    ) as SlackMsg;
    const all = [m.text, ...texts(m)].join("\n");
    expect(all).not.toContain("<!channel>");
    expect(all).toContain("&lt;!channel&gt;");
    expect(m.text).toContain("a &lt; b &amp; c &gt; d");
    expect(all).not.toMatch(/<https:/);
  });

  it("keeps every section within 3,000 characters and says it truncated", () => {
    const m = slackBody(
      event({ annotations: { summary: "x".repeat(5000), details: "y".repeat(5000) } }),
    ) as SlackMsg;
    for (const t of texts(m)) expect(t.length).toBeLessThanOrEqual(3000);
    expect(texts(m).filter((t) => t.endsWith(TRUNCATED))).toHaveLength(2);
    expect(m.text.length).toBeLessThanOrEqual(3000);
  });

  it("a group of 70 alerts is one message within 50 blocks that says how many it left out", () => {
    const group = Array.from({ length: 70 }, (_, i) =>
      event({ fingerprint: `f${i}`, labels: { alertname: "skew", market: `M${i}` } }),
    );
    const m = slackBody(group) as SlackMsg;
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    expect(m.text).toBe("[FIRING:70] skew");
    expect(JSON.stringify(m.blocks.at(-1))).toContain("… and 55 more alerts");
  });
});

describe("PagerDuty Events v2", () => {
  it("summary within 1,024 characters on a character boundary; severity and links as specified", () => {
    const body = pagerdutyBody(
      event({ annotations: { summary: `${"é".repeat(1020)}🚨🚨🚨` } }),
      "KEY",
      "perpwatch",
      links,
    ) as { payload: { summary: string; severity: string }; links: { href: string }[] };
    expect(body.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(body.payload.summary.endsWith(TRUNCATED)).toBe(true);
    expect(["critical", "error", "warning", "info"]).toContain(body.payload.severity);
    expect(body.links[0]!.href).toBe(
      "https://grafana.example.com/d/perpwatch-market-risk?var-exchange=ref&var-market=ETH",
    );
  });
});

describe("Alertmanager webhook payload", () => {
  it("one groupKey per alert (two markets of one rule differ), generatorURL and externalURL set", () => {
    const eth = webhookBody(event(), "ops", "k1", { links }) as Record<string, string>;
    const btc = webhookBody(
      event({ fingerprint: "ff", labels: { ...event().labels, market: "BTC" } }),
      "ops",
      "k2",
      { links },
    ) as Record<string, string>;
    expect(eth.groupKey).not.toBe(btc.groupKey);
    expect(eth.externalURL).toBe("https://grafana.example.com");
    expect(
      (eth as unknown as { alerts: { generatorURL: string }[] }).alerts[0]!.generatorURL,
    ).toMatch(/^https:\/\/grafana\.example\.com\/d\//);
  });

  it("status is firing or resolved only; the digest is an informational alert", () => {
    const digest = webhookBody(
      event({ kind: "digest", fingerprint: "digest", labels: { alertname: "daily-digest" } }),
      "ops",
      "k",
    ) as { status: string; perpwatch: { event: string } };
    expect(digest.status).toBe("firing");
    expect(digest.perpwatch.event).toBe("digest");
    const resolved = webhookBody(event({ kind: "resolved", endsAtMs: 5000 }), "ops", "k") as {
      status: string;
    };
    expect(resolved.status).toBe("resolved");
  });

  it("a group carries every alert, its group labels and what they have in common", () => {
    const g = webhookBody(
      [event(), event({ fingerprint: "ff", labels: { ...event().labels, market: "BTC" } })],
      "ops",
      "k",
      {
        groupKey: '{}:{alertname="skew-extreme"}',
        groupLabels: { alertname: "skew-extreme" },
        links,
      },
    ) as Record<string, unknown>;
    expect(g).toMatchObject({
      version: "4",
      status: "firing",
      groupKey: '{}:{alertname="skew-extreme"}',
      groupLabels: { alertname: "skew-extreme" },
      commonLabels: { alertname: "skew-extreme", severity: "warning", exchange: "ref" },
      perpwatch: { event: "group", idempotencyKey: "k" },
    });
    expect((g.alerts as unknown[]).length).toBe(2);
  });
});

describe("Alertmanager API v2 (POST /api/v2/alerts)", () => {
  it("an array of postable alerts: firing without endsAt, resolved with it", () => {
    const body = alertmanagerBody(
      [event(), event({ kind: "resolved", endsAtMs: Date.UTC(2026, 0, 2) })],
      links,
    )!;
    expect(body).toEqual([
      {
        labels: event().labels,
        annotations: { summary: "ETH skew 70%" },
        startsAt: "2026-01-01T00:00:00.000Z",
        generatorURL:
          "https://grafana.example.com/d/perpwatch-market-risk?var-exchange=ref&var-market=ETH",
      },
      expect.objectContaining({ endsAt: "2026-01-02T00:00:00.000Z" }),
    ]);
    expect(alertmanagerBody([event({ kind: "digest" })])).toBeNull();
  });
});

describe("Discord and Telegram", () => {
  it("Discord: no mentions parsed, @everyone defused, within its limits", () => {
    const b = discordBody([
      event({ annotations: { summary: `@everyone ${"z".repeat(5000)}` } }),
    ]) as {
      content: string;
      allowed_mentions: { parse: string[] };
      embeds: { title: string; description: string }[];
    };
    expect(b.allowed_mentions).toEqual({ parse: [] });
    expect(b.embeds[0]!.description).not.toContain("@everyone");
    expect(b.embeds[0]!.description.length).toBeLessThanOrEqual(4096);
    expect(b.content.length).toBeLessThanOrEqual(2000);
  });

  it("Telegram: sendMessage with HTML escaped and at most 4,096 characters", () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      event({ fingerprint: `f${i}`, annotations: { summary: `<b>${"q".repeat(40)}</b> & more` } }),
    );
    const b = telegramBody(many, "-100123") as {
      chat_id: string;
      text: string;
      parse_mode: string;
    };
    expect(b).toMatchObject({ chat_id: "-100123", parse_mode: "HTML" });
    expect(b.text.length).toBeLessThanOrEqual(4096);
    expect(b.text).toContain("&lt;b&gt;");
    expect(b.text).toMatch(/… \(truncated: \d+ more\)$/);
  });
});
