/**
 * The store on both engines, with the same SQL: real PGlite in a temporary directory always,
 * real PostgreSQL when PERPWATCH_TEST_PG names one.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PG_SKIP_REASON, PG_URL, uniqueSchema } from "../../test/alerts/support/postgres.js";
import type { AlertEventDraft, AlertRecord } from "../state/alertState.js";
import type { AlertStore } from "./alertStore.js";
import { openAlertStore } from "./openStore.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const record = (
  fp: string,
  state: AlertRecord["state"],
  over: Partial<AlertRecord> = {},
): AlertRecord => ({
  fingerprint: fp,
  rule: "skew",
  labels: { alertname: "skew", market: "ETH" },
  annotations: { summary: "ETH skew 60%" },
  state,
  value: 0.6,
  threshold: 0.5,
  activeSinceMs: 1000,
  inactiveSinceMs: null,
  startsAtMs: 1000,
  endsAtMs: null,
  cooldownUntilMs: null,
  raisedBlock: 12345678901234n,
  raisedHash: "0xabc",
  updatedAtMs: 1000,
  ...over,
});

const event = (fp: string, kind: AlertEventDraft["kind"]): AlertEventDraft => ({
  kind,
  fingerprint: fp,
  rule: "skew",
  labels: { alertname: "skew", market: "ETH" },
  annotations: { summary: "ETH skew 60%" },
  value: 0.6,
  threshold: 0.5,
  startsAtMs: 1000,
  endsAtMs: kind === "firing" ? null : 2000,
  block: { number: 7n, hash: "0x7", timestamp: 0 },
});

let keySeq = 0;
const deliveriesTo =
  (...receivers: string[]) =>
  (e: { id: number }) =>
    receivers.map((r) => ({
      receiver: r,
      idempotencyKey: `k${keySeq++}-${e.id}-${r}`,
      body: `{"event":${e.id}}`,
    }));

function suite(open: () => Promise<AlertStore>) {
  it("commits records, events, outbox rows and samples in one transaction, and reads them back", async () => {
    const store = await open();
    try {
      const events = await store.commit({
        nowMs: 5000,
        records: [
          record("a", "firing"),
          record("b", "pending", { value: null, raisedBlock: null, raisedHash: null }),
        ],
        events: [event("a", "firing")],
        deliveries: deliveriesTo("ops", "slack"),
        sample: {
          blockNumber: 7n,
          hash: "0x7",
          timestamp: 100,
          prices: { "1": 95000.5 },
          insuranceFund: 5e4,
        },
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: "firing", fingerprint: "a", createdAtMs: 5000 });
      const alerts = await store.loadAlerts();
      expect(alerts).toEqual([
        record("a", "firing"),
        record("b", "pending", { value: null, raisedBlock: null, raisedHash: null }),
      ]);
      expect(await store.loadSamples()).toEqual([
        {
          blockNumber: 7n,
          hash: "0x7",
          timestamp: 100,
          prices: { "1": 95000.5 },
          insuranceFund: 5e4,
        },
      ]);
      const out = await store.outbox();
      expect(out.map((o) => [o.receiver, o.status, o.eventKind, o.attempts])).toEqual([
        ["ops", "pending", "firing", 0],
        ["slack", "pending", "firing", 0],
      ]);
      const [ev] = await store.eventsAfter(0);
      expect(ev).toMatchObject({
        id: events[0]!.id,
        block: { number: 7n, hash: "0x7" },
        labels: { market: "ETH" },
      });
    } finally {
      await store.close();
    }
  });

  it("a failing transaction leaves nothing behind", async () => {
    const store = await open();
    try {
      await expect(
        store.commit({
          nowMs: 1,
          records: [record("x", "firing")],
          events: [event("x", "firing")],
          deliveries: () => [
            { receiver: "ops", idempotencyKey: "dup", body: "{}" },
            { receiver: "ops2", idempotencyKey: "dup", body: "{}" },
          ],
        }),
      ).rejects.toThrow();
      expect(await store.loadAlerts()).toEqual([]);
      expect(await store.outbox()).toEqual([]);
      expect(await store.eventsAfter(0)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("due deliveries: only the oldest pending per (receiver, fingerprint), once its retry time has come", async () => {
    const store = await open();
    try {
      await store.commit({
        nowMs: 100,
        records: [],
        events: [event("a", "firing"), event("b", "firing")],
        deliveries: deliveriesTo("ops"),
      });
      await store.commit({
        nowMs: 200,
        records: [],
        events: [event("a", "resolved")],
        deliveries: deliveriesTo("ops"),
      });
      let due = await store.dueDeliveries(1000, 10);
      expect(due.map((d) => [d.fingerprint, d.eventKind])).toEqual([
        ["a", "firing"],
        ["b", "firing"],
      ]);
      await store.markRetry(due[0]!.id, 5000, "HTTP 503");
      due = await store.dueDeliveries(1000, 10);
      expect(due.map((d) => d.fingerprint)).toEqual(["b"]);
      expect(await store.nextDueMs()).toBe(100);
      await store.markDelivered(due[0]!.id, 1000);
      expect(await store.nextDueMs()).toBe(5000);
      due = await store.dueDeliveries(5000, 10);
      expect(due.map((d) => [d.fingerprint, d.eventKind, d.attempts, d.lastError])).toEqual([
        ["a", "firing", 1, "HTTP 503"],
      ]);
      await store.markDelivered(due[0]!.id, 5000);
      due = await store.dueDeliveries(5000, 10);
      expect(due.map((d) => [d.fingerprint, d.eventKind])).toEqual([["a", "resolved"]]);
      await store.markDead(due[0]!.id, "HTTP 400");
      expect(await store.dueDeliveries(1e12, 10)).toEqual([]);
      expect(await store.nextDueMs()).toBeNull();
      expect((await store.outbox()).map((o) => o.status)).toEqual([
        "delivered",
        "delivered",
        "dead",
      ]);
    } finally {
      await store.close();
    }
  });

  it("samples are pruned by time and dropped from a reorged block on", async () => {
    const store = await open();
    try {
      for (let b = 1; b <= 5; b++) {
        await store.commit({
          nowMs: b,
          records: [],
          events: [],
          deliveries: () => [],
          sample: {
            blockNumber: BigInt(b),
            hash: `0x${b}`,
            timestamp: 100 + b,
            prices: {},
            insuranceFund: null,
          },
          pruneSamplesBefore: 100 + b - 2,
        });
      }
      expect((await store.loadSamples()).map((s) => s.blockNumber)).toEqual([3n, 4n, 5n]);
      await store.commit({
        nowMs: 9,
        records: [],
        events: [],
        deliveries: () => [],
        dropSamplesFrom: 4n,
      });
      expect((await store.loadSamples()).map((s) => s.blockNumber)).toEqual([3n]);
    } finally {
      await store.close();
    }
  });
}

describe("alert store on PGlite", () => {
  suite(async () => {
    const dir = mkdtempSync(join(tmpdir(), "perpwatch-alert-store-"));
    dirs.push(dir);
    return openAlertStore({ kind: "pglite", directory: dir, schema: "perpwatch_alerts" });
  });

  it("state survives closing and reopening the directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "perpwatch-alert-store-"));
    dirs.push(dir);
    const cfg = { kind: "pglite" as const, directory: dir, schema: "perpwatch_alerts" };
    const a = await openAlertStore(cfg);
    await a.commit({
      nowMs: 1,
      records: [record("a", "firing")],
      events: [event("a", "firing")],
      deliveries: deliveriesTo("ops"),
    });
    await a.close();
    const b = await openAlertStore(cfg);
    try {
      expect((await b.loadAlerts()).map((r) => r.state)).toEqual(["firing"]);
      expect(await b.outbox("pending")).toHaveLength(1);
    } finally {
      await b.close();
    }
  });
});

describe.skipIf(PG_URL === undefined)(`alert store on PostgreSQL${PG_SKIP_REASON}`, () => {
  suite(() =>
    openAlertStore({ kind: "postgres", url: PG_URL!, schema: uniqueSchema("pw_alerts") }),
  );

  it("an unreachable server is one line naming it, without the password", async () => {
    const err = await openAlertStore({
      kind: "postgres",
      url: "postgresql://u:secret@127.0.0.1:1/db",
      schema: "x",
    }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(
      /^alert store PostgreSQL postgresql:\/\/u:\*\*\*@127.0.0.1:1\/db: cannot open it: .*ECONNREFUSED/,
    );
  });
});
