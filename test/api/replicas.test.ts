/**
 * The production path end to end on PostgreSQL: one indexer (`ponder start`) and two API
 * replicas (`perpwatch serve`) on a crash-cascade devnet running in real time, and two alert
 * workers — one reading the replicas (failover), one the indexer's own API (the reference).
 *
 * - At every sampled moment, the same computed account query goes to the indexer's API and to
 *   each replica; whenever two answer at the same block, their bodies are byte-identical.
 * - An SSE subscription on the replica that survives delivers every block, in order, and so
 *   does the same subscription on the indexer's own API and on a third replica that looks for
 *   new blocks only every second (a block a poll missed is rebuilt from Ponder's reorg log); at
 *   every block two of them delivered, their figures are the same.
 * - Mid-cascade the replica the failover worker reads is killed (SIGKILL): the worker moves to
 *   the other one, and from the kill on it raises the same alerts as the reference worker —
 *   none missed, none twice.
 *
 * Needs PostgreSQL (PERPWATCH_TEST_PG) and PERPWATCH_E2E_REPLICAS=1 (`npm run test:replicas`,
 * which `.ci/run` calls after the suite). The crash only starts at tick 120 of the real-time
 * devnet and three Ponder processes start meanwhile, so it takes about 1.5 minutes — beyond
 * the suite's budget. It makes a database of its own (Ponder's RPC cache is per database, and
 * the devnet's chain id is anvil's usual one) and drops it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { loadAlertsConfig } from "../../alerts/config/alertsConfig.js";
import { needsOf } from "../../alerts/evaluate/evaluate.js";
import type { RiskObservation } from "../../alerts/observation.js";
import { type AlertsService, createAlertsService } from "../../alerts/service/alertsService.js";
import { createApiSource } from "../../alerts/source/apiSource.js";
import type { StoredEvent } from "../../alerts/store/alertStore.js";
import { DEVNET_DEFAULTS, type RunningDevnet, startDevnet } from "../../devnet/run.js";
import { type RunningPonder, startPonder } from "../../indexer/runPonder.js";
import { createApiClient } from "../../runtime/apiClient.js";
import { freePort } from "../../runtime/freePort.js";
import { captureLogger } from "../alerts/support/logs.js";
import { PG_SKIP_REASON, PG_URL } from "../indexer/support/postgres.js";
import { type ApiReplica, startApiReplica } from "./support/apiReplica.js";
import { query, SseSubscription } from "./support/graphqlClient.js";

/** Wall-clock seconds per block; the crash runs from tick 120 (its first gap at 125) to 300. */
const BLOCK_TIME = 0.4;
/**
 * Replica 1 is killed once the indexer has indexed the block of this tick (the crash under way,
 * its first gap three ticks later), and at least `KILL_AFTER_START` blocks after the workers
 * started. The replayed kinds all fire at that first gap, so a kill after it would leave
 * nothing to compare: 0.25 s blocks left too little room on a loaded machine (the workers
 * started at tick 111, the kill came at 131), hence 0.4 s and 8 blocks.
 */
const KILL_AT_TICK = 122;
const KILL_AFTER_START = 8n;
/** The crash's first gap (devnet/simulator/scenarios.ts), where the replayed kinds fire. */
const FIRST_GAP_TICK = 125;
/** Blocks compared after the kill. */
const BLOCKS_AFTER_KILL = 40n;
const SCHEMA = "pw_replicas";

/** What the SSE subscriptions carry: the block and figures that change with it. */
const SUMMARY_SSE = `subscription ($exchange: ID!) { riskSummary(exchange: $exchange) {
  block timestamp openInterestUsd accountsWithPositions accountsAtRisk insuranceFund
  pendingBadDebt cascadeBadDebtAt10 } }`;

/**
 * Rules that fire and resolve on what each block shows (no wall-clock `for` or cool-down), at
 * the devnet's small scale. A block the worker missed while it moved is observed whole at that
 * block (the API's X-Perpwatch-Block: a recent block rebuilt from the reorg log), so the
 * failover worker raises exactly the reference's events, the first rule's included, which reads
 * the block's book; the last three are also the kinds the catch-up replays from history when
 * a block cannot be observed (alerts/service/catchUp.ts).
 */
