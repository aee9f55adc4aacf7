/**
 * The alert worker as an on-call team plugs it in, in-process against a real GraphQL server
 * (recorded observations), one real HTTP server standing in for PagerDuty (/pd), Slack
 * (/slack), an Alertmanager (/am/api/v2/alerts) and a generic webhook (/hook), and the store
 * on real PGlite. Eight alerts fire at once (four markets × two rules):
 *
 * - critical ones page PagerDuty, warnings do not (routing by severity);
 * - the webhook gets every alert, with Standard Webhooks signatures from two rotating secrets
 *   (the receiver knows only the new one);
 * - Slack and the Alertmanager get a grouped notification per rule, not one per alert;
 * - a silence on SOL mutes SOL everywhere, fire and resolve (recorded as silenced);
 * - a firing indexer-lagging mutes the risk rules on its exchange (inhibited);
 * - resolves go wherever the firing went.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAlertsConfig } from "../../alerts/config/alertsConfig.js";
import { parseMatcher } from "../../alerts/routing/matchers.js";
import { type AlertsService, createAlertsService } from "../../alerts/service/alertsService.js";
import { alertsStatus } from "../../alerts/service/alertsStatus.js";
import { addSilence } from "../../alerts/store/silenceStore.js";
import { type FakeApi, startFakeApi } from "./support/fakeApi.js";
import { captureLogger } from "./support/logs.js";
import { observation, withMarket } from "./support/observations.js";
import {
  type ReceivedDelivery,
  startTestReceiver,
  type TestReceiver,
} from "./support/testReceiver.js";

let api: FakeApi;
let rx: TestReceiver;
/** PagerDuty, Slack and the Alertmanager: they do not verify Standard Webhooks signatures. */
let stubs: TestReceiver;
let service: AlertsService;
let logs: ReturnType<typeof captureLogger>;
const dir = mkdtempSync(join(tmpdir(), "perpwatch-oncall-"));
const PD_KEY = "R0UTINGKEYSECRET0000000000000000";

beforeAll(async () => {
  api = await startFakeApi(observation(100));
  rx = await startTestReceiver({ secret: "new-secret" });
  stubs = await startTestReceiver();
  logs = captureLogger();
  const config = loadAlertsConfig({
    env: { PD_KEY, OPS_OLD: "old-secret", OPS_NEW: "new-secret" },
    overrides: {
      api: { url: api.graphqlUrl, pollInterval: "50ms" },
      chain: { rpcUrl: api.rpcUrl },
      store: { kind: "pglite", directory: dir },
      receivers: {
        pager: { type: "pagerduty", url: `${stubs.url}/pd`, routingKey: "env:PD_KEY" },
        chat: { type: "slack", url: `${stubs.url}/slack` },
        am: { type: "alertmanager", url: `${stubs.url}/am` },
        ops: { type: "webhook", url: `${rx.url}/hook`, secrets: ["env:OPS_OLD", "env:OPS_NEW"] },
      },
      route: {
        receiver: "ops",
        group_by: ["..."],
        routes: [
          { matchers: ['severity="critical"'], receiver: "pager", continue: true },
          {
            receiver: ["chat", "am"],
            group_by: ["alertname"],
            group_wait: "300ms",
            group_interval: "1s",
            continue: true,
          },
          { receiver: "ops" },
        ],
      },
      delivery: { initialBackoff: "100ms", maxBackoff: "500ms" },
      digest: { enabled: false },
      rules: [
        {
          name: "skew-warn",
          kind: "skew_extreme",
          severity: "warning",
          threshold: 0.5,
          cooldown: "0s",
          labels: { team: "risk" },
        },
        {
          name: "skew-crit",
          kind: "skew_extreme",
          severity: "critical",
          threshold: 0.8,
          cooldown: "0s",
          labels: { team: "risk" },
        },
        {
          name: "indexer-lagging",
          kind: "indexer_lag",
          severity: "warning",
          threshold: 10,
          cooldown: "0s",
          labels: { team: "infra" },
        },
      ],
    },
  });
  service = createAlertsService(config, { logger: logs.logger });
  await service.start();
});

