/**
 * The API under an analytics burst (issue 21): 200 concurrent uncached heavy analytics queries
 * (VaR, stress grids, 2,001-bin ladders, cascades — every one with parameters of its own, so
 * nothing is shared or replayed) while a steady 50 req/s of a plain `markets` query and 50 req/s
 * of `GET /health` run from a second before the burst until a second after it. Reported: the
 * heavy queries' outcomes (served, shed with 429, past the deadline with 503, other) and latency,
 * and the light requests' p50/p99/max over every burst pooled, and their p99 burst by burst
 * (target: p99 ≤ 50 ms).
 *
 * Four modes in one run, on four Ponders indexing the same saved chain (crash-cascade, 600
 * accounts): admission control as configured by default (one analytics worker thread, queue of
 * 32, 10 s deadline, refusals at the front door), the same queue with its jobs on Ponder's
 * thread (`PERPWATCH_API_ANALYTICS_WORKERS=0`), admission off (`PERPWATCH_API_ADMISSION=0`:
 * every analytics query computed at once on Ponder's thread, the behaviour before), and
 * admission without the front door (`PERPWATCH_API_FRONT_DOOR=0`: refusals made by the route,
 * inside Ponder's HTTP stack). Then, on the first Ponder, the same burst shape made of 200
 * `GET /health` (answered at the front door), and below Ponder, the same burst and light load
 * against a bare `node:http` server (httpFloorServer.ts).
 *
 * Fairness between modes: each API gets one burst first that is not counted (cold code, the
 * analytics worker starting), each burst waits for quiet cores (quietCpu.ts), the burst's process is
 * started before the light load and stopped after the window (overloadBurst.ts), and this
 * process's HTTP client is warmed on every Ponder before the first measurement (the first mode
 * measured had been the worst in every order). The light requests are sent and timed by this
 * process, the burst by a child process, all on the same 2 cores as the server.
 * `npm run bench -- api-overload`; `PERPWATCH_BENCH_MODES=0,3` measures only those modes
 * (indexes into `MODES`), `PERPWATCH_BENCH_REPEAT=5` bursts per mode (default 3),
 * `PERPWATCH_BENCH_BURST=33` sends that many heavy queries, `PERPWATCH_BENCH_BURST_NICE=19` runs
 * the burst's process at low priority (overloadBurst.ts).
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createChainClient } from "../devnet/chain.js";
import { writeManifest } from "../devnet/manifest.js";
import { type RunningPonder, startPonder } from "../indexer/runPonder.js";
import { BENCH_DIR, loadBenchChain } from "./benchChain.js";
import { envInteger } from "./envInteger.js";
import { startHttpFloorServer } from "./httpFloorServer.js";
import {
  type BurstRequest,
  post,
  startBurstChild,
  type Timed,
  timedFetch,
} from "./overloadBurst.js";
import { waitForQuietCpu } from "./quietCpu.js";
import { percentile, printTable } from "./report.js";

export interface OverloadBenchOptions {
  accounts: number;
  ticks: number;
  seed: number;
  /** Heavy queries sent at once. */
  burst: number;
  /** Light requests per second, of each kind. */
  lightRate: number;
  /** Bursts measured per mode (each with queries of its own), their samples pooled. */
  repeat: number;
}

const DEFAULTS: OverloadBenchOptions = {
  accounts: 600,
  ticks: 300,
  seed: 42,
  burst: envInteger("PERPWATCH_BENCH_BURST", 1, 10_000, 200),
  lightRate: 50,
  repeat: envInteger("PERPWATCH_BENCH_REPEAT", 1, 100, 3),
};

const MODES = [
  { name: "admission, 1 worker thread, queue 32", env: {} },
  {
    name: "admission, no worker (jobs on Ponder's thread)",
    env: { PERPWATCH_API_ANALYTICS_WORKERS: "0" },
  },
  { name: "admission off (before)", env: { PERPWATCH_API_ADMISSION: "0" } },
  {
    name: "admission, no front door (refusals in Ponder's stack)",
    env: { PERPWATCH_API_FRONT_DOOR: "0" },
  },
] as const;

/** The i-th heavy query: four kinds in turn, each with parameters no other query shares. */
function heavyQuery(i: number, markets: number): string {
  const m = (i % markets) + 1;
  switch (i % 4) {
    case 0:
      return `{ varLar(paths: ${5000 + i}, seed: ${i}) { block badDebtVar99 } }`;
    case 1: {
      const shocks = Array.from({ length: 40 }, (_, k) => (-0.5 + k * 0.025 + i * 1e-6).toFixed(7));
      return `{ stress(shocks: [${shocks.join(", ")}]) { block points { shock badDebt } } }`;
    }
    case 2:
      return `{ liquidationLadder(marketId: "${m}", range: ${(0.5 - i * 1e-6).toFixed(6)}, step: 0.0005) { block atMark { accounts } } }`;
    default:
      return `{ cascade(shock: { move: ${(-0.1 - i * 1e-5).toFixed(5)} }, maxRounds: 50) { block badDebt } }`;
  }
}

