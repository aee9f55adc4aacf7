/**
 * The engine on several exchanges, on real PGlite with an in-memory source: the same rule on
 * two exchanges is two alerts (fingerprints, records, outbox rows, payloads), each exchange's
 * evaluation steps, resolves and retracts only its own alerts, a rule's `exchanges` scope
 * holds, and rows stored before alerts had an exchange are taken over without a re-fire.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { captureLogger } from "../../test/alerts/support/logs.js";
import {
  DEFAULT_EXCHANGE,
  observation,
  withMarket,
} from "../../test/alerts/support/observations.js";
import { loadAlertsConfig } from "../config/alertsConfig.js";
import type { RiskObservation } from "../observation.js";
import type { RiskSource } from "../source/apiSource.js";
import { fingerprint } from "../state/fingerprint.js";
import type { AlertStore } from "../store/alertStore.js";
import { openAlertStore } from "../store/openStore.js";
import { AlertEngine } from "./alertEngine.js";

const dirs: string[] = [];
const stores: AlertStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function openStore(dir?: string) {
  const directory = dir ?? mkdtempSync(join(tmpdir(), "perpwatch-alert-engine-"));
  if (!dir) dirs.push(directory);
  const store = await openAlertStore({ kind: "pglite", directory, schema: "perpwatch_alerts" });
  stores.push(store);
  return { store, directory };
}

/** Each exchange's observation, and the canonical hash of each (exchange, block). */
function memorySource(watched: string[]) {
  const states = new Map<string, RiskObservation>();
  const canonical = new Map<string, string>();
  const source: RiskSource = {
    exchanges: async () => watched,
    observe: async (x) => states.get(x)!,
    blockHashes: async (x, numbers) =>
      new Map(numbers.map((n) => [n, canonical.get(`${x}@${n}`) ?? null])),
  };
  return { source, states, canonical };
}

/** An engine with one skew rule (and `rule`'s keys), its state loaded from `store`. */
async function engineOf(
  store: AlertStore,
  source: RiskSource,
  rule: Record<string, unknown> = {},
): Promise<AlertEngine> {
  const config = loadAlertsConfig({
    overrides: {
      receivers: { ops: { type: "webhook", url: "http://127.0.0.1:9/hook" } },
      rules: [
        {
          name: "skew",
          kind: "skew_extreme",
          severity: "warning",
          threshold: 0.5,
          cooldown: "0s",
          ...rule,
        },
      ],
    },
  });
  const engine = new AlertEngine({
    config,
    store,
    source,
    receivers: config.receivers,
    logger: captureLogger().logger,
    now: () => 1_700_000_000_000,
    checksReorgs: true,
  });
  await engine.load();
  return engine;
}

/** Exchange `x`'s block `n`, ETH's skew at `skew`, when `watched` exchanges are watched. */
const obsOf = (x: string, n: number, skew: number, watched: string[]): RiskObservation => ({
  ...withMarket(observation(n), "ETH", { skewRatio: skew }),
  exchangeId: x,
  watchedExchanges: watched,
});

/** Serves `obs` and runs the block path on its exchange: its events, briefly. */
async function run(
  engine: AlertEngine,
  obs: RiskObservation,
  states: Map<string, RiskObservation>,
) {
  states.set(obs.exchangeId, obs);
  const result = await engine.apply("block", await engine.observe("block", obs.exchangeId));
  return result.events.map((e) => `${e.kind} ${e.labels.exchange} ${e.labels.market}`);
}

describe("the block samples", () => {
  it("a rule set that reads only the fund keeps the fund's samples: its drawdown fires live", async () => {
    const { store } = await openStore();
    const { source, states } = memorySource([DEFAULT_EXCHANGE]);
    const engine = await engineOf(store, source, {
      name: "drawdown",
      kind: "insurance_fund_drawdown",
      severity: "critical",
      window: "5m",
      threshold: 0.1,
    });
    const fundOnly = (n: number, fund: number): RiskObservation => {
      const o = observation(n);
      return { ...o, markets: undefined, exchange: { ...o.exchange!, insuranceFund: fund } };
    };
    const events = async (obs: RiskObservation) => {
      states.set(obs.exchangeId, obs);
      const r = await engine.apply("block", await engine.observe("block", obs.exchangeId));
      return r.events.map((e) => `${e.kind} ${e.rule} @${e.block?.number}`);
    };
    expect(await events(fundOnly(101, 50_000))).toEqual([]);
    expect(await events(fundOnly(102, 49_000))).toEqual([]);
    expect(await events(fundOnly(103, 20_000))).toEqual(["firing drawdown @103"]);
    // A restart reads the samples back from the store.
    const again = await engineOf(store, source, {
      name: "drawdown",
      kind: "insurance_fund_drawdown",
      severity: "critical",
      window: "5m",
      threshold: 0.1,
    });
    states.set(DEFAULT_EXCHANGE, fundOnly(104, 20_000));
    const r = await again.apply("block", await again.observe("block", DEFAULT_EXCHANGE));
    expect(r.events).toEqual([]);
    expect([...again.alerts.values()].map((a) => a.state)).toEqual(["firing"]);
  });
});

