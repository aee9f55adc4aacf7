/**
 * Indexer backfill throughput (issue 4: target ≥ 0.8 × a bare Ponder app's), on a
 * crash-cascade chain of more than 50,000 logs.
 *
 * The baseline is a Ponder app with the same chain and contracts whose handlers only store
 * each raw log (bench/baseline/, run from a copy under .perpwatch/ because Ponder writes its
 * generated files into the app's root). Both apps run one after the other in this process
 * against the same anvil:
 * - cold (PGlite, a fresh database per app): the backfill a user runs — every block fetched
 *   over JSON-RPC, decoded, indexed and written;
 * - warm (PGlite, then PostgreSQL when PERPWATCH_BENCH_PG names a database for benchmarks):
 *   a new schema on a database whose RPC cache is full, so the figure is the indexing alone
 *   (handlers, store calls, flushes). Repeated and alternated, medians shown.
 * Events/s = logs indexed during the backfill (the indexer's block-end events, one per block,
 * are not counted) / Ponder's own backfill duration (its log line
 * "Completed backfill indexing"); events/CPU-s uses the Ponder process's CPU time over the
 * same span instead, which other load on the machine barely moves. The chain is simulated
 * once (minutes) and saved under .perpwatch/bench/, then loaded (seconds). `run()` is called
 * by bench/run.ts; the file also runs alone (`npx tsx bench/indexer.bench.ts`).
 */
import { cpSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeManifest } from "../devnet/manifest.js";
import {
  type PonderDatabase,
  REPO_ROOT,
  type RunningPonder,
  startPonder,
} from "../indexer/runPonder.js";
import { BENCH_DIR, loadBenchChain } from "./benchChain.js";
import { printTable } from "./report.js";

export interface IndexerBenchOptions {
  /** A registered protocol (default: the reference exchange; `--protocol curie`). */
  protocol?: string;
  accounts: number;
  ticks: number;
  seed: number;
  /** Which runs: cold (RPC fetch included), warm (RPC cache), or both. */
  modes: readonly ("cold" | "warm")[];
  /** Warm runs of each app, alternated; the table shows medians (this machine is shared). */
  warmRepeats: number;
  /**
   * Also run on this PostgreSQL (a database for benchmarks only: Ponder's RPC cache in it is
   * keyed by chain id, and the benchmark chain is anvil's 31337). Default: PERPWATCH_BENCH_PG.
   */
  postgresUrl?: string;
}

const DEFAULTS: IndexerBenchOptions = {
  accounts: 3500,
  ticks: 320,
  seed: 42,
  modes: ["cold", "warm"],
  warmRepeats: 3,
  postgresUrl: process.env.PERPWATCH_BENCH_PG || undefined,
};

interface Figures {
  events: number;
  backfillMs: number;
  /** CPU time of the Ponder process during the backfill (insensitive to other load). */
  backfillCpuMs: number;
  wallMs: number;
  rssMiB: number;
}

const BASELINE_COPY = join(REPO_ROOT, ".perpwatch", "bench-baseline");

function prepareBaselineApp(): string {
  rmSync(BASELINE_COPY, { recursive: true, force: true });
  mkdirSync(BASELINE_COPY, { recursive: true });
  cpSync(join(REPO_ROOT, "bench", "baseline"), BASELINE_COPY, { recursive: true });
  // The same Vite settings as the indexer's (no file watcher under `ponder start`).
  cpSync(join(REPO_ROOT, "vite.config.ts"), join(BASELINE_COPY, "vite.config.ts"));
  return BASELINE_COPY;
}

async function blockNumber(rpcUrl: string): Promise<bigint> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
  });
  return BigInt(((await res.json()) as { result: string }).result);
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU of a process so far, ms (Linux; NaN elsewhere). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

