/**
 * `perpwatch start`: the whole stack in one foreground command — the devnet and simulator
 * (unless perpwatch.config.yaml names a real chain), the indexer with the API in its HTTP
 * server, and the worker (alerts with a local webhook receiver that prints what arrives, and
 * the exporter to embedded ClickHouse), with one live status block and the URLs. Ctrl-C
 * stops everything; nothing is left running.
 *
 * Why child processes: Ponder owns its process (signals, PGlite, HTTP), and the worker must
 * reach the indexer only over HTTP (ARCHITECTURE.md), exactly as in production. A devnet is a
 * new chain each time, so its index is new too (indexer/config.ts keys the PGlite directory
 * by devnet session); with a configured chain, a restart resumes where the index was.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { z } from "zod";
import type { RunningDevnet } from "../devnet/run.js";
import { type RunningPonder, startPonder } from "../indexer/runPonder.js";
import { createApiClient } from "../runtime/apiClient.js";
import { childExited, readChildLines, stopChild } from "../runtime/childProcess.js";
import { freePort } from "../runtime/freePort.js";
import { orphanGuardEnv } from "../runtime/orphanGuard.js";
import { type PortUse, portConflicts } from "../runtime/portCheck.js";
import { stopOnSignals } from "../runtime/signals.js";
import type { WorkerStatus } from "../worker/runWorker.js";
import { chainEnv, exchangesEnv, loadPerpwatchConfig } from "./config/perpwatchConfig.js";
import { resolveHost, stackAccess } from "./config/stackAccess.js";
import {
  addDevnetOptions,
  launchDevnet,
  type Print,
  parseDevnetOptions,
  type RawOptions,
} from "./devnetCommand.js";
import { createStatusDisplay } from "./status/statusDisplay.js";
import { readAccounts, readFiring, readLive, workerFiring } from "./status/statusReader.js";
import type { StatusSnapshot } from "./status/statusSnapshot.js";
import { parseFlag, UsageError } from "./usageError.js";

export interface RawStartOptions extends RawOptions {
  apiPort: string;
  host?: string;
  config?: string;
  worker: boolean;
  plain?: boolean;
}

/** Where a devnet session's worker keeps alert state and ClickHouse data. */
export const DEVNET_STATE_DIR = ".perpwatch/devnet-state";

const BIN = fileURLToPath(new URL("./bin.ts", import.meta.url));

const apiPortSchema = z.coerce
  .number()
  .int("expected an integer port")
  .min(1, "expected a port from 1 to 65535")
  .max(65535, "expected a port from 1 to 65535");

export function addStartOptions(cmd: Command): Command {
  return addDevnetOptions(cmd)
    .option("--api-port <n>", "HTTP port of the indexer and GraphQL API", "42069")
    .option(
      "--host <address>",
      "interface the API listens on: 127.0.0.1 (default, this machine only) or 0.0.0.0 (every interface; see README Security)",
    )
    .option(
      "--config <path>",
      "perpwatch.config.yaml (default: ./perpwatch.config.yaml if present)",
    )
    .option("--no-worker", "run without the worker (alerts and exporter)")
    .option("--plain", "plain status lines even in a terminal");
}

/**
 * The config file's devnet section as devnet flags (`perpwatch config check` maps it the same
 * way): the flags the user typed win over the file; the file wins over the defaults.
 */
export function mergeDevnetFlags<T extends RawOptions>(
  raw: T,
  cmd: Command,
  file: Record<string, unknown>,
): T {
  // The file's devnet keys are the flags' own names (perpwatchConfig.ts).
  const merged: Record<string, unknown> = { ...(raw as RawOptions) };
  for (const [key, value] of Object.entries(file)) {
    if (cmd.getOptionValueSource(key) === "cli") continue;
    merged[key] = typeof value === "boolean" ? value : String(value);
  }
  return merged as unknown as T;
}

interface WorkerChild {
  child: ChildProcess;
  statusUrl: Promise<string>;
  exited: Promise<number | string>;
  stop(): Promise<void>;
  tail(): string;
}