const RULES = [
  {
    name: "account-near-liquidation",
    kind: "account_near_liquidation",
    severity: "warning",
    top: 20,
    minNotionalUsd: 1000,
    threshold: 0.6,
    for: "0s",
    cooldown: "0s",
  },
  {
    name: "liquidation-burst",
    kind: "liquidation_burst",
    severity: "critical",
    window: "60s",
    minCount: 1,
    threshold: 1000,
    for: "0s",
    cooldown: "0s",
  },
  {
    name: "insurance-fund-drawdown",
    kind: "insurance_fund_drawdown",
    severity: "critical",
    window: "5m",
    threshold: 0.01,
    for: "0s",
    cooldown: "0s",
  },
  {
    name: "adl-likely",
    kind: "adl_likely",
    severity: "critical",
    includeCascade: false,
    threshold: 1,
    for: "0s",
    cooldown: "0s",
  },
];
/** The rules of the kinds the catch-up replays. */
const REPLAYED = new Set(["liquidation-burst", "insurance-fund-drawdown", "adl-likely"]);

/** The computed account query: figures at the served block, the block in the same answer. */
const ACCOUNTS = `{ riskSummary { block accountsAtRisk }
  accounts(first: 10, orderBy: MARGIN_RATIO_DESC) { edges { node { id equity marginRatio
    liquidatable positions { market { id } notional liquidationPrice } } } } }`;

async function rawPost(url: string, body: string): Promise<{ block: string | null; body: string }> {
  try {
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body,
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    const block = (JSON.parse(text) as { data?: { riskSummary?: { block?: string } } }).data
      ?.riskSummary?.block;
    return { block: res.ok && block ? block : null, body: text };
  } catch {
    return { block: null, body: "" };
  }
}

const out = (line: string) => process.stdout.write(`[replicas e2e] ${line}\n`);

const RUN = PG_URL !== undefined && process.env.PERPWATCH_E2E_REPLICAS === "1";
const SKIP_REASON =
  PG_SKIP_REASON || (RUN ? "" : " (skipped: npm run test:replicas runs it, about 1.5 min)");