describe("catch-up", () => {
  /** A source that also serves past blocks (the API's X-Perpwatch-Block), until `failFrom`. */
  function pastSource(byBlock: Map<number, RiskObservation>, head: () => RiskObservation) {
    let unavailableFrom = Number.POSITIVE_INFINITY;
    const source: RiskSource = {
      exchanges: async () => [DEFAULT_EXCHANGE],
      observe: async () => head(),
      observeAt: async (_x, _needs, b) => {
        const obs = byBlock.get(Number(b));
        if (!obs || Number(b) >= unavailableFrom) throw new Error(`block ${b} unavailable`);
        return obs;
      },
      blockHashes: async (_x, numbers) => new Map(numbers.map((n) => [n, null])),
    };
    return { source, failFrom: (b: number) => (unavailableFrom = b) };
  }
  const skewAt = (n: number, skew: number) => obsOf(DEFAULT_EXCHANGE, n, skew, [DEFAULT_EXCHANGE]);
  const brief = (
    rs: {
      events: {
        kind: string;
        block: { number: bigint } | null;
        annotations: Record<string, string>;
      }[];
    }[],
  ) =>
    rs.flatMap((r) =>
      r.events.map((e) => `${e.kind} @${e.block?.number}${e.annotations.late ? " late" : ""}`),
    );

  it("observes the missed blocks the source serves whole: a one-block alert is not lost", async () => {
    const { store } = await openStore();
    const byBlock = new Map([100, 101, 102, 103].map((n) => [n, skewAt(n, n === 101 ? 0.9 : 0.1)]));
    const { source } = pastSource(byBlock, () => byBlock.get(103)!);
    const engine = await engineOf(store, source);
    await engine.apply("block", byBlock.get(100)!);
    const head = await engine.observe("block", DEFAULT_EXCHANGE);
    expect(brief(await engine.catchUp(head))).toEqual(["firing @101 late", "resolved @102 late"]);
  });

  it("replays history from the first missed block the source cannot serve", async () => {
    const { store } = await openStore();
    const byBlock = new Map([100, 101, 102, 103].map((n) => [n, skewAt(n, n === 102 ? 0.9 : 0.1)]));
    const { source, failFrom } = pastSource(byBlock, () => byBlock.get(103)!);
    failFrom(102);
    const engine = await engineOf(store, source);
    await engine.apply("block", byBlock.get(100)!);
    const head = await engine.observe("block", DEFAULT_EXCHANGE);
    // 101 observed whole (nothing fires); 102 is left to history, which this engine has not.
    const results = await engine.catchUp(head);
    expect(results.map((r) => r.block)).toEqual([101n]);
    expect(brief(results)).toEqual([]);
  });
});

