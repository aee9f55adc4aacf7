/**
 * One delivery lane per receiver, against real HTTP servers and the outbox on real PGlite:
 * a receiver that hangs delays no other receiver, a 429's Retry-After is honoured beyond the
 * backoff cap (and pauses that receiver only), the per-receiver rate limit holds sends back.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AlertsConfig, ReceiverConfig } from "../../alerts/config/alertsConfig.js";
import { Dispatcher } from "../../alerts/delivery/dispatcher.js";
import { RateLimiter } from "../../alerts/delivery/rateLimiter.js";
import { deliveriesFor } from "../../alerts/delivery/render.js";
import type { AlertEventDraft } from "../../alerts/state/alertState.js";
import type { AlertStore, OutboxRow } from "../../alerts/store/alertStore.js";
import { openAlertStore } from "../../alerts/store/openStore.js";
import { captureLogger } from "./support/logs.js";
import { startTestReceiver, type TestReceiver } from "./support/testReceiver.js";

const delivery: AlertsConfig["delivery"] = {
  timeout: 60_000,
  initialBackoff: 100,
  maxBackoff: 400,
  giveUpAfter: 3_600_000,
  concurrency: 4,
};

let dir: string;
let store: AlertStore;
let rx: TestReceiver;
let hung: { url: string; server: Server; arrivals: number };
let dispatcher: Dispatcher | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "perpwatch-lanes-"));
  store = await openAlertStore({ kind: "pglite", directory: dir, schema: "perpwatch_alerts" });
  rx = await startTestReceiver();
  // A receiver that takes requests and never answers (a hung proxy, a stuck service).
  const h = { url: "", server: createServer(() => void h.arrivals++), arrivals: 0 };
  await new Promise<void>((r) => h.server.listen(0, "127.0.0.1", r));
  h.url = `http://127.0.0.1:${(h.server.address() as AddressInfo).port}`;
  hung = h;
});
afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = null;
  rx.setFailure(null);
  rx.received.length = 0;
  await store.db.query("DELETE FROM perpwatch_alerts.outbox");
});
afterAll(async () => {
  hung.server.closeAllConnections();
  await new Promise<void>((r) => hung.server.close(() => r()));
  await rx.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const draft = (i: number): AlertEventDraft => ({
  kind: "firing",
  fingerprint: `fp${i}`,
  rule: "skew",
  labels: { alertname: "skew", severity: "warning", market: `M${i}` },
  annotations: { summary: `M${i} skew` },
  value: 0.6,
  threshold: 0.5,
  startsAtMs: 1000,
  endsAtMs: null,
  block: null,
});

async function enqueue(rs: ReceiverConfig[], from: number, count: number): Promise<number> {
  const at = Date.now();
  await store.commit({
    nowMs: at,
    records: [],
    events: Array.from({ length: count }, (_, i) => draft(from + i)),
    deliveries: (e) => deliveriesFor(e, rs, undefined),
  });
  return at;
}

function start(rs: ReceiverConfig[], onDelivered?: (row: OutboxRow, atMs: number) => void) {
  const { logger, lines } = captureLogger();
  dispatcher = new Dispatcher({ store, receivers: rs, delivery, logger, onDelivered });
  dispatcher.start();
  return lines;
}

const healthy = (): ReceiverConfig => ({ name: "ok", type: "webhook", url: `${rx.url}/ok` });

/** Latency from commit to acknowledgement of each delivery to `ok`. */
async function healthyLatencies(rs: ReceiverConfig[], tag: number): Promise<number[]> {
  const latencies: number[] = [];
  let committedAt = 0;
  start(rs, (row, atMs) => {
    if (row.receiver === "ok") latencies.push(atMs - committedAt);
  });
  committedAt = await enqueue(rs, tag, 20);
  dispatcher!.kick();
  await rx.waitFor((r) => r.filter((x) => x.path === "/ok").length >= 20, 20_000);
  await expect.poll(() => latencies.length).toBe(20);
  return latencies;
}

