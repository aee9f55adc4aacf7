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
import { migrationSql, SCHEMA_VERSION } from "./migrations.js";
import { openAlertStore } from "./openStore.js";
import { openPglite } from "./sqlDb.js";

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
        samples: {
          exchange: "ref",
          add: {
            exchange: "ref",
            blockNumber: 7n,
            hash: "0x7",
            timestamp: 100,
            prices: { "1": 95000.5 },
            insuranceFund: 5e4,
          },
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
          exchange: "ref",
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

  it("samples are per exchange, pruned by time and dropped from a reorged block on", async () => {
    const store = await open();
    const sample = (exchange: string, b: number) => ({
      exchange,
      blockNumber: BigInt(b),
      hash: `0x${b}`,
      timestamp: 100 + b,
      prices: {},
      insuranceFund: null,
    });
    const blocks = async () =>
      (await store.loadSamples()).map((s) => `${s.exchange}@${s.blockNumber}`);
    try {
      for (let b = 1; b <= 5; b++) {
        await store.commit({
          nowMs: b,
          records: [],
          events: [],
          deliveries: () => [],
          samples: { exchange: "ref", add: sample("ref", b), pruneBefore: 100 + b - 2 },
        });
      }
      // The same block number on another exchange's chain is another sample.
      await store.commit({
        nowMs: 6,
        records: [],
        events: [],
        deliveries: () => [],
        samples: { exchange: "tw", add: sample("tw", 4), pruneBefore: 0 },
      });
      expect(await blocks()).toEqual(["ref@3", "ref@4", "ref@5", "tw@4"]);
      await store.commit({
        nowMs: 9,
        records: [],
        events: [],
        deliveries: () => [],
        samples: { exchange: "ref", dropFrom: 4n },
      });
      expect(await blocks()).toEqual(["ref@3", "tw@4"]);
    } finally {
      await store.close();
    }
  });

  it("alert, event and outbox rows name the exchange of the alert's label", async () => {
    const store = await open();
    try {
      const labels = { alertname: "skew", exchange: "tw", market: "ETH" };
      await store.commit({
        nowMs: 1,
        records: [record("a", "firing", { labels })],
        events: [{ ...event("a", "firing"), labels }],
        deliveries: deliveriesTo("ops"),
      });
      const s = store.schema;
      const rows = await store.db.query(
        `SELECT (SELECT exchange FROM ${s}.alert) AS a, (SELECT exchange FROM ${s}.alert_event) AS e,
           (SELECT exchange FROM ${s}.outbox) AS o`,
      );
      expect(rows).toEqual([{ a: "tw", e: "tw", o: "tw" }]);
      expect((await store.loadAlerts())[0]!.labels).toEqual(labels);
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

  it("a version-1 store (rows without an exchange) migrates forward once and keeps its rows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "perpwatch-alert-store-"));
    dirs.push(dir);
    const v1 = await openPglite(dir);
    await v1.exec(migrationSql("perpwatch_alerts"));
    await v1.query(
      `INSERT INTO perpwatch_alerts.alert (fingerprint, rule, labels, annotations, state,
         starts_at_ms, raised_block, raised_hash, updated_at_ms)
       VALUES ('old', 'skew', '{"alertname":"skew","market":"ETH"}', '{}', 'firing', 1, 7, '0x7', 1)`,
    );
    await v1.query(
      `INSERT INTO perpwatch_alerts.block_sample (block_number, block_hash, block_time, prices)
       VALUES (7, '0x7', 100, '{}'), (8, '0x8', 101, '{}')`,
    );
    await v1.close();
    const cfg = { kind: "pglite" as const, directory: dir, schema: "perpwatch_alerts" };
    const store = await openAlertStore(cfg);
    try {
      expect(await store.version()).toBe(SCHEMA_VERSION);
      const [old] = await store.loadAlerts();
      expect(old).toMatchObject({ fingerprint: "old", state: "firing", raisedBlock: 7n });
      expect(old!.labels).toEqual({ alertname: "skew", market: "ETH" });
      expect((await store.loadSamples()).map((x) => `${x.exchange}@${x.blockNumber}`)).toEqual([
        "@7",
        "@8",
      ]);
      // The worker gives the old samples to its first exchange (one it already has wins).
      await store.commit({
        nowMs: 2,
        records: [],
        events: [],
        deliveries: () => [],
        samples: {
          exchange: "ref",
          add: {
            exchange: "ref",
            blockNumber: 8n,
            hash: "0x8b",
            timestamp: 101,
            prices: {},
            insuranceFund: null,
          },
        },
        adoptLegacySamples: "ref",
      });
      expect(
        (await store.loadSamples()).map((x) => `${x.exchange}@${x.blockNumber}:${x.hash}`),
      ).toEqual(["ref@7:0x7", "ref@8:0x8b"]);
    } finally {
      await store.close();
    }
    // Opening again migrates nothing more.
    const again = await openAlertStore(cfg);
    try {
      expect(await again.version()).toBe(SCHEMA_VERSION);
      expect(await again.loadAlerts()).toHaveLength(1);
    } finally {
      await again.close();
    }
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
