/**
 * GraphQL API throughput and latency (issue 6: at 32 concurrent clients, `account` p99 ≤ 25 ms
 * and `riskSummary` p99 ≤ 100 ms on this machine's 2 cores), beside Ponder's generated GraphQL
 * serving the same market and account data from the same process in the same run.
 *
 * The chain is the indexer benchmark's crash-cascade chain (3,500 accounts, saved under
 * .perpwatch/bench/, simulated once if missing), indexed by `ponder start` on PGlite. Each
 * query then runs for `seconds` with autocannon (32 connections, keep-alive) in this process:
 * - `market`: one market with its parameters and funding — ours vs Ponder's `market` row;
 * - `account` with positions: ours (equity and margins computed at the head, positions with
 *   liquidation prices) vs Ponder's `account` row plus its `positions` rows; account ids
 *   rotate over the 1,000 largest accounts, so each is asked about 10–20 times a run: once as
 *   a client sees it (repeats at one block come from the response cache), once with
 *   `Cache-Control: no-cache` (every answer computed);
 * - `riskSummary` (whole exchange), once on the still chain (cached per block), and once with
 *   a new block every second (prices pushed by the oracle keeper), so every second the first
 *   request pays for a new snapshot and its analytics.
 * With nothing else running, the time from a block mined to Ponder having indexed it, and from
 * there to the API answering at it, is timed too; Ponder's trivial `GET /health` gives the
 * floor of its HTTP server under the same load as the queries.
 * The load generator shares the 2 cores with Ponder; figures are what a client sees.
 * `run()` is called by bench/run.ts; the file also runs alone (`npx tsx bench/api.bench.ts`).
 */
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Address } from "viem";
import { createChainClient } from "../devnet/chain.js";
import { writeManifest } from "../devnet/manifest.js";
import { type RunningPonder, startPonder } from "../indexer/runPonder.js";
import { runReplicaBench } from "./apiReplicas.js";
import { BENCH_DIR, loadBenchChain } from "./benchChain.js";
import { PriceFeed } from "./priceFeed.js";
import { printTable } from "./report.js";

export interface ApiBenchOptions {
  accounts: number;
  ticks: number;
  seed: number;
  connections: number;
  /** Seconds per measured run (after a 1-second warm-up). */
  seconds: number;
}

const DEFAULTS: ApiBenchOptions = {
  accounts: 3500,
  ticks: 320,
  seed: 42,
  connections: 32,
  seconds: 10,
};

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}

type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

// autocannon ships no types; its programmatic API is one function returning a promise.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface Scenario {
  name: string;
  server: "perpwatch" | "ponder";
  path: string;
  body: (i: number) => string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
}

async function gql(url: string, body: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return (await res.json()) as { data?: unknown; errors?: unknown[] };
}

async function waitForApiBlock(url: string, block: bigint): Promise<void> {
  for (;;) {
    const r = (await gql(
      `${url}/graphql`,
      JSON.stringify({ query: "{ indexingStatus { indexedBlock } }" }),
    )) as { data?: { indexingStatus: { indexedBlock: string } } };
    const b = r.data?.indexingStatus.indexedBlock;
    if (b !== undefined && BigInt(b) >= block) return;
    await new Promise((res) => setTimeout(res, 200));
  }
}

export async function measure(
  base: string,
  s: Scenario,
  connections: number,
  seconds: number,
): Promise<AutocannonResult> {
  let n = 0;
  const request = (): AutocannonRequest =>
    s.method === "GET"
      ? { method: "GET", path: s.path, headers: {} }
      : {
          method: "POST",
          path: s.path,
          headers: { "content-type": "application/json", ...s.headers },
          setupRequest: (req) => ({ ...req, body: s.body(n++) }),
        };
  await autocannon({ url: base, connections, duration: 1, requests: [request()] }); // warm-up
  return autocannon({ url: base, connections, duration: seconds, requests: [request()] });
}