/** `perpwatch worker` as a child process, its receiver lines and warnings shown as logs. */
function spawnWorker(
  apiUrl: string,
  rpcUrl: string | null,
  log: Print,
  statusPort: number,
  configPath?: string,
  stateDir?: string,
): WorkerChild {
  const args = [
    ...process.execArgv,
    BIN,
    "worker",
    "--api",
    apiUrl,
    "--local-receiver",
    "--status-port",
    String(statusPort),
    ...(rpcUrl ? ["--rpc-url", rpcUrl] : []),
    ...(configPath ? ["--config", configPath] : []),
    ...(stateDir ? ["--state-dir", stateDir] : []),
  ];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...orphanGuardEnv() },
  });
  let resolveUrl: (u: string) => void = () => {};
  const statusUrl = new Promise<string>((r) => {
    resolveUrl = r;
  });
  const onLine = (line: string) => {
    const m = /; status (http:\/\/\S+\/status)/.exec(line);
    if (m) resolveUrl(m[1]!);
    if (line.startsWith("receiver | ")) return log(line);
    if (line.startsWith("{")) {
      try {
        const j = JSON.parse(line) as { level?: number; msg?: string; service?: string };
        if ((j.level ?? 0) >= 40)
          log(`worker ${j.service ?? ""}: ${j.msg ?? line}`.replace("  ", " "));
      } catch {
        /* not JSON after all: ignore */
      }
      return;
    }
    // Its own banner ("perpwatch worker: … ; status …") is what the "worker" line below
    // says already; only its other lines (errors) are shown.
    if (line.startsWith("perpwatch") && !line.startsWith("perpwatch worker:")) log(line);
  };
  const output = readChildLines(child, 30, onLine);
  return {
    child,
    statusUrl,
    exited: childExited(child),
    tail: output.tail,
    async stop() {
      await stopChild(child, 15_000);
    },
  };
}

async function getJson<T>(url: string): Promise<T | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

/**
 * Fails before anything starts when a port `start` listens on is taken: the devnet's anvil and
 * the API. (The worker's status server and local receiver take any free port here.) Every
 * taken port is one line; the last is the error.
 */
async function checkPorts(uses: readonly PortUse[]): Promise<void> {
  const lines = await portConflicts(uses);
  if (lines.length === 0) return;
  for (const line of lines.slice(0, -1)) process.stderr.write(`perpwatch: ${line}\n`);
  throw new UsageError(lines.at(-1)!);
}