interface ModeResult {
  heavy: Timed[];
  health: Timed[];
  markets: Timed[];
  burstMs: number;
}

/**
 * The `rep`-th burst of heavy analytics queries (uncached: every one asks to be computed, with
 * parameters no earlier burst used).
 */
function heavyBurst(
  base: string,
  opts: OverloadBenchOptions,
  markets: number,
  rep: number,
): BurstRequest[] {
  return Array.from({ length: opts.burst }, (_, i) => ({
    url: `${base}/graphql`,
    init: post(heavyQuery(rep * opts.burst + i, markets), { "cache-control": "no-cache" }),
  }));
}

/** The same number of requests that cost the server almost nothing: the HTTP layer's floor. */
function healthBurst(base: string, opts: OverloadBenchOptions, _rep: number): BurstRequest[] {
  return Array.from({ length: opts.burst }, () => ({ url: `${base}/health` }));
}

async function burst(
  base: string,
  opts: OverloadBenchOptions,
  requests: readonly BurstRequest[],
): Promise<ModeResult> {
  const child = await startBurstChild();
  const health: Timed[] = [];
  const marketRows: Timed[] = [];
  const inFlight: Promise<void>[] = [];
  // Open loop: a light request every 1000/rate ms whatever the others are doing.
  const tick = setInterval(() => {
    inFlight.push(timedFetch(`${base}/health`).then((t) => void health.push(t)));
    inFlight.push(
      timedFetch(`${base}/graphql`, post("{ markets { id symbol price openInterestLong } }")).then(
        (t) => void marketRows.push(t),
      ),
    );
  }, 1000 / opts.lightRate);
  // One second of light load alone, then the burst.
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = performance.now();
  const heavy = await child.fire(requests);
  const burstMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 1000));
  clearInterval(tick);
  await Promise.all(inFlight);
  child.stop();
  return { heavy, health, markets: marketRows, burstMs };
}

/** Light requests sent a few hundred times (discarded), so the client's code is optimized. */
async function warmLightClient(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await Promise.all([
      timedFetch(`${base}/health`),
      timedFetch(`${base}/graphql`, post("{ markets { id symbol price openInterestLong } }")),
    ]);
  }
}

function p99Of(xs: readonly Timed[]): number {
  return percentile(
    xs.map((x) => x.ms).sort((a, b) => a - b),
    0.99,
  );
}

function latencyRow(name: string, mode: string, xs: Timed[], perBurst: string): string[] {
  const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
  const bad = xs.filter((x) => x.status !== 200).length;
  return [
    name,
    mode,
    String(xs.length),
    percentile(ms, 0.5).toFixed(1),
    percentile(ms, 0.99).toFixed(1),
    (ms.at(-1) ?? Number.NaN).toFixed(0),
    String(bad),
    perBurst,
  ];
}