export async function run(
  options: Partial<ApiBenchOptions> & { replicas?: number } = {},
): Promise<void> {
  // `npm run bench -- api --replicas N`: the replicas behind a load balancer instead.
  if (options.replicas) return runReplicaBench(options.replicas);
  const opts: ApiBenchOptions = { ...DEFAULTS, ...options };
  const { anvil, manifest, chainFile } = await loadBenchChain(opts);
  const runDir = join(BENCH_DIR, `api-run-${process.pid}`);
  let ponder: RunningPonder | null = null;
  try {
    mkdirSync(runDir, { recursive: true });
    const manifestPath = join(runDir, "manifest.json");
    writeManifest(manifestPath, manifest);
    const client = createChainClient(anvil.rpcUrl, manifest.chainId);
    const head = await client.public.getBlockNumber();
    console.log(`\nGraphQL API: indexing ${chainFile} (${head} blocks) …`);
    const started = performance.now();
    ponder = await startPonder({
      manifestPath,
      database: { kind: "pglite", directory: join(runDir, "pglite") },
      logLevel: "warn",
      readyTimeoutMs: 1_800_000,
    });
    await ponder.waitForBlock(head, 600_000);
    await waitForApiBlock(ponder.url, head);
    console.log(`  indexed in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    // Accounts with positions (ids rotate in the account scenarios).
    const list = (await gql(
      `${ponder.url}/graphql`,
      JSON.stringify({
        query:
          '{ accounts(first: 1000, orderBy: NOTIONAL_DESC, filter: { minNotional: "1" }) { totalCount edges { node { id } } } }',
      }),
    )) as { data: { accounts: { totalCount: number; edges: { node: { id: string } }[] } } };
    const ids = list.data.accounts.edges.map((e) => e.node.id);
    const markets = 5;
    console.log(
      `  ${list.data.accounts.totalCount} accounts hold positions; rotating over the ${ids.length} largest`,
    );

    const q = (query: string, variables: Record<string, unknown> = {}) =>
      JSON.stringify({ query, variables });
    const ours = "/graphql";
    const accountQuery = (i: number) =>
      q(
        `query ($id: ID!) { account(id: $id) { id owner collateral equity initialMargin
           maintenanceMargin marginRatio liquidatable
           positions { market { symbol } size entryPrice notional unrealizedPnl liquidationPrice } } }`,
        { id: ids[i % ids.length] },
      );
    const theirs = "/ponder/graphql";
    const scenarios: Scenario[] = [
      {
        // The floor: Ponder's own trivial route on the same HTTP server.
        name: "GET /health (HTTP floor)",
        server: "ponder",
        path: "/health",
        method: "GET",
        body: () => "",
      },
      {
        name: "market",
        server: "perpwatch",
        path: ours,
        body: (i) =>
          q(
            `query ($id: ID!) { market(id: $id) { id symbol price openInterestLong openInterestShort skew
               funding { rateNow velocity index } params { imrMin mmScalar skewScale } } }`,
            { id: String((i % markets) + 1) },
          ),
      },
      {
        name: "market",
        server: "ponder",
        path: theirs,
        body: (i) =>
          q(
            `query ($id: BigInt!) { market(exchange: "reference-31337", marketId: $id) { marketId symbol price sizeLong sizeShort skew
               fundingRate fundingVelocity fundingIndex imrMin mmScalar skewScale } }`,
            { id: String((i % markets) + 1) },
          ),
      },
      {
        name: "account with positions",
        server: "perpwatch",
        path: ours,
        body: accountQuery,
      },
      {
        // Every answer computed: the response cache skipped (Cache-Control: no-cache).
        name: "account with positions, computed",
        server: "perpwatch",
        path: ours,
        body: accountQuery,
        headers: { "cache-control": "no-cache" },
      },
      {
        // The baseline of the plain-query path (api/http/plainQuery.ts), in the same run: a list of
        // accepted types leaves the request to yoga's full HTTP layer (same answer, same type).
        name: "account with positions, computed, yoga HTTP layer",
        server: "perpwatch",
        path: ours,
        body: accountQuery,
        headers: { "cache-control": "no-cache", accept: "application/json, */*" },
      },
      {
        name: "account with positions",
        server: "ponder",
        path: theirs,
        body: (i) =>
          q(
            `query ($id: BigInt!) { account(exchange: "reference-31337", accountId: $id) { accountId owner collateral openMarkets }
               positions(where: { exchange: "reference-31337", accountId: $id }) { items { marketId size lastPrice lastFundingIndex } } }`,
            { id: ids[i % ids.length] },
          ),
      },
      {
        name: "riskSummary",
        server: "perpwatch",
        path: ours,
        body: () =>
          q(
            `{ riskSummary { block openInterestUsd accountsWithPositions accountsAtRisk
               liquidatableWithin { pct1 pct3 pct5 pct10 } insuranceFund pendingBadDebt
               amplificationAt10 adlLikely maxAbsFundingRate } }`,
          ),
      },
    ];
    // Every query answers without errors before it is measured.
    for (const s of scenarios) {
      if (s.method === "GET") continue;
      const r = await gql(`${ponder.url}${s.path}`, s.body(0));
      if (r.errors?.length || !r.data) {
        throw new Error(`${s.server} ${s.name}: ${JSON.stringify(r.errors)}`);
      }
    }

    const rows: string[][] = [
      ["query", "server", "req/s", "p50 ms", "p99 ms", "target", "non-2xx / errors"],
    ];
    const add = (name: string, server: string, r: AutocannonResult, target = "") =>
      rows.push([
        name,
        server,
        r.requests.average.toFixed(0),
        r.latency.p50.toFixed(1),
        r.latency.p99.toFixed(1),
        target,
        `${r.non2xx} / ${r.errors + r.timeouts}`,
      ]);
    const measured = new Map<string, AutocannonResult>();
    for (const s of scenarios) {
      const r = await measure(ponder.url, s, opts.connections, opts.seconds);
      if (s.server === "perpwatch") measured.set(s.name, r);
      const target =
        s.server !== "perpwatch"
          ? ""
          : s.name.startsWith("account") && !s.name.endsWith("yoga HTTP layer")
            ? "p99 ≤ 25"
            : s.name === "riskSummary"
              ? "p99 ≤ 100"
              : "";
      const server =
        s.method === "GET"
          ? "Ponder (same server)"
          : s.server === "perpwatch"
            ? "Perpwatch /graphql"
            : "Ponder /ponder/graphql";
      add(s.name, server, r, target);
      process.stdout.write(`  ${s.name} (${s.server}): ${r.requests.average.toFixed(0)} req/s\n`);
    }

    // A new block every second: the first riskSummary of each block rebuilds the snapshot and
    // its analytics; the account query is measured under the same churn.
    const oracle = manifest.contracts.oracle as Address;
    const prices = new PriceFeed(anvil.rpcUrl, manifest.chainId, oracle, markets);
    {
      const feed = prices.everySecond();
      const riskSummary = scenarios.find((s) => s.name === "riskSummary")!;
      const r1 = await measure(ponder.url, riskSummary, opts.connections, opts.seconds);
      add("riskSummary, 1 block/s", "Perpwatch /graphql", r1, "p99 ≤ 100");
      for (const name of ["account with positions", "account with positions, computed"]) {
        const account = scenarios.find((s) => s.name === name && s.server === "perpwatch")!;
        const r2 = await measure(ponder.url, account, opts.connections, opts.seconds);
        add(`${name}, 1 block/s`, "Perpwatch /graphql", r2, "p99 ≤ 25");
      }
      const blocks = await feed.stop();
      process.stdout.write(`  live runs: ${blocks} new blocks\n`);
    }
    // Freshness: from a block mined (prices pushed) to Ponder having indexed it (its polling
    // interval, 1 s by default, and the indexing), and from there to the API answering
    // riskSummary at it (reading what changed, every account's health, the summary). Nothing
    // else runs meanwhile.
    const indexedMs: number[] = [];
    const servedMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const headNow = await prices.push();
      const mined = performance.now();
      await ponder.waitForBlock(headNow);
      const indexed = performance.now();
      for (;;) {
        const r = (await gql(
          `${ponder.url}/graphql`,
          scenarios.find((s) => s.name === "riskSummary")!.body(0),
        )) as { data?: { riskSummary: { block: string } } };
        if (r.data && BigInt(r.data.riskSummary.block) >= headNow) break;
        await new Promise((res) => setTimeout(res, 5));
      }
      indexedMs.push(indexed - mined);
      servedMs.push(performance.now() - indexed);
      await new Promise((res) => setTimeout(res, 500));
    }

    printTable(
      `GraphQL API at ${opts.connections} concurrent clients, ${opts.seconds} s each (crash-cascade, ${opts.accounts} accounts, PGlite)`,
      rows,
    );
    const plain = measured.get("account with positions, computed")!;
    const full = measured.get("account with positions, computed, yoga HTTP layer")!;
    console.log(
      `  computed account, plain path / yoga's HTTP layer: ${(plain.requests.average / full.requests.average).toFixed(2)}× req/s, p99 ${plain.latency.p99} / ${full.latency.p99} ms`,
    );
    const ms = (xs: number[]) => xs.map((t) => `${t.toFixed(0)}`).join(", ");
    console.log(`  new block → indexed by Ponder (polling + indexing): ${ms(indexedMs)} ms`);
    console.log(
      `  indexed → riskSummary served at it (changes read, every account's health, summary): ${ms(servedMs)} ms`,
    );
  } finally {
    await ponder?.stop();
    await anvil.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