afterAll(async () => {
  await service?.stop();
  await api?.close();
  await rx?.close();
  await stubs?.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (path: string) => [...rx.accepted(), ...stubs.accepted()].filter((r) => r.path === path);
const pdEvents = () =>
  at("/pd").map((r) => {
    const b = r.body as { event_action: string; payload?: { summary: string; severity: string } };
    return `${b.event_action} ${b.payload?.severity ?? ""}`.trim();
  });
const hookAlerts = (status: string) =>
  at("/hook")
    .map((r) => r.body as { status: string; labels: Record<string, string> })
    .filter((b) => b.status === status)
    .map((b) => `${b.labels.alertname} ${b.labels.market ?? ""}`.trim())
    .sort();
const groupSizes = (path: string) =>
  at(path).map((r: ReceivedDelivery) =>
    Array.isArray(r.body) ? r.body.length : (r.body as { text: string }).text,
  );

describe("on-call integration", () => {
  it("routes by severity, signs with rotating secrets, groups, honours a silence and inhibition", async () => {
    await expect.poll(() => service.blockFeedVia).toBe("sse");
    const now = Date.now();
    await addSilence(
      service.store!,
      {
        matchers: [parseMatcher('market="SOL"')],
        startsAtMs: now - 1000,
        endsAtMs: now + 3_600_000,
        createdBy: "ana@example.com",
        comment: "SOL market maintenance",
      },
      now,
    );
    // Four markets at once: skew-warn and skew-crit on each (eight alerts).
    let obs = observation(101);
    for (const m of ["ETH", "BTC", "SOL", "DOGE"]) obs = withMarket(obs, m, { skewRatio: 0.9 });
    api.publish(obs);
    await rx.waitFor(() => at("/hook").length >= 6);
    await stubs.waitFor(
      () =>
        at("/pd").length >= 3 && at("/slack").length >= 2 && at("/am/api/v2/alerts").length >= 2,
    );

    // PagerDuty: the three critical alerts not silenced, nothing else.
    expect(pdEvents()).toEqual(["trigger critical", "trigger critical", "trigger critical"]);
    expect(at("/pd").every((r) => (r.body as { routing_key: string }).routing_key === PD_KEY)).toBe(
      true,
    );
    // The webhook: every alert but SOL's, each signed (two signatures, the new one verifies).
    expect(hookAlerts("firing")).toEqual([
      "skew-crit BTC",
      "skew-crit DOGE",
      "skew-crit ETH",
      "skew-warn BTC",
      "skew-warn DOGE",
      "skew-warn ETH",
    ]);
    for (const r of at("/hook")) {
      expect(r.signature).toBe("ok");
      expect(r.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
      expect(r.headers["webhook-id"]).toBe(r.headers["idempotency-key"]);
    }
    // Slack and Alertmanager: one notification per rule, three alerts each.
    expect(groupSizes("/slack").sort()).toEqual(["[FIRING:3] skew-crit", "[FIRING:3] skew-warn"]);
    expect(groupSizes("/am/api/v2/alerts")).toEqual([3, 3]);

    // The indexer lags: its alert fires, and WIF's risk alerts (same exchange) are inhibited.
    let lagging = withMarket(observation(102), "WIF", { skewRatio: 0.9 });
    for (const m of ["ETH", "BTC", "SOL", "DOGE"])
      lagging = withMarket(lagging, m, { skewRatio: 0.9 });
    lagging = { ...lagging, indexing: { ...lagging.indexing!, lagBlocks: 50 } };
    api.publish(lagging);
    await rx.waitFor(() => hookAlerts("firing").includes("indexer-lagging"));
    await expect
      .poll(async () => (await service.store!.outboxCounts()).inhibited ?? 0)
      .toBeGreaterThanOrEqual(4);

    // Calm: the resolves go where the firings went; SOL's and WIF's stay muted.
    api.publish(observation(103));
    await stubs.waitFor(() => pdEvents().filter((e) => e === "resolve").length >= 3);
    await rx.waitFor(() => hookAlerts("resolved").length >= 7);
    expect(hookAlerts("resolved")).toEqual([
      "indexer-lagging",
      "skew-crit BTC",
      "skew-crit DOGE",
      "skew-crit ETH",
      "skew-warn BTC",
      "skew-warn DOGE",
      "skew-warn ETH",
    ]);
    const all = [...rx.received, ...stubs.received].map((r) => r.raw);
    expect(all.some((raw) => raw.includes('"SOL"') || raw.includes('"WIF"'))).toBe(false);
    const counts = await service.store!.outboxCounts();
    // SOL: 2 rules × (ops, chat, am) + pager for skew-crit = 7 muted firings, and their 7 resolves.
    expect(counts.silenced).toBe(14);
    expect(counts.inhibited).toBe(14);
    const status = await alertsStatus(service);
    expect(status?.silences).toEqual([
      expect.objectContaining({ matchers: ['market="SOL"'], createdBy: "ana@example.com" }),
    ]);
    // No secret reached the logs.
    const logged = JSON.stringify(logs.lines);
    for (const s of [PD_KEY, "old-secret", "new-secret"]) expect(logged).not.toContain(s);
  });
});