describe("delivery lanes", () => {
  it("a receiver that hangs (60 s timeout) delays no other receiver", async () => {
    const baseline = await healthyLatencies([healthy()], 0);
    await dispatcher!.stop();
    dispatcher = null;
    rx.received.length = 0;
    const withHung = await healthyLatencies(
      [{ name: "stuck", type: "webhook", url: `${hung.url}/hook` }, healthy()],
      100,
    );
    // The stuck receiver has requests in flight, none answered.
    expect(hung.arrivals).toBeGreaterThanOrEqual(4);
    const worst = (xs: number[]) => Math.max(...xs);
    process.stdout.write(
      `[lanes] healthy receiver latency: alone max ${worst(baseline)} ms; beside a hung one max ${worst(withHung)} ms\n`,
    );
    expect(worst(withHung)).toBeLessThan(worst(baseline) + 1000);
    expect(worst(withHung)).toBeLessThan(5000);
    const pendingStuck = (await store.outbox("pending")).filter((o) => o.receiver === "stuck");
    expect(pendingStuck).toHaveLength(20);
    // Let the stuck requests fail now rather than after their 60 s timeout.
    hung.server.closeAllConnections();
  });

  it("a 429 with Retry-After: 120 is honoured beyond the 400 ms backoff cap, pausing that receiver only", async () => {
    // PagerDuty's answer to too many events: 429 and how long to wait.
    let tried = 0;
    const limited = createServer((_req, res) => {
      tried++;
      res.writeHead(429, { "retry-after": "120", "content-type": "application/json" });
      res.end('{"status":"throttle event"}');
    });
    await new Promise<void>((r) => limited.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(limited.address() as AddressInfo).port}/pd`;
    try {
      const rs: ReceiverConfig[] = [{ name: "pd", type: "webhook", url }, healthy()];
      const lines = start(rs);
      await enqueue(rs, 200, 1);
      dispatcher!.kick();
      await expect.poll(() => lines.find((l) => l.level === 40)?.msg).toMatch(/HTTP 429/);
      // Two more alerts while PagerDuty asked to wait: the healthy receiver gets them now.
      await enqueue(rs, 201, 2);
      dispatcher!.kick();
      await rx.waitFor((r) => r.filter((x) => x.path === "/ok").length >= 3);
      const pending = (await store.outbox("pending")).filter((o) => o.receiver === "pd");
      expect(pending).toHaveLength(3);
      const retried = pending.filter((o) => o.attempts === 1);
      expect(retried).toHaveLength(1);
      // Due in ~120 s (the receiver's Retry-After), not in ≤ 0.4 s (the backoff cap).
      expect(retried[0]!.nextAttemptMs - Date.now()).toBeGreaterThan(100_000);
      // The whole receiver is paused: its other rows were not tried meanwhile.
      expect(tried).toBe(1);
      expect(lines.find((l) => l.level === 40)!.msg).toMatch(/HTTP 429.*; retry 2 in 120\.0 s$/);
    } finally {
      limited.closeAllConnections();
      await new Promise<void>((r) => limited.close(() => r()));
    }
  });

  it("the per-receiver rate limit holds sends back; other receivers are not held", async () => {
    const slow: ReceiverConfig = {
      name: "pd",
      type: "webhook",
      url: `${rx.url}/pd`,
      rateLimit: { perMinute: 3 },
    };
    const rs = [slow, healthy()];
    start(rs);
    await enqueue(rs, 300, 5);
    dispatcher!.kick();
    await rx.waitFor((r) => r.filter((x) => x.path === "/ok").length >= 5);
    await rx.waitFor((r) => r.filter((x) => x.path === "/pd").length >= 3);
    // A token every 20 s: the other two wait.
    expect((await store.outbox("pending")).filter((o) => o.receiver === "pd")).toHaveLength(2);
    expect(rx.received.filter((x) => x.path === "/pd")).toHaveLength(3);
  });

  it("token bucket: perMinute at once, then one every 60/perMinute s", () => {
    const l = new RateLimiter(120);
    for (let i = 0; i < 120; i++) expect(l.take(0)).toBe(0);
    expect(l.take(0)).toBe(500);
    expect(l.take(499)).toBe(1);
    expect(l.take(500)).toBe(0);
  });
});