function outcomes(heavy: Timed[]): string {
  const count = (f: (t: Timed) => boolean) => heavy.filter(f).length;
  const served = count((t) => t.status === 200 && t.code === null);
  const shed = count((t) => t.status === 429);
  const expired = count((t) => t.status === 503);
  const other = heavy.length - served - shed - expired;
  const kinds = new Map<string, number>();
  for (const t of heavy) {
    if ((t.status === 200 && t.code === null) || t.status === 429 || t.status === 503) continue;
    const k = `${t.status} ${t.code ?? ""}`.trim();
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  const which = [...kinds].map(([k, n]) => `${n}× ${k}`).join(", ");
  return `served ${served}, shed 429 ${shed}, deadline 503 ${expired}, other ${other}${which ? ` (${which})` : ""}`;
}

/** The modes to measure: all, or those whose index `PERPWATCH_BENCH_MODES` lists (`0,2`). */
function chosenModes(): readonly (typeof MODES)[number][] {
  const pick = process.env.PERPWATCH_BENCH_MODES;
  if (!pick) return MODES;
  return pick.split(",").map((k) => {
    const mode = MODES[Number(k)];
    if (!mode)
      throw new Error(
        `PERPWATCH_BENCH_MODES: no mode ${k}; expected indexes 0–${MODES.length - 1}`,
      );
    return mode;
  });
}

export async function run(opts: OverloadBenchOptions = DEFAULTS): Promise<void> {
  const modes = chosenModes();
  const { anvil, manifest, chainFile } = await loadBenchChain(opts);
  const runDir = join(BENCH_DIR, `api-overload-run-${process.pid}`);
  const ponders: RunningPonder[] = [];
  try {
    mkdirSync(runDir, { recursive: true });
    const manifestPath = join(runDir, "manifest.json");
    writeManifest(manifestPath, manifest);
    const head = await createChainClient(anvil.rpcUrl, manifest.chainId).public.getBlockNumber();
    console.log(`\nAPI overload: indexing ${chainFile} (${head} blocks) ${modes.length} times …`);
    for (const [k, mode] of modes.entries()) {
      ponders.push(
        await startPonder({
          manifestPath,
          database: { kind: "pglite", directory: join(runDir, `pglite-${k}`) },
          logLevel: "error",
          readyTimeoutMs: 1_800_000,
          env: { ...mode.env },
        }),
      );
    }
    for (const p of ponders) await p.waitForBlock(head, 900_000);
    const markets = manifest.markets.length;
    const rows: string[][] = [
      ["requests", "API", "count", "p50 ms", "p99 ms", "max ms", "non-200", "p99 per burst ms"],
    ];
    const summaries: string[] = [];
    const measure = async (
      name: string,
      burstName: string,
      base: string,
      requestsOf: (rep: number) => BurstRequest[],
    ) => {
      // Warm: the block's snapshot and position store are loaded before the burst, and every
      // Ponder of the run has finished its own work (a Ponder still writing after its backfill
      // would take the cores from the one measured).
      await timedFetch(`${base}/graphql`, post("{ riskSummary { block } markets { id } }"));
      // One burst first, not counted: the first after start runs cold code (the interpreter
      // before the JIT's optimized code) and starts the analytics worker.
      const runs: ModeResult[] = [];
      for (let rep = 0; rep <= opts.repeat; rep++) {
        await waitForQuietCpu();
        const r = await burst(base, opts, requestsOf(rep));
        if (rep > 0) runs.push(r);
      }
      const all = (f: (r: ModeResult) => Timed[]) => runs.flatMap(f);
      const eachP99 = (f: (r: ModeResult) => Timed[]) =>
        runs.map((r) => p99Of(f(r)).toFixed(0)).join(" / ");
      rows.push(
        latencyRow(
          `GET /health`,
          name,
          all((r) => r.health),
          eachP99((r) => r.health),
        ),
      );
      rows.push(
        latencyRow(
          `markets query`,
          name,
          all((r) => r.markets),
          eachP99((r) => r.markets),
        ),
      );
      rows.push(
        latencyRow(
          burstName,
          name,
          all((r) => r.heavy),
          "",
        ),
      );
      const heavyMs = all((r) => r.heavy)
        .map((t) => t.ms)
        .sort((a, b) => a - b);
      const seconds = runs.map((r) => (r.burstMs / 1000).toFixed(1)).join(", ");
      summaries.push(
        `  ${name}: ${runs.length} × ${opts.burst} ${burstName} (${seconds} s) — ${outcomes(all((r) => r.heavy))}; p50 ${percentile(heavyMs, 0.5).toFixed(0)} ms, p99 ${percentile(heavyMs, 0.99).toFixed(0)} ms`,
      );
      process.stdout.write(`${summaries.at(-1)}\n`);
    };
    // This process's own HTTP client, warm before the first measurement as before the others.
    for (const p of ponders) await warmLightClient(p.url);
    for (const [k, mode] of modes.entries()) {
      const base = ponders[k]!.url;
      await measure(mode.name, "heavy analytics", base, (rep) =>
        heavyBurst(base, opts, markets, rep),
      );
    }
    // The floor: as many requests at once that cost nothing but their HTTP handling.
    const base = ponders[0]!.url;
    await measure(`${modes[0]!.name}, burst of /health`, "GET /health burst", base, (rep) =>
      healthBurst(base, opts, rep),
    );
    // Below Ponder: Node's own HTTP server, same burst, same light load, same cores.
    const floor = await startHttpFloorServer();
    try {
      await measure("node:http alone (no Ponder), burst of GET", "GET burst", floor.url, (rep) =>
        healthBurst(floor.url, opts, rep),
      );
    } finally {
      floor.stop();
    }
    printTable(
      `API under ${opts.burst} concurrent uncached analytics queries, light load ${opts.lightRate} req/s each of /health and markets (crash-cascade, ${opts.accounts} accounts, PGlite)`,
      rows,
    );
    for (const s of summaries) console.log(s);
  } finally {
    await Promise.all(ponders.map((p) => p.stop()));
    await anvil.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