describe.skipIf(!RUN)(`indexer + two API replicas${SKIP_REASON}`, () => {
  const dir = mkdtempSync(join(tmpdir(), "perpwatch-replicas-"));
  const database = `pw_replicas_${process.pid}`;
  const admin = () => new pg.Client({ connectionString: PG_URL });
  const dbUrl = (() => {
    const u = new URL(PG_URL ?? "postgres://x/y");
    u.pathname = `/${database}`;
    return u.toString();
  })();
  let devnet: RunningDevnet | null = null;
  let indexer: RunningPonder | null = null;
  const replicas: ApiReplica[] = [];
  const workers: AlertsService[] = [];

  afterAll(async () => {
    for (const w of workers) await w.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    await indexer?.stop();
    await devnet?.stop();
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await c.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it("same answers at the same block, every block over SSE, and a replica killed mid-cascade costs the worker no alert", async () => {
    const c = admin();
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${database}`);
    await c.end();

    let tick = 0;
    const blockOfTick = new Map<number, bigint>();
    const manifestPath = join(dir, "manifest.json");
    devnet = await startDevnet(
      {
        protocol: DEVNET_DEFAULTS.protocol,
        port: await freePort(),
        blockTime: BLOCK_TIME,
        scenario: "crash-cascade",
        seed: 42,
        accounts: 40,
        pace: "realtime",
        ticks: 300,
        loop: false,
        manifestPath,
      },
      {
        onTick: (r) => {
          tick = r.tick;
          blockOfTick.set(r.tick, r.blockNumber);
        },
      },
    );
    const env = { PERPWATCH_MANIFEST: manifestPath, PERPWATCH_API_POLL_MS: "50" };
    indexer = await startPonder({
      manifestPath,
      database: { kind: "postgres", url: dbUrl },
      schema: SCHEMA,
      env: { PERPWATCH_POLLING_INTERVAL_MS: "100" },
      logLevel: "warn",
      waitFor: "spawn",
    });
    // The replicas start as soon as the indexer's schema exists (its HTTP server is up).
    await expect
      .poll(
        () =>
          indexer!.status().then(
            () => true,
            () => false,
          ),
        { timeout: 120_000 },
      )
      .toBe(true);
    // A third replica only for subscriptions, looking for new blocks every second: with 0.4 s
    // blocks most of what it pushes must be rebuilt from the reorg log.
    const slowEnv = { ...env, PERPWATCH_API_POLL_MS: "1000" };
    const [r1, r2, r3] = await Promise.all([
      startApiReplica({ databaseUrl: dbUrl, schema: SCHEMA, env }),
      startApiReplica({ databaseUrl: dbUrl, schema: SCHEMA, env }),
      startApiReplica({ databaseUrl: dbUrl, schema: SCHEMA, env: slowEnv }),
      indexer.ready(),
    ]);
    replicas.push(r1!, r2!, r3!);
    out(`indexer and both replicas ready at tick ${tick}`);
    const [{ id: exchange }] = (
      await query<{ exchanges: { id: string }[] }>(`${r2!.url}/graphql`, "{ exchanges { id } }")
    ).exchanges as [{ id: string }];
    // The same subscription on replica 2 and on the indexer's own API: every block on each, and
    // at every block both delivered the same figures (blocks either rebuilt from the reorg log
    // are checked against the other's read of the tables).
    // Ponder says ready once its backfill is done; when it started before the chain had more
    // blocks than its finality depth, that backfill was empty and every block, the exchange's
    // deployment included, is indexed live after it. A subscription opened then answers
    // NOT_READY (the exchange is not indexed yet), as documented: wait for the exchange.
    const summaryQuery = SUMMARY_SSE.replace(/^subscription/, "query");
    for (const url of [indexer.url, r2!.url, r3!.url]) {
      await expect
        .poll(
          () =>
            query(`${url}/graphql`, summaryQuery, { exchange }).then(
              () => true,
              () => false,
            ),
          { timeout: 60_000 },
        )
        .toBe(true);
    }
    out(`exchange indexed on every API at tick ${tick}`);
    const subscribe = (url: string) =>
      new SseSubscription<{ riskSummary: { block: string } }>(`${url}/graphql`, SUMMARY_SSE, {
        exchange,
      });
    const sse = subscribe(r2!.url);
    const sseIndexer = subscribe(indexer.url);
    const sseSlow = subscribe(r3!.url);

    const events: Record<"failover" | "reference", StoredEvent[]> = {
      failover: [],
      reference: [],
    };
    const evaluated: Record<"failover" | "reference", bigint> = { failover: 0n, reference: 0n };
    const failoverBlocks: bigint[] = [];
    /** Wall-clock time of each of the failover worker's block evaluations. */
    const failoverTimes: number[] = [];
    const failoverLog = captureLogger();
    const worker = async (name: "failover" | "reference", urls: string[]) => {
      const config = loadAlertsConfig({
        overrides: {
          api: { url: urls, pollInterval: "100ms" },
          chain: { rpcUrl: devnet!.anvil.rpcUrl },
          store: { kind: "pglite", directory: join(dir, name) },
          digest: { enabled: false },
          localReceiver: { enabled: true, port: 0 },
          rules: RULES,
        },
      });
      const service = createAlertsService(config, {
        print: () => {},
        logger: name === "failover" ? failoverLog.logger : captureLogger().logger,
        onAlertEvent: (e) => events[name].push(e),
        onEvaluated: (path, r) => {
          if (path === "block" && name === "failover") {
            failoverBlocks.push(r.block);
            failoverTimes.push(Date.now());
          }
          if (path === "block" && r.block > evaluated[name]) evaluated[name] = r.block;
        },
      });
      workers.push(service);
      await service.start();
    };
    await worker("failover", [`${r1!.url}/graphql`, `${r2!.url}/graphql`]);
    await worker("reference", [`${indexer.url}/graphql`]);
    const indexed = async () => BigInt((await indexer!.status()).perpwatch?.block.number ?? 0);
    const startBlock = await indexed();
    out(`workers started at tick ${tick}, indexed block ${startBlock}`);

    // Sample until the devnet's last block: equal blocks must mean equal bytes.
    const body = JSON.stringify({ query: ACCOUNTS });
    const compared = [0, 0];
    const mismatches: string[] = [];
    let killBlock: bigint | null = null;
    let killedAt = 0;
    let endBlock: bigint | null = null;
    const replica2Blocks = new Set<number>();
    while (endBlock === null) {
      const at = await indexed();
      if (killBlock !== null && at >= killBlock + BLOCKS_AFTER_KILL) endBlock = at;
      const crash = blockOfTick.get(KILL_AT_TICK);
      if (
        killBlock === null &&
        crash !== undefined &&
        at >= crash &&
        at >= startBlock + KILL_AFTER_START
      ) {
        killBlock = at;
        killedAt = Date.now();
        await r1!.kill();
        out(`killed replica 1 at tick ${tick}, indexed block ${killBlock}`);
      }
      const live = killBlock === null ? [r1!, r2!] : [r2!];
      const [ref, ...others] = await Promise.all(
        [indexer.url, ...live.map((r) => r.url)].map((u) => rawPost(u, body)),
      );
      for (const [i, o] of others.entries()) {
        if (live[i] === r2 && o.block !== null) replica2Blocks.add(Number(o.block));
        if (ref!.block === null || o.block !== ref!.block) continue;
        const which = live[i] === r1 ? 0 : 1;
        compared[which] = compared[which]! + 1;
        if (o.body !== ref!.body) mismatches.push(`replica ${which + 1} at block ${o.block}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const last = endBlock;
    out(`stopped sampling at tick ${tick}; compared up to block ${last}`);
    await expect
      .poll(() => evaluated.failover >= last && evaluated.reference >= last, { timeout: 60_000 })
      .toBe(true);
    for (const feed of [sse, sseIndexer, sseSlow]) {
      await feed.waitFor((e) => BigInt(e.riskSummary.block) >= last);
      await feed.close();
    }

    out(`byte-compared answers: replica 1 ${compared[0]}, replica 2 ${compared[1]}`);
    expect.soft(mismatches).toEqual([]);
    expect.soft(compared[0]).toBeGreaterThanOrEqual(3);
    expect.soft(compared[1]).toBeGreaterThanOrEqual(3);

    // Over SSE, in order, every block: those a poll missed are rebuilt from Ponder's reorg log.
    // Counted from the block indexed when the workers started (the indexer live at the head)
    // or the indexer's own feed's first, whichever is later. Before, a replica may be in the
    // indexer's backfill, which commits blocks in batches (no state of each block ever exists,
    // nor a log to rebuild it from), goes back to the finalized block on entering real time
    // (seen: 16 then 12), and then works through its backlog up to 30 blocks behind the head,
    // where a block is final (its log gone) a second after it was committed (seen: 21 then 31
    // on the replica polling every second).
    const blocksOf = (feed: typeof sse) => feed.received.map((e) => Number(e.riskSummary.block));
    const blocks = blocksOf(sse);
    const indexerBlocks = blocksOf(sseIndexer);
    const countFrom = Math.max(indexerBlocks[0]!, Number(startBlock));
    const steps = (all: number[], ok: (b: number, prev: number) => boolean) => {
      const list = all.filter((b) => b >= countFrom);
      return list.slice(1).flatMap((b, i) => (ok(b, list[i]!) ? [] : [`${list[i]}→${b}`]));
    };
    const gapsOf = (all: number[]) => steps(all, (b, prev) => b === prev + 1);
    out(
      `SSE on the indexer: ${indexerBlocks.length} blocks, ${gapsOf(indexerBlocks).length} skipped (counted from block ${countFrom})`,
    );
    expect.soft(gapsOf(indexerBlocks)).toEqual([]);
    const unpushed = [...replica2Blocks].filter((b) => b >= blocks[0]! && !blocks.includes(b));
    expect.soft(unpushed).toEqual([]);
    // At every block two feeds both pushed, the same figures: the slow replica's are mostly
    // rebuilt, the indexer's mostly read.
    const byBlock = new Map(sseIndexer.received.map((e) => [e.riskSummary.block, e]));
    for (const [name, feed] of [
      ["replica 2", sse],
      ["replica 3 (1 s polls)", sseSlow],
    ] as const) {
      const both = feed.received.filter((e) => byBlock.has(e.riskSummary.block));
      const differing = both.filter(
        (e) => JSON.stringify(byBlock.get(e.riskSummary.block)) !== JSON.stringify(e),
      );
      const own = blocksOf(feed);
      out(
        `SSE on ${name}: ${own.length} blocks ${own[0]}–${own.at(-1)}, ${gapsOf(own).length} skipped; figures compared with the indexer's at ${both.length} blocks, ${differing.length} differ`,
      );
      expect.soft(steps(own, (b, prev) => b > prev)).toEqual([]);
      expect.soft(gapsOf(own)).toEqual([]);
      expect.soft(both.length).toBeGreaterThanOrEqual(20);
      expect.soft(differing.slice(0, 3)).toEqual([]);
    }

    // A recent block asked for by number (X-Perpwatch-Block: rebuilt from the reorg log unless
    // kept): the same figures the indexer's feed pushed at that block.
    const recent = sseIndexer.received.slice(-8);
    const atBlock = await Promise.all(
      recent.map((e) =>
        query(
          `${r2!.url}/graphql`,
          summaryQuery,
          { exchange },
          {
            "x-perpwatch-block": e.riskSummary.block,
          },
        ),
      ),
    );
    const wrongAt = recent.filter((e, i) => JSON.stringify(atBlock[i]) !== JSON.stringify(e));
    out(`X-Perpwatch-Block on replica 2: ${recent.length} recent blocks, ${wrongAt.length} differ`);
    expect.soft(wrongAt.slice(0, 2)).toEqual([]);
    // The worker's whole observation at a past block (what its catch-up asks for): the same
    // from replica 2 and from the indexer's API, at the block asked for.
    const needs = needsOf(
      loadAlertsConfig({ overrides: { rules: RULES, localReceiver: { enabled: true, port: 0 } } })
        .rules,
    );
    const observeAt = (url: string, b: bigint) =>
      createApiSource({ api: createApiClient({ url: `${url}/graphql` }) }).observeAt!(
        exchange,
        needs,
        b,
      );
    const plain = (o: RiskObservation) =>
      JSON.stringify({ ...o, observedAtMs: 0 }, (_, v) => (typeof v === "bigint" ? `${v}` : v));
    for (const e of [recent[1]!, recent[5]!]) {
      const b = BigInt(e.riskSummary.block);
      const [onReplica, onIndexer] = await Promise.all([
        observeAt(r2!.url, b),
        observeAt(indexer.url, b),
      ]);
      out(
        `observation at block ${b}: replica 2 at ${onReplica.block.number}, ${onReplica.topAccounts?.length ?? 0} top accounts, ${onReplica.liquidations?.length ?? 0} liquidations; ${plain(onReplica) === plain(onIndexer) ? "same" : "DIFFERENT"} on the indexer`,
      );
      expect.soft(onReplica.block.number).toBe(b);
      expect.soft(plain(onReplica)).toBe(plain(onIndexer));
    }

    // The failover worker moved to replica 2, and from the kill on raised what the reference did.
    expect
      .soft(failoverLog.lines.some((l) => l.msg.includes(`using ${r2!.url}/graphql`)))
      .toBe(true);
    const after = (list: StoredEvent[]) =>
      list
        .filter((e) => e.block !== null && e.block.number > killBlock! && e.block.number <= last)
        .map((e) => `${e.kind} ${e.fingerprint} ${e.rule} @${e.block!.number}`);
    const all = { got: after(events.failover), want: after(events.reference) };
    const replayed = (xs: string[]) => xs.filter((x) => REPLAYED.has(x.split(" ")[2]!));
    const got = replayed(all.got);
    const want = replayed(all.want);
    out(
      `alert events after the kill: failover ${all.got.length}, reference ${all.want.length}; of the replayed kinds ${got.length} and ${want.length}`,
    );
    const missing = all.want.filter((x) => !all.got.includes(x));
    if (missing.length > 0)
      out(`events the failover worker missed: ${missing.slice(0, 4).join("; ")}`);
    for (const l of failoverLog.lines.filter((x) => x.level >= 40).slice(0, 5))
      out(`failover worker: ${l.msg}`);
    for (const l of failoverLog.lines.filter((x) => x.msg.startsWith("catch-up")).slice(0, 5))
      out(`failover worker: ${l.msg}`);
    const around = failoverBlocks.filter((b) => b >= killBlock! - 3n && b <= killBlock! + 12n);
    out(`failover worker's block evaluations around the kill: ${around.join(", ")}`);
    // The failover's cost: the longest pause between its evaluations from the kill on.
    const since = [killedAt, ...failoverTimes.filter((t) => t > killedAt)];
    const pause = Math.max(...since.slice(1).map((t, i) => t - since[i]!));
    out(`longest pause in the failover worker's evaluations after the kill: ${pause} ms`);
    expect
      .soft(killBlock! < blockOfTick.get(FIRST_GAP_TICK)!, "killed before the crash's first gap")
      .toBe(true);
    expect.soft(want.length).toBeGreaterThan(0);
    expect.soft(new Set(all.got).size).toBe(all.got.length);
    expect.soft(got.sort()).toEqual(want.sort());
    expect([...all.got].sort()).toEqual([...all.want].sort());
  }, 600_000);
});