describe("alert engine on several exchanges", () => {
  const both = ["ref", "tw"];

  it("the same rule firing on two exchanges is two alerts, each with its own lifecycle", async () => {
    const { store } = await openStore();
    const { source, states } = memorySource(both);
    const engine = await engineOf(store, source);
    expect(await run(engine, obsOf("ref", 101, 0.7, both), states)).toEqual(["firing ref ETH"]);
    expect(await run(engine, obsOf("tw", 51, 0.8, both), states)).toEqual(["firing tw ETH"]);

    const firing = [...engine.alerts.values()].filter((a) => a.state === "firing");
    expect(firing.map((a) => a.labels.exchange).sort()).toEqual(["ref", "tw"]);
    expect(new Set(firing.map((a) => a.fingerprint)).size).toBe(2);
    const outbox = await store.outbox();
    expect(new Set(outbox.map((o) => o.fingerprint)).size).toBe(2);
    expect(new Set(outbox.map((o) => o.idempotencyKey)).size).toBe(2);
    const tw = outbox.map((o) => JSON.parse(o.body)).find((b) => b.labels.exchange === "tw");
    expect(tw).toMatchObject({
      labels: { alertname: "skew", exchange: "tw", market: "ETH" },
      annotations: { summary: "[tw] ETH: skew is 80.0% of the skew scale (|·| ≥ 50.0%)" },
      perpwatch: { exchange: "tw", block: { number: "51" } },
    });

    // One exchange calms down: only its alert resolves; the other's next block changes nothing.
    expect(await run(engine, obsOf("ref", 102, 0.1, both), states)).toEqual(["resolved ref ETH"]);
    expect(await run(engine, obsOf("tw", 52, 0.9, both), states)).toEqual([]);
    // A restart reads both back, apart.
    const again = await engineOf(store, source);
    const states_ = [...again.alerts.values()].map((a) => `${a.labels.exchange}:${a.state}`);
    expect(states_.sort()).toEqual(["ref:inactive", "tw:firing"]);
  });

  it("a reorg on one exchange's chain retracts only that exchange's alerts", async () => {
    const { store } = await openStore();
    const { source, states, canonical } = memorySource(both);
    const engine = await engineOf(store, source);
    await run(engine, obsOf("ref", 101, 0.7, both), states);
    await run(engine, obsOf("tw", 101, 0.7, both), states);
    // Block 101 of ref's chain is replaced; tw's block 101 (another chain) is not.
    canonical.set(`ref@101`, "0xnew");
    canonical.set(`tw@101`, observation(101).block.hash!);
    expect(await run(engine, obsOf("tw", 102, 0.7, both), states)).toEqual([]);
    expect(await run(engine, obsOf("ref", 102, 0.1, both), states)).toEqual(["retracted ref ETH"]);
  });

  it("a rule's exchanges scope: it fires only there, and narrowing it resolves the others' alerts", async () => {
    const { store } = await openStore();
    const { source, states } = memorySource(both);
    const scoped = await engineOf(store, source, { exchanges: ["tw"] });
    expect(await run(scoped, obsOf("ref", 101, 0.7, both), states)).toEqual([]);
    expect(await run(scoped, obsOf("tw", 51, 0.7, both), states)).toEqual(["firing tw ETH"]);

    const { store: store2 } = await openStore();
    const wide = await engineOf(store2, source);
    await run(wide, obsOf("ref", 101, 0.7, both), states);
    await run(wide, obsOf("tw", 51, 0.7, both), states);
    // The same store under a rule narrowed to tw: ref's alert resolves, tw's stays.
    const narrowed = await engineOf(store2, source, { exchanges: ["tw"] });
    expect(await run(narrowed, obsOf("ref", 102, 0.7, both), states)).toEqual(["resolved ref ETH"]);
    expect(await run(narrowed, obsOf("tw", 52, 0.7, both), states)).toEqual([]);
  });

  it("an alert stored before alerts had an exchange is the first exchange's, under its old fingerprint", async () => {
    const { store } = await openStore();
    const { source, states } = memorySource([DEFAULT_EXCHANGE]);
    // What the previous worker left: a firing alert keyed by its labels without an exchange.
    const oldLabels = { alertname: "skew", severity: "warning", market: "ETH" };
    const oldFp = fingerprint(oldLabels);
    await store.commit({
      nowMs: 1,
      records: [
        {
          fingerprint: oldFp,
          rule: "skew",
          labels: oldLabels,
          annotations: { summary: "ETH skewed" },
          state: "firing",
          value: 0.7,
          threshold: 0.5,
          activeSinceMs: 1,
          inactiveSinceMs: null,
          startsAtMs: 1,
          endsAtMs: null,
          cooldownUntilMs: null,
          raisedBlock: 100n,
          raisedHash: observation(100).block.hash,
          updatedAtMs: 1,
        },
      ],
      events: [],
      deliveries: () => [],
    });
    const engine = await engineOf(store, source);
    const one = [DEFAULT_EXCHANGE];
    // Still skewed: no re-fire.
    expect(await run(engine, obsOf(DEFAULT_EXCHANGE, 101, 0.7, one), states)).toEqual([]);
    const [rec] = await store.loadAlerts();
    expect(rec).toMatchObject({ fingerprint: oldFp, state: "firing" });
    expect(rec!.labels).toEqual({ ...oldLabels, exchange: DEFAULT_EXCHANGE });
    // Calm: it resolves under the fingerprint receivers know.
    expect(await run(engine, obsOf(DEFAULT_EXCHANGE, 102, 0.1, one), states)).toEqual([
      `resolved ${DEFAULT_EXCHANGE} ETH`,
    ]);
    const [resolved] = await store.eventsAfter(0);
    expect([resolved!.kind, resolved!.fingerprint]).toEqual(["resolved", oldFp]);
    expect(await store.loadAlerts()).toHaveLength(1);
  });
});