async function indexOnce(
  label: string,
  opts: { root?: string; manifestPath: string; database: PonderDatabase; schema: string },
): Promise<Figures> {
  let events = 0;
  let backfillMs = Number.NaN;
  let cpuAtStart = Number.NaN;
  let cpuAtEnd = Number.NaN;
  const started = performance.now();
  let pid = -1;
  let ponder: RunningPonder | null = null;
  try {
    ponder = await startPonder({
      root: opts.root,
      manifestPath: opts.manifestPath,
      database: opts.database,
      schema: opts.schema,
      waitFor: "spawn",
      onLog: (line) => {
        if (line.includes('"Indexed block range"')) {
          events += Number(/"event_count":(\d+)/.exec(line)?.[1] ?? 0);
        } else if (line.includes('"Started backfill indexing"')) {
          cpuAtStart = cpuMsOf(pid);
        } else if (line.includes('"Completed backfill indexing')) {
          cpuAtEnd = cpuMsOf(pid);
          backfillMs = Number(/"duration":([\d.]+)/.exec(line)?.[1] ?? Number.NaN);
        }
      },
    });
    pid = ponder.pid;
    await ponder.ready(1_800_000);
    // `/ready` can answer before Ponder's "Completed backfill" line has been read.
    for (let waited = 0; Number.isNaN(backfillMs) && waited < 10_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const wallMs = performance.now() - started;
    const rssMiB = rssOf(ponder.pid);
    const backfillCpuMs = cpuAtEnd - cpuAtStart;
    process.stdout.write(
      `  ${label}: ${events} events, backfill ${(backfillMs / 1000).toFixed(1)} s ` +
        `(${(backfillCpuMs / 1000).toFixed(1)} CPU-s)\n`,
    );
    return { events, backfillMs, backfillCpuMs, wallMs, rssMiB };
  } finally {
    await ponder?.stop();
  }
}

/** Chain sizes per protocol: Curie's simulator sends fewer, richer transactions per block. */
const PROTOCOL_DEFAULTS: Record<string, Partial<IndexerBenchOptions>> = {
  curie: { accounts: 300, ticks: 320, warmRepeats: 3 },
};

export async function run(given: Partial<IndexerBenchOptions> = {}): Promise<void> {
  const opts: IndexerBenchOptions = {
    ...DEFAULTS,
    ...(given.protocol ? PROTOCOL_DEFAULTS[given.protocol] : {}),
    ...given,
  };
  const { anvil, manifest, chainFile } = await loadBenchChain(opts);
  const runDir = join(BENCH_DIR, `run-${process.pid}`);
  try {
    mkdirSync(runDir, { recursive: true });
    const manifestPath = join(runDir, "manifest.json");
    writeManifest(manifestPath, manifest);
    const head = await blockNumber(anvil.rpcUrl);
    const baselineRoot = prepareBaselineApp();
    console.log(
      `\nindexer backfill (${manifest.protocol ?? "reference"}): chain of ${head} blocks (${chainFile})`,
    );
    const results: Record<string, { baseline: Figures[]; perpwatch: Figures[] }> = {};
    const stamp = Date.now().toString(36);
    // PGlite: the cold run fills a database per app; each warm run gets a fresh copy of it,
    // so every warm run starts from the same database (an app's earlier runs would otherwise
    // pile up in it, and a bigger database is a slower one).
    const pgliteDir = (app: string) => join(runDir, `pglite-${app}`);
    const databases: [string, (app: string, mode: string) => PonderDatabase][] = [
      [
        "PGlite",
        (app, mode) => {
          if (mode !== "warm") return { kind: "pglite", directory: pgliteDir(app) };
          const copy = `${pgliteDir(app)}-warm`;
          rmSync(copy, { recursive: true, force: true });
          cpSync(pgliteDir(app), copy, { recursive: true });
          return { kind: "pglite", directory: copy };
        },
      ],
    ];
    if (opts.postgresUrl) {
      const url = opts.postgresUrl;
      databases.push(["PostgreSQL", () => ({ kind: "postgres", url })]);
    }
    for (const [dbName, database] of databases) {
      // Warm runs need the RPC cache filled first. PGlite: one database per app, each filled
      // by its cold run. PostgreSQL: one database, so the cache is shared; it is filled once
      // and there is no fair cold comparison.
      const shared = dbName === "PostgreSQL";
      const passes: ("fill" | "cold" | "warm")[] = [];
      if (shared || !opts.modes.includes("cold")) passes.push("fill");
      if (!shared && opts.modes.includes("cold")) passes.push("cold");
      if (opts.modes.includes("warm")) {
        for (let i = 0; i < opts.warmRepeats; i++) passes.push("warm");
      }
      for (const [i, mode] of passes.entries()) {
        const key = `${dbName} ${mode}`;
        const base = await indexOnce(`${key} baseline`, {
          root: baselineRoot,
          manifestPath,
          database: database("baseline", mode),
          schema: `bench_base_${i}_${stamp}`,
        });
        if (shared && mode === "fill") continue;
        const pw = await indexOnce(`${key} perpwatch`, {
          manifestPath,
          database: database("perpwatch", mode),
          schema: `bench_pw_${i}_${stamp}`,
        });
        // Ponder's counts include the indexer's block-end events (one per block): both rates
        // are of the same logs, the baseline's count.
        if (pw.events < base.events) {
          throw new Error(
            `perpwatch indexed ${pw.events} events, fewer than the ${base.events} logs`,
          );
        }
        pw.events = base.events;
        if (mode === "fill") continue;
        results[key] ??= { baseline: [], perpwatch: [] };
        results[key].baseline.push(base);
        results[key].perpwatch.push(pw);
      }
    }
    const rate = (f: Figures) => f.events / (f.backfillMs / 1000);
    const cpuRate = (f: Figures) => f.events / (f.backfillCpuMs / 1000);
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const rows: string[][] = [
      [
        "run",
        "events",
        "backfill s",
        "events/s",
        "events/CPU-s",
        "to ready s",
        "peak RSS MiB",
        "ratio",
        "CPU ratio",
      ],
    ];
    for (const [key, { baseline, perpwatch }] of Object.entries(results)) {
      const runs = baseline.length > 1 ? ` (median of ${baseline.length})` : "";
      const pick = (fs: Figures[]) => ({
        events: fs[0]!.events,
        seconds: median(fs.map((f) => f.backfillMs / 1000)),
        rate: median(fs.map(rate)),
        cpuRate: median(fs.map(cpuRate)),
        ready: median(fs.map((f) => f.wallMs / 1000)),
        rss: median(fs.map((f) => f.rssMiB)),
      });
      const b = pick(baseline);
      const p = pick(perpwatch);
      for (const [name, f] of [
        ["baseline (raw logs)", b],
        ["perpwatch indexer", p],
      ] as const) {
        const isPw = name.startsWith("perpwatch");
        rows.push([
          `${key}${runs}: ${name}`,
          String(f.events),
          f.seconds.toFixed(1),
          f.rate.toFixed(0),
          f.cpuRate.toFixed(0),
          f.ready.toFixed(1),
          f.rss.toFixed(0),
          isPw ? (p.rate / b.rate).toFixed(2) : "",
          isPw ? (p.cpuRate / b.cpuRate).toFixed(2) : "",
        ]);
      }
    }
    printTable("Indexer backfill throughput (target: ratio ≥ 0.80)", rows);
  } finally {
    await anvil.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