export async function runStartCommand(raw0: RawStartOptions, cmd: Command): Promise<void> {
  const config = loadPerpwatchConfig(raw0.config);
  const raw = mergeDevnetFlags(raw0, cmd, config.file.devnet ?? {});
  const opts = config.file.chain || config.file.exchanges ? null : parseDevnetOptions(raw);
  const apiPortRaw =
    cmd.getOptionValueSource("apiPort") === "cli" || config.file.indexer?.port === undefined
      ? raw.apiPort
      : String(config.file.indexer.port);
  const apiPort = parseFlag("--api-port", apiPortSchema, apiPortRaw);
  const host = resolveHost(raw.host, config.file.indexer?.host);
  const access = stackAccess(
    config.file.api,
    `config ${config.path ?? "perpwatch.config.yaml"}`,
    host,
    apiPort,
  );
  // The stack's own readers (status block, worker) send the run's key (runtime/apiClient.ts).
  process.env.PERPWATCH_API_KEY = access.key;
  await checkPorts([
    ...(opts ? [{ port: opts.port, what: "anvil, the devnet's JSON-RPC", flag: "--port" }] : []),
    { port: apiPort, what: "the API", flag: "--api-port" },
  ]);
  const display = createStatusDisplay({ plain: raw.plain });
  const out: Print = (s) => display.log(s);
  const snapshot: StatusSnapshot = {
    chainHead: null,
    indexedBlock: null,
    backfill: null,
    live: null,
    accounts: null,
    firing: [],
    delivered: null,
    pending: null,
  };
  let devnet: RunningDevnet | null = null;
  let ponder: RunningPonder | null = null;
  let worker: WorkerChild | null = null;
  let timer: NodeJS.Timeout | null = null;
  /** Stops what runs, in reverse order of start: worker, indexer, devnet. */
  const stopAll = async () => {
    if (timer) clearInterval(timer);
    display.stop();
    await worker?.stop();
    await ponder?.stop();
    await devnet?.stop();
  };
  const signals = stopOnSignals(out, "worker, indexer, simulator and anvil", stopAll);
  const fail = async (what: string, tail: string) => {
    if (signals.stopping) return;
    display.stop();
    process.stderr.write(`perpwatch: ${what}; stopping everything. Its last output:\n${tail}\n`);
    await stopAll();
    process.exit(1);
  };

  let rpcUrl: string;
  let indexerEnv: Record<string, string> = {};
  if (opts) {
    devnet = await launchDevnet(opts, out);
    rpcUrl = devnet.anvil.rpcUrl;
  } else if (config.file.exchanges) {
    const list = config.file.exchanges;
    rpcUrl = list[0]!.chain.rpcUrl;
    indexerEnv = exchangesEnv(list);
    for (const x of list) {
      out(
        `perpwatch: ${x.protocol} exchange "${x.id}" on chain ${x.chain.id} at ${x.chain.rpcUrl}`,
      );
    }
  } else {
    const chain = config.file.chain!;
    rpcUrl = chain.rpcUrl;
    indexerEnv = chainEnv(chain);
    out(`perpwatch: chain ${chain.chainId} at ${chain.rpcUrl}, exchange ${chain.exchange}`);
  }
  const polling = config.file.indexer?.pollingIntervalMs ?? (opts ? 250 : undefined);
  // If this process is killed outright, the children stop themselves, and once the indexer is
  // gone, so does the devnet's anvil (see runtime/orphanGuard.ts).
  const anvilPid = devnet?.anvil.process.pid;
  const siblings = anvilPid === undefined ? [] : [anvilPid];
  let ready = false;
  // The worker's status port is chosen now, so the API knows where to read alerts from
  // (GraphQL `alerts`/`silences` ask the worker, which owns the alert store).
  const workerPort = raw.worker ? await freePort() : null;
  ponder = await startPonder({
    manifestPath: opts?.manifestPath,
    port: apiPort,
    hostname: host,
    env: {
      ...indexerEnv,
      ...access.env,
      ...(polling ? { PERPWATCH_POLLING_INTERVAL_MS: String(polling) } : {}),
      ...(workerPort ? { PERPWATCH_ALERTS_URL: `http://127.0.0.1:${workerPort}` } : {}),
      ...orphanGuardEnv(siblings),
    },
    waitFor: "spawn",
    onLog: (line) => {
      // Once /ready has answered, the backfill is over: Ponder's own "Completed backfill"
      // line can still be read after that, and must not turn the status back to backfilling.
      if (ready || !line.includes("backfill")) return;
      const progress = /"progress":"([\d.]+)%"/.exec(line);
      if (progress) {
        const eta = /"estimate":"([^"]+)"/.exec(line)?.[1];
        snapshot.backfill = { fraction: Number(progress[1]) / 100, ...(eta ? { eta } : {}) };
      }
      if (line.includes("Completed backfill indexing")) snapshot.backfill = { fraction: 1 };
    },
  });
  const running = ponder;
  void running.exited.then((code) => fail(`the indexer exited (${code})`, running.recentOutput()));

  // Ponder moves to the next free port if the one asked for was taken meanwhile: every read
  // goes to the port it bound (running.url follows its "Created HTTP server" line).
  void running.bound.then((port) => {
    if (port !== apiPort) out(`perpwatch: port ${apiPort} was taken; the API listens on ${port}`);
  });
  const refresh = async () => {
    const api = createApiClient({ url: `${running.url}/graphql`, timeoutMs: 15_000 });
    const status = await getJson<Record<string, { block: { number: number } }>>(
      `${running.url}/status`,
    );
    const chain = status ? Object.values(status)[0] : undefined;
    if (chain) snapshot.indexedBlock = chain.block.number;
    // Until Ponder says it is ready, it is backfilling (its first progress line comes later).
    if (!ready && chain) snapshot.backfill ??= { fraction: 0 };
    const head = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      signal: AbortSignal.timeout(2000),
    })
      .then((r) => r.json() as Promise<{ result?: string }>)
      .catch(() => null);
    if (head?.result) snapshot.chainHead = Number(BigInt(head.result));
    if (snapshot.indexedBlock !== null && snapshot.backfill === null) {
      const [live, accounts] = await Promise.all([readLive(api), readAccounts(api)]);
      if (live !== null) snapshot.live = live;
      if (accounts) snapshot.accounts = accounts;
    }
    if (worker) {
      const url = await Promise.race([worker.statusUrl, Promise.resolve(null)]);
      const [ws, firing] = await Promise.all([
        url ? getJson<WorkerStatus>(url) : null,
        readFiring(api),
      ]);
      if (ws?.alerts) {
        snapshot.firing = firing ?? workerFiring(ws.alerts.firing);
        snapshot.delivered = ws.alerts.delivered;
        snapshot.pending = ws.alerts.pending;
      }
    }
    display.update(snapshot);
  };
  let refreshing = false;
  timer = setInterval(() => {
    if (refreshing) return;
    refreshing = true;
    refresh().finally(() => {
      refreshing = false;
    });
  }, 1000);

  await running.ready(1_800_000);
  ready = true;
  snapshot.backfill = null;
  out(`  API        ${running.url}/graphql  (GraphiQL in a browser)`);
  out(`  risk page  ${running.url}/risk  (markets, ladders, accounts, alerts; live, in a browser)`);
  for (const line of access.lines) out(line);
  out(
    `  indexer    ${running.url}  (Ponder, pid ${running.pid}; status ${running.url}/status, tables ${running.url}/ponder/graphql)`,
  );
  if (raw.worker) {
    // A devnet is a new chain each start: its alert state and ClickHouse history start fresh
    // too (block numbers restart at 1). With a configured chain, they persist and resume.
    let stateDir: string | undefined;
    if (devnet) {
      stateDir = DEVNET_STATE_DIR;
      rmSync(stateDir, { recursive: true, force: true });
    }
    worker = spawnWorker(running.url, rpcUrl, out, workerPort ?? 0, raw.config, stateDir);
    const w = worker;
    void w.exited.then((code) => fail(`the worker exited (${code})`, w.tail()));
    const statusUrl = await Promise.race([
      w.statusUrl,
      new Promise<null>((r) => setTimeout(() => r(null), 120_000)),
    ]);
    if (statusUrl) {
      const ws = await getJson<WorkerStatus>(statusUrl);
      out(
        `  worker     pid ${w.child.pid}: ${ws?.services.join(" + ") ?? "starting"}; webhook receiver ${ws?.alerts?.localReceiver ?? "none"}; ClickHouse ${process.env.CLICKHOUSE_URL ? process.env.CLICKHOUSE_URL : `(embedded) in ${stateDir ?? ".perpwatch"}/clickhouse`}`,
      );
    }
  }
  out("Ctrl-C stops everything.\n");
  if (devnet) {
    // Ctrl-C in a terminal signals the whole process group: anvil may be gone before the
    // simulator is stopped, and its last request fails. That is the stop, not an error.
    const result = await devnet.done.catch((err: unknown) => {
      if (signals.stopping) return null;
      throw err;
    });
    if (result === null || signals.stopping) return;
    out(
      `scenario done: ${result.ticks} blocks, ${result.transactions} transactions, ${result.liquidations} liquidations; everything keeps serving. Ctrl-C stops it.`,
    );
  }
}
