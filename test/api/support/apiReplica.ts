/**
 * Test support: `perpwatch serve` as a child process — an API replica over an indexer's
 * PostgreSQL schema — on a free port, resolved once its own `/ready` answers 200 (the backfill
 * done and the replica serving the indexer's checkpoint; Ponder's own would not carry the
 * replica's header), killed with SIGKILL or stopped.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPLICA_HEADER } from "../../../api/replica/replicaRoutes.js";
import { REPO_ROOT } from "../../../indexer/runPonder.js";
import {
  childExited,
  killOnExit,
  readChildLines,
  stopChild,
} from "../../../runtime/childProcess.js";
import { freePort } from "../../../runtime/freePort.js";

export interface ApiReplica {
  url: string;
  pid: number;
  exited: Promise<number | string>;
  recentOutput(): string;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export interface ApiReplicaOptions {
  databaseUrl: string;
  schema: string;
  /** The indexer's environment (e.g. PERPWATCH_MANIFEST): replicas share its configuration. */
  env: Record<string, string>;
  readyTimeoutMs?: number;
}

export async function startApiReplica(opts: ApiReplicaOptions): Promise<ApiReplica> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(REPO_ROOT, "cli/bin.ts"),
      "serve",
      "--port",
      String(port),
      "--schema",
      opts.schema,
      "--database-url",
      opts.databaseUrl,
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, PONDER_TELEMETRY_DISABLED: "1", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  killOnExit(child);
  const exited = childExited(child);
  const output = readChildLines(child, 40);
  const url = `http://127.0.0.1:${port}`;
  const replica: ApiReplica = {
    url,
    pid: child.pid ?? -1,
    exited,
    recentOutput: () => output.tail(),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      await stopChild(child, 10_000);
    },
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`perpwatch serve exited (${await exited}):\n${output.tail()}`);
    }
    const res = await fetch(`${url}/ready`).catch(() => null);
    // The replica's own /ready (not Ponder's, which only says the backfill is done).
    if (res?.status === 200 && res.headers.get(REPLICA_HEADER) === "1") return replica;
    await res?.body?.cancel();
    if (Date.now() > deadline) {
      await replica.stop();
      throw new Error(`perpwatch serve was not ready in time:\n${output.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
