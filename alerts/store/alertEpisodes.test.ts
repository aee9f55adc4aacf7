/**
 * Episodes from a real store (PGlite always, PostgreSQL when PERPWATCH_TEST_PG is set): a
 * fingerprint that fired, resolved and fired again is two episodes; windows, state, rule,
 * market and exchange filters; pending alerts only when asked for.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PG_SKIP_REASON, PG_URL, uniqueSchema } from "../../test/alerts/support/postgres.js";
import type { AlertEventDraft, AlertRecord } from "../state/alertState.js";
import { alertEpisodes } from "./alertEpisodes.js";
import type { AlertStore } from "./alertStore.js";
import { openAlertStore } from "./openStore.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const labels = (market: string, exchange = "ref") => ({
  alertname: "skew",
  severity: "warning",
  market,
  exchange,
});

function event(
  fp: string,
  kind: AlertEventDraft["kind"],
  startsAtMs: number,
  endsAtMs: number | null,
  market = "ETH",
  exchange = "ref",
): AlertEventDraft {
  return {
    kind,
    fingerprint: fp,
    rule: market === "BTC" ? "funding" : "skew",
    labels: labels(market, exchange),
    annotations: { summary: `${kind} at ${startsAtMs}` },
    value: 0.6,
    threshold: 0.5,
    startsAtMs,
    endsAtMs,
    block: { number: BigInt(startsAtMs / 1000), hash: "0x1", timestamp: 0 },
  };
}

const pendingRecord: AlertRecord = {
  fingerprint: "p",
  rule: "skew",
  labels: labels("SOL"),
  annotations: { summary: "building up" },
  state: "pending",
  value: 0.55,
  threshold: 0.5,
  activeSinceMs: 9000,
  inactiveSinceMs: null,
  startsAtMs: null,
  endsAtMs: null,
  cooldownUntilMs: null,
  raisedBlock: null,
  raisedHash: null,
  updatedAtMs: 9000,
};

async function seed(store: AlertStore) {
  const commit = (events: AlertEventDraft[], records: AlertRecord[] = []) =>
    store.commit({ nowMs: 10_000, records, events, deliveries: () => [] });
  // ETH skew: fired 1 s → resolved 3 s, fired again 5 s (still firing).
  await commit([event("a", "firing", 1000, null), event("a", "resolved", 1000, 3000)]);
  await commit([event("a", "firing", 5000, null)]);
  // BTC funding on another exchange: fired 2 s, retracted 4 s.
  await commit([
    event("b", "firing", 2000, null, "BTC", "gmx"),
    event("b", "retracted", 2000, 4000, "BTC", "gmx"),
  ]);
  await commit([], [pendingRecord]);
}

function suite(open: () => Promise<AlertStore>) {
  it("reads episodes newest first, each closed by its own resolve", async () => {
    const store = await open();
    try {
      await seed(store);
      const all = await alertEpisodes(store, { limit: 10 });
      expect(all.map((e) => [e.fingerprint, e.state, e.startsAtMs, e.endsAtMs])).toEqual([
        ["a", "firing", 5000, null],
        ["b", "retracted", 2000, 4000],
        ["a", "resolved", 1000, 3000],
      ]);
      expect(all[2]!.annotations.summary).toBe("resolved at 1000");
      expect(all[0]!.block).toBe(5n);
      expect(all[1]!.exchange).toBe("gmx");
    } finally {
      await store.close();
    }
  });

  it("filters by window, state, rule, market, exchange and limit", async () => {
    const store = await open();
    try {
      await seed(store);
      const fps = async (f: Parameters<typeof alertEpisodes>[1]) =>
        (await alertEpisodes(store, f)).map((e) => `${e.fingerprint}@${e.startsAtMs}`);
      // [3.5 s, 4.5 s]: only b overlaps (a's first episode ended at 3 s, its second starts at 5 s).
      expect(await fps({ limit: 10, fromMs: 3500, toMs: 4500 })).toEqual(["b@2000"]);
      expect(await fps({ limit: 10, fromMs: 3000, toMs: 3000 })).toEqual(["b@2000", "a@1000"]);
      expect(await fps({ limit: 10, state: "firing" })).toEqual(["a@5000"]);
      expect(await fps({ limit: 10, state: "resolved" })).toEqual(["a@1000"]);
      expect(await fps({ limit: 10, rule: "funding" })).toEqual(["b@2000"]);
      expect(await fps({ limit: 10, market: "ETH" })).toEqual(["a@5000", "a@1000"]);
      expect(await fps({ limit: 10, exchange: "gmx" })).toEqual(["b@2000"]);
      expect(await fps({ limit: 1 })).toEqual(["a@5000"]);
      expect(await fps({ limit: 0 })).toEqual([]);
      const pending = await alertEpisodes(store, { limit: 10, state: "pending" });
      expect(pending.map((e) => [e.fingerprint, e.state, e.startsAtMs, e.block])).toEqual([
        ["p", "pending", 9000, null],
      ]);
    } finally {
      await store.close();
    }
  });
}

describe("alert episodes on PGlite", () => {
  suite(() => {
    const dir = mkdtempSync(join(tmpdir(), "perpwatch-episodes-"));
    dirs.push(dir);
    return openAlertStore({ kind: "pglite", directory: dir, schema: "perpwatch_alerts" });
  });
});

describe.skipIf(PG_URL === undefined)(`alert episodes on PostgreSQL${PG_SKIP_REASON}`, () => {
  suite(() =>
    openAlertStore({ kind: "postgres", url: PG_URL!, schema: uniqueSchema("pw_episodes") }),
  );
});
