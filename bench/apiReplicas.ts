/**
 * `npm run bench -- api --replicas 2`: the computed account query (every answer computed, the
 * response cache skipped) against one API replica, and against N replicas behind a load
 * balancer, in one run — the production path (README: Production) on this machine.
 *
 * Setup: the API bench's 600-account crash-cascade chain (simulated once, saved), indexed by
 * `ponder start` into PostgreSQL (PERPWATCH_TEST_PG or DATABASE_URL; a database of its own,
 * dropped after); N `perpwatch serve` replicas over it; Caddy in front (the binary on PATH,
 * Debian's `caddy` package: the load balancer docker-compose.yml runs, with the same health
 * checks), once over all N and once over replica 1 alone (what the balancer itself costs).
 * autocannon (32 connections) shares the machine's cores with everything, so on 2 cores the
 * ratio between the rows says more than the figures.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { createChainClient } from "../devnet/chain.js";
import { writeManifest } from "../devnet/manifest.js";
import { type RunningPonder, startPonder } from "../indexer/runPonder.js";
import { childExited, killOnExit, stopChild } from "../runtime/childProcess.js";
import { freePort } from "../runtime/freePort.js";
import { type ApiReplica, startApiReplica } from "../test/api/support/apiReplica.js";
import { type AutocannonResult, measure } from "./api.bench.js";
import { BENCH_DIR, loadBenchChain } from "./benchChain.js";
import { printTable } from "./report.js";

const CHAIN = { accounts: 600, ticks: 300, seed: 42 };
const CONNECTIONS = 32;
const SECONDS = 10;

/** Caddy over `upstreams` on a free port; resolves once it answers. */
async function startCaddy(dir: string, name: string, upstreams: string[]) {
  const port = await freePort();
  const file = join(dir, `${name}.Caddyfile`);
  writeFileSync(
    file,
    `{\n\tadmin off\n\tauto_https off\n}\n:${port} {\n\treverse_proxy ${upstreams.join(" ")} {\n\t\tlb_policy least_conn\n\t\tlb_try_duration 5s\n\t\thealth_uri /ready\n\t\thealth_interval 2s\n\t\tflush_interval -1\n\t}\n}\n`,
  );
  const child: ChildProcess = spawn("caddy", ["run", "--config", file, "--adapter", "caddyfile"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  killOnExit(child);
  const exited = childExited(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`caddy exited (${await exited})`);
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (i > 300) throw new Error("caddy did not answer within 30 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => stopChild(child, 5000) };
}

export async function runReplicaBench(replicaCount: number): Promise<void> {
  const pgUrl = process.env.PERPWATCH_TEST_PG || process.env.DATABASE_URL;
  if (!pgUrl) {
    console.log("api --replicas: needs PostgreSQL: set PERPWATCH_TEST_PG (source .ci/postgres.sh)");
    return;
  }
  if (spawnSync("caddy", ["version"]).status !== 0) {
    console.log("api --replicas: needs Caddy on PATH (apt-get install caddy)");
    return;
  }
  const { anvil, manifest, chainFile } = await loadBenchChain(CHAIN);
  const runDir = join(BENCH_DIR, `api-replicas-${process.pid}`);
  const database = `pw_bench_replicas_${process.pid}`;
  const dbUrl = Object.assign(new URL(pgUrl), { pathname: `/${database}` }).toString();
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  let indexer: RunningPonder | null = null;
  const replicas: ApiReplica[] = [];
  const balancers: { stop(): Promise<unknown> }[] = [];
  try {
    mkdirSync(runDir, { recursive: true });
    await admin(`CREATE DATABASE ${database}`);
    const manifestPath = join(runDir, "manifest.json");
    writeManifest(manifestPath, manifest);
    const head = await createChainClient(anvil.rpcUrl, manifest.chainId).public.getBlockNumber();
    console.log(`\nAPI replicas: indexing ${chainFile} (${head} blocks) into PostgreSQL …`);
    indexer = await startPonder({
      manifestPath,
      database: { kind: "postgres", url: dbUrl },
      schema: "pw_bench",
      logLevel: "warn",
      readyTimeoutMs: 1_800_000,
    });
    await indexer.waitForBlock(head, 600_000);
    for (let i = 0; i < replicaCount; i++) {
      replicas.push(
        await startApiReplica({
          databaseUrl: dbUrl,
          schema: "pw_bench",
          env: { PERPWATCH_MANIFEST: manifestPath },
        }),
      );
    }
    const all = await startCaddy(
      runDir,
      "all",
      replicas.map((r) => new URL(r.url).host),
    );
    balancers.push(all);
    const one = await startCaddy(runDir, "one", [new URL(replicas[0]!.url).host]);
    balancers.push(one);

    const list = (await (
      await fetch(`${replicas[0]!.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query:
            '{ accounts(first: 1000, orderBy: NOTIONAL_DESC, filter: { minNotional: "1" }) { edges { node { id } } } }',
        }),
      })
    ).json()) as { data: { accounts: { edges: { node: { id: string } }[] } } };
    const ids = list.data.accounts.edges.map((e) => e.node.id);
    const scenario = {
      name: "account with positions, computed",
      server: "perpwatch" as const,
      path: "/graphql",
      headers: { "cache-control": "no-cache" },
      body: (i: number) =>
        JSON.stringify({
          query: `query ($id: ID!) { account(id: $id) { id owner collateral equity initialMargin
             maintenanceMargin marginRatio liquidatable
             positions { market { symbol } size entryPrice notional unrealizedPnl liquidationPrice } } }`,
          variables: { id: ids[i % ids.length] },
        }),
    };
    const rows: string[][] = [["target", "req/s", "p50 ms", "p99 ms", "non-2xx / errors"]];
    const results: AutocannonResult[] = [];
    const targets: [string, string][] = [
      ["1 replica, direct", replicas[0]!.url],
      ["1 replica behind Caddy", one.url],
      [`${replicaCount} replicas behind Caddy`, all.url],
    ];
    for (const [name, url] of targets) {
      const r = await measure(url, scenario, CONNECTIONS, SECONDS);
      results.push(r);
      rows.push([
        name,
        r.requests.average.toFixed(0),
        r.latency.p50.toFixed(1),
        r.latency.p99.toFixed(1),
        `${r.non2xx} / ${r.errors + r.timeouts}`,
      ]);
      process.stdout.write(`  ${name}: ${r.requests.average.toFixed(0)} req/s\n`);
    }
    printTable(
      `Computed account query, ${CONNECTIONS} connections, ${SECONDS} s each (${CHAIN.accounts} accounts, PostgreSQL, ${replicaCount} perpwatch serve replicas, Caddy ${spawnSync("caddy", ["version"]).stdout.toString().split(" ")[0]?.trim()})`,
      rows,
    );
    console.log(
      `  ${replicaCount} replicas behind Caddy / 1 replica direct: ${(results[2]!.requests.average / results[0]!.requests.average).toFixed(2)}× req/s; / 1 behind Caddy: ${(results[2]!.requests.average / results[1]!.requests.average).toFixed(2)}×`,
    );
  } finally {
    for (const b of balancers) await b.stop();
    await Promise.all(replicas.map((r) => r.stop()));
    await indexer?.stop();
    await anvil.stop();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  }
}
