/**
 * Test support: the alert worker as a child process (`alerts/main.ts` under tsx), with its
 * JSON log lines collected, so tests can SIGKILL it mid-delivery and start it again on the
 * same store.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { REPO_ROOT } from "../../../indexer/runPonder.js";

export interface WorkerProcess {
  pid: number;
  /** Parsed JSON log lines (and raw non-JSON lines as `{ raw }`). */
  readonly logs: { msg?: string; raw?: string; level?: number; [k: string]: unknown }[];
  stderr(): string;
  exited: Promise<number | string>;
  kill(): Promise<void>;
  stop(): Promise<void>;
  waitForLog(re: RegExp, timeoutMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

export function writeConfig(dir: string, name: string, config: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, stringify(config));
  return path;
}

export function startWorker(args: string[], env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "alerts/main.ts"), ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, PERPWATCH_LOG_LEVEL: "debug", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  live.add(child);
  const logs: WorkerProcess["logs"] = [];
  let err = "";
  let partial = "";
  child.stdout?.on("data", (b: Buffer) => {
    const lines = (partial + b.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim() === "") continue;
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ raw: line });
      }
    }
  });
  child.stderr?.on("data", (b: Buffer) => {
    err += b.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid ?? -1,
    logs,
    stderr: () => err,
    exited,
    async kill() {
      if (gone()) return;
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (gone()) return;
      const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(t);
    },
    async waitForLog(re, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!logs.some((l) => re.test(String(l.msg ?? l.raw ?? "")))) {
        if (gone())
          throw new Error(`worker exited (${await exited}) before logging ${re}:\n${err}`);
        if (Date.now() > deadline) {
          throw new Error(
            `worker did not log ${re} within ${timeoutMs} ms; last lines:\n${logs
              .slice(-15)
              .map((l) => l.msg ?? l.raw)
              .join("\n")}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
