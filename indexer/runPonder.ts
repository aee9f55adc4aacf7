/**
 * A programmatic launcher for the indexer: `ponder start` as a child process on a chosen
 * port, database and deployment, resolved once Ponder's `/ready` answers, and stopped
 * without leaving a process behind.
 *
 * Why a child process: Ponder owns its process (signal handlers, the PGlite database, its
 * HTTP server), so `perpwatch start` and the tests run it beside the devnet rather than
 * inside it. The configuration travels through the environment (see config.ts) and is
 * validated here first, so a bad value fails in the caller with the same one line Ponder
 * would print. Ponder's own bin is spawned with this Node (no npx, no shell), so the pid
 * is Ponder's and stopping it is one signal; an exit hook kills it if this process exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { childExited, killOnExit, readChildLines, stopChild } from "../runtime/childProcess.js";
import { freePort } from "../runtime/freePort.js";
import { codeFingerprint } from "./codeFingerprint.js";
import { loadIndexerConfig } from "./config.js";
import { CHAIN_NAME } from "./ponderConfig.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export type PonderDatabase =
  | { kind: "pglite"; directory: string }
  | { kind: "postgres"; url: string };

export interface RunPonderOptions {
  /**
   * `start` (default): the indexer with the API; `serve`: the API alone over an indexer's
   * PostgreSQL schema (an API replica, see cli/serveCommand.ts).
   */
  command?: "start" | "serve";
  /** HTTP port (default: a free one). */
  port?: number;
  /**
   * Interface the HTTP server binds (default 127.0.0.1: nothing beyond this machine reaches the
   * API unless told to; Ponder's own default would be every interface).
   */
  hostname?: string;
  /** Database schema (default: `perpwatch_<fingerprint of the indexing code>`). */
  schema?: string;
  /** Deployment manifest (sets PERPWATCH_MANIFEST). */
  manifestPath?: string;
  /** PGlite directory or PostgreSQL URL (default: whatever the environment says). */
  database?: PonderDatabase;
  /** More environment for Ponder (e.g. PERPWATCH_RPC_URL, PERPWATCH_POLLING_INTERVAL_MS). */
  env?: Readonly<Record<string, string>>;
  /** Ponder project root (default: this repository). */
  root?: string;
  /** Ponder's log level (default "info"). */
  logLevel?: "error" | "warn" | "info" | "debug" | "trace";
  /** Give up waiting for `/ready` after this long (default 180 s). */
  readyTimeoutMs?: number;
  /** Resolve once `/ready` answers (default), or as soon as the process is spawned. */
  waitFor?: "ready" | "spawn";
  /** Extra Node.js flags for Ponder's process (e.g. `--cpu-prof` to profile it). */
  nodeArgs?: readonly string[];
  /** Every line Ponder writes (JSON logs), as it comes. */
  onLog?: (line: string) => void;
}

/** `GET /status`: the latest indexed block per chain. */
export type PonderStatus = Record<
  string,
  { id: number; block: { number: number; timestamp: number } }
>;

export interface RunningPonder {
  /** Where Ponder listens: the port asked for until its HTTP server says which it bound. */
  url: string;
  port: number;
  /**
   * The port Ponder's HTTP server bound (its "Created HTTP server" line): Ponder moves to the
   * next free port on its own when the one asked for is taken.
   */
  bound: Promise<number>;
  pid: number;
  schema: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when Ponder exits. */
  exited: Promise<number | string>;
  status(): Promise<PonderStatus>;
  /** Waits until `/ready` answers 200 (historical backfill complete); stops Ponder on timeout. */
  ready(timeoutMs?: number): Promise<void>;
  /** Waits until the indexer's latest block on the Perpwatch chain is at least `block`. */
  waitForBlock(block: bigint | number, timeoutMs?: number): Promise<void>;
  /** The last lines Ponder wrote (for error messages). */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once (a crash). */
  kill(): Promise<void>;
}

/** Ponder's CLI script, found as Node would find the package from `root`. */
function ponderBin(root: string): string {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const bin = join(dir, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) throw new Error(`ponder is not installed (looked from ${root})`);
  }
}

