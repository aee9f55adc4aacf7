/**
 * The outbox dispatcher against a real HTTP receiver, with the outbox on real PGlite: the
 * three body formats arrive signed, failures are retried with the same idempotency key,
 * order is kept per fingerprint, refusals are dead-lettered, and each failure is one line.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { captureLogger } from "../../test/alerts/support/logs.js";
import { startTestReceiver, type TestReceiver } from "../../test/alerts/support/testReceiver.js";
import type { AlertsConfig, ReceiverConfig } from "../config/alertsConfig.js";
import type { AlertEventDraft } from "../state/alertState.js";
import type { AlertStore } from "../store/alertStore.js";
import { openAlertStore } from "../store/openStore.js";
import { Dispatcher } from "./dispatcher.js";
import { deliveriesFor } from "./render.js";

const SECRET = "test-secret-123";
const delivery: AlertsConfig["delivery"] = {
  timeout: 2000,
  initialBackoff: 100,
  maxBackoff: 400,
  giveUpAfter: 60_000,
  concurrency: 4,
};

let dir: string;
let store: AlertStore;
let rx: TestReceiver;
let dispatcher: Dispatcher | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "perpwatch-dispatch-"));
  store = await openAlertStore({ kind: "pglite", directory: dir, schema: "perpwatch_alerts" });
  rx = await startTestReceiver({ secret: SECRET });
});
afterAll(async () => {
  await store?.close();
  await rx?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = null;
  rx.setFailure(null);
  rx.setDelay(0);
  rx.received.length = 0;
  await store.db.query("DELETE FROM perpwatch_alerts.outbox");
});

const draft = (fp: string, kind: AlertEventDraft["kind"], market = "ETH"): AlertEventDraft => ({
  kind,
  fingerprint: fp,
  rule: "skew-extreme",
  labels: { alertname: "skew-extreme", severity: "warning", market },
  annotations: { summary: `${market} skew 60%` },
  value: 0.6,
  threshold: 0.5,
  startsAtMs: 1000,
  endsAtMs: kind === "firing" ? null : 2000,
  block: { number: 10n, hash: "0xa", timestamp: 0 },
});

function receivers(base: string, only?: string[]): ReceiverConfig[] {
  const all: ReceiverConfig[] = [
    { name: "ops", type: "webhook", url: `${base}/hook`, secret: SECRET },
    { name: "chat", type: "slack", url: `${base}/slack`, secret: SECRET },
    {
      name: "pager",
      type: "pagerduty",
      url: `${base}/pd`,
      routingKey: "RK",
      source: "test",
      secret: SECRET,
      rateLimit: { perMinute: 120 },
    },
  ];
  return only ? all.filter((r) => only.includes(r.name)) : all;
}

async function enqueue(rs: ReceiverConfig[], events: AlertEventDraft[]) {
  await store.commit({
    nowMs: Date.now(),
    records: [],
    events,
    deliveries: (e) => deliveriesFor(e, rs, undefined),
  });
}

function startDispatcher(rs: ReceiverConfig[]) {
  const { logger, lines } = captureLogger();
  dispatcher = new Dispatcher({ store, receivers: rs, delivery, logger });
  dispatcher.start();
  return lines;
}

describe("outbox dispatcher", () => {
  it("delivers the three formats, signed, with an idempotency key each", async () => {
    const rs = receivers(rx.url);
    await enqueue(rs, [draft("f1", "firing"), draft("f1", "resolved")]);
    startDispatcher(rs);
    await rx.waitFor((r) => r.length >= 6);
    const byPath = (p: string) => rx.received.filter((r) => r.path === p);
    expect(rx.received.every((r) => r.signature === "ok" && r.answered === 200)).toBe(true);
    expect(byPath("/hook").map((r) => (r.body as { status: string }).status)).toEqual([
      "firing",
      "resolved",
    ]);
    expect(byPath("/slack").map((r) => (r.body as { text: string }).text.slice(0, 20))).toEqual([
      ":warning: [FIRING · ",
      ":white_check_mark: [",
    ]);
    expect(byPath("/pd").map((r) => (r.body as { event_action: string }).event_action)).toEqual([
      "trigger",
      "resolve",
    ]);
    expect(byPath("/pd").every((r) => (r.body as { dedup_key: string }).dedup_key === "f1")).toBe(
      true,
    );
    const keys = rx.received.map((r) => r.key);
    expect(new Set(keys).size).toBe(6);
    const hook = byPath("/hook")[0]!;
    expect(hook.headers["x-perpwatch-fingerprint"]).toBe("f1");
    expect((hook.body as { perpwatch: { idempotencyKey: string } }).perpwatch.idempotencyKey).toBe(
      hook.key,
    );
    await expect.poll(async () => (await store.outbox("delivered")).length).toBe(6);
  });

  it("retries failures with backoff and the same key; a fire resolved while the receiver was down collapses", async () => {
    const rs = receivers(rx.url, ["ops"]);
    await enqueue(rs, [draft("a", "firing"), draft("b", "firing", "BTC"), draft("a", "resolved")]);
    rx.setFailure(503);
    const lines = startDispatcher(rs);
    await rx.waitFor((r) => r.filter((x) => x.answered === 503).length >= 4);
    rx.setFailure(null);
    await rx.waitFor((r) => r.some((x) => x.answered === 200));
    const ok = rx.accepted();
    expect(ok.map((r) => (r.body as { fingerprint: string }).fingerprint)).toEqual(["b"]);
    // "a" fired and resolved while ops was down: neither is sent afterwards (stale news).
    await expect
      .poll(async () => (await store.outbox("collapsed")).map((o) => o.fingerprint))
      .toEqual(["a", "a"]);
    expect(
      rx.received.filter((r) => (r.body as { fingerprint: string }).fingerprint === "a"),
    ).toHaveLength(1);
    // Every attempt of "b" reused its key, numbered 1, 2, 3, …
    const attempts = rx.received
      .filter((r) => r.key === ok[0]!.key)
      .map((r) => Number(r.headers["x-perpwatch-attempt"]));
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    const warn = lines.find((l) => l.level === 40)!;
    expect(warn.msg).toMatch(
      /^delivery firing to ops \(http:\/\/127\.0\.0\.1:\d+\/hook\) failed: HTTP 503: .*; retry 2 in \d\.\d s$/,
    );
    expect(
      lines.some((l) => /dropped: the alert resolved before ops could be told/.test(l.msg)),
    ).toBe(true);
  });

  it("a refusal (4xx) is dead-lettered in one line and the alert's next event goes on", async () => {
    const rs = receivers(rx.url, ["ops"]);
    await enqueue(rs, [draft("c", "firing")]);
    rx.setFailure(404);
    const lines = startDispatcher(rs);
    await expect.poll(async () => (await store.outbox("dead")).length, { timeout: 5000 }).toBe(1);
    rx.setFailure(null);
    await enqueue(rs, [draft("c", "resolved")]);
    dispatcher!.kick();
    await rx.waitFor((r) => r.some((x) => x.answered === 200));
    const err = lines.find((l) => l.level === 50)!;
    expect(err.msg).toMatch(
      /^delivery firing to ops \(.*\/hook\) failed for good \(the receiver refused it\): HTTP 404/,
    );
    expect(rx.received.filter((r) => r.answered === 404)).toHaveLength(1);
  });

  it("an unreachable host or a closed port is one line each, and is retried", async () => {
    const gone = await startTestReceiver();
    await gone.close();
    const rs: ReceiverConfig[] = [
      { name: "nohost", type: "webhook", url: "http://perpwatch-no-such-host.invalid/hook" },
      { name: "closed", type: "webhook", url: `${gone.url}/hook` },
      { name: "blocked", type: "webhook", url: "http://127.0.0.1:1/hook" },
    ];
    await enqueue(rs, [draft("d", "firing")]);
    const lines = startDispatcher(rs);
    await expect
      .poll(() => lines.filter((l) => l.level === 40).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    const msgs = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(msgs.find((m) => m.includes("nohost"))).toMatch(
      /^delivery firing to nohost \(http:\/\/perpwatch-no-such-host\.invalid\/hook\) failed: (host not found \(ENOTFOUND\)|host name lookup failed \(EAI_AGAIN\)); retry 2 in/,
    );
    expect(msgs.find((m) => m.includes("closed"))).toMatch(
      /failed: connection refused \(ECONNREFUSED\); retry 2 in/,
    );
    expect((await store.outbox("pending")).every((o) => o.attempts >= 1)).toBe(true);
  });
});