/** The environment Ponder runs with, from ours and the options. */
export function ponderEnv(opts: RunPonderOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, opts.env ?? {});
  env.PONDER_TELEMETRY_DISABLED = "1";
  if (opts.manifestPath) env.PERPWATCH_MANIFEST = resolve(opts.manifestPath);
  if (opts.database?.kind === "pglite") {
    delete env.DATABASE_URL;
    delete env.DATABASE_PRIVATE_URL;
    env.PERPWATCH_PGLITE_DIR = resolve(opts.database.directory);
  } else if (opts.database?.kind === "postgres") {
    env.DATABASE_URL = opts.database.url;
  }
  return env;
}

async function get(url: string): Promise<Response | null> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(2000) });
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The port in Ponder's "Created HTTP server" log line, or null for any other line. */
export function boundPort(line: string): number | null {
  if (!line.includes("Created HTTP server")) return null;
  const m = /"port":(\d+)/.exec(line);
  return m ? Number(m[1]) : null;
}

/** Starts `ponder start` and resolves once its `/ready` endpoint answers 200. */
export async function startPonder(opts: RunPonderOptions = {}): Promise<RunningPonder> {
  const root = opts.root ?? REPO_ROOT;
  const env = ponderEnv(opts);
  // Same validation as ponder.config.ts, here, so a bad value fails in the caller (another
  // project root may register other protocols: there Ponder's own start-up validates).
  if (resolve(root) === REPO_ROOT) loadIndexerConfig(env);
  const port = opts.port ?? (await freePort());
  const schema = opts.schema ?? `perpwatch_${codeFingerprint(root)}`;
  const args = [
    ...(opts.nodeArgs ?? []),
    ponderBin(root),
    opts.command ?? "start",
    "--port",
    String(port),
    "--hostname",
    opts.hostname ?? "127.0.0.1",
    "--schema",
    schema,
    "--log-format",
    "json",
    "--log-level",
    opts.logLevel ?? "info",
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child);
  const exited = childExited(child);
  let url = `http://127.0.0.1:${port}`;
  let resolveBound: (port: number) => void = () => {};
  const bound = new Promise<number>((r) => {
    resolveBound = r;
  });
  const output = readChildLines(child, 40, (line) => {
    const actual = boundPort(line);
    if (actual !== null) {
      url = `http://127.0.0.1:${actual}`;
      running.url = url;
      running.port = actual;
      resolveBound(actual);
    }
    opts.onLog?.(line);
  });

  const stop = async (graceMs = 15_000) => {
    await stopChild(child, graceMs);
  };
  const running: RunningPonder = {
    url,
    port,
    bound,
    pid: child.pid ?? -1,
    schema,
    child,
    exited,
    recentOutput: () => output.tail(),
    async ready(timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`ponder exited (${await exited}) before it was ready:\n${output.tail()}`);
        }
        const res = await get(`${url}/ready`);
        if (res?.status === 200) return;
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`ponder was not ready within ${timeoutMs} ms:\n${output.tail()}`);
        }
        await sleep(200);
      }
    },
    async status() {
      const res = await fetch(`${url}/status`);
      if (!res.ok) throw new Error(`ponder /status: HTTP ${res.status}`);
      return (await res.json()) as PonderStatus;
    },
    async waitForBlock(block, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let seen = -1;
      while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`ponder exited while waiting for block ${block}:\n${output.tail()}`);
        }
        const res = await get(`${url}/status`);
        if (res?.ok) {
          const s = (await res.json()) as PonderStatus;
          seen = s[CHAIN_NAME]?.block.number ?? -1;
          if (BigInt(seen) >= BigInt(block)) return;
        }
        await sleep(100);
      }
      throw new Error(`ponder did not reach block ${block} within ${timeoutMs} ms (at ${seen})`);
    },
    stop,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };

  if (opts.waitFor === "spawn") return running;
  await running.ready(opts.readyTimeoutMs);
  return running;
}
