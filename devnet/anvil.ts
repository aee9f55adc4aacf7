/**
 * Starts and stops a real anvil node from the `@foundry-rs/anvil` npm package.
 *
 * The platform binary is spawned directly (not through the package's node wrapper) so that
 * stopping it is one signal to one process and no anvil is ever orphaned: the child is
 * killed when this process exits, however it exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { killOnExit, stopChild } from "../runtime/childProcess.js";

/** How blocks are produced: on every transaction, on a timer, or only when asked. */
export type MiningMode =
  | { kind: "auto" }
  | { kind: "interval"; blockTime: number }
  | { kind: "manual" };

export interface AnvilOptions {
  port: number;
  host?: string;
  chainId?: number;
  mining?: MiningMode;
  /** Genesis block timestamp (seconds). Fixed by default so runs are reproducible. */
  genesisTimestamp?: number;
  /** Per-block gas limit; large so a simulator tick of hundreds of transactions fits. */
  gasLimit?: bigint;
  /** Extra raw anvil arguments. */
  extraArgs?: string[];
  /** How long to wait for its RPC (default 15 s; loading a large saved state takes longer). */
  readyTimeoutMs?: number;
}

export interface Anvil {
  rpcUrl: string;
  port: number;
  chainId: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const DEFAULT_CHAIN_ID = 31337;
/** 2026-01-01T00:00:00Z: the devnet's chain time starts here unless told otherwise. */
export const DEFAULT_GENESIS_TIMESTAMP = 1_767_225_600;

const PLATFORM_ARCH: Record<string, string> = {
  "linux-x64": "linux-amd64",
  "linux-arm64": "linux-arm64",
  "darwin-x64": "darwin-amd64",
  "darwin-arm64": "darwin-arm64",
  "win32-x64": "win32-amd64",
};

/** Absolute path of the anvil binary shipped in the platform package. */
export function anvilBinaryPath(): string {
  const suffix = PLATFORM_ARCH[`${process.platform}-${process.arch}`];
  if (!suffix) {
    throw new Error(
      `anvil: platform ${process.platform}-${process.arch} is not supported by @foundry-rs/anvil`,
    );
  }
  const require = createRequire(import.meta.url);
  const pkg = require.resolve(`@foundry-rs/anvil-${suffix}/package.json`);
  return join(dirname(pkg), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
}

export function anvilArgs(opts: AnvilOptions): string[] {
  const mining = opts.mining ?? { kind: "interval", blockTime: 1 };
  const args = [
    "--port",
    String(opts.port),
    "--host",
    opts.host ?? "127.0.0.1",
    "--chain-id",
    String(opts.chainId ?? DEFAULT_CHAIN_ID),
    "--timestamp",
    String(opts.genesisTimestamp ?? DEFAULT_GENESIS_TIMESTAMP),
    "--gas-limit",
    String(opts.gasLimit ?? 1_000_000_000n),
    "--base-fee",
    "0",
    "--order",
    "fifo",
    "--code-size-limit",
    "65536",
  ];
  if (mining.kind === "interval") args.push("--block-time", String(mining.blockTime));
  if (mining.kind === "manual") args.push("--no-mining");
  return [...args, ...(opts.extraArgs ?? [])];
}

async function waitForRpc(rpcUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`anvil exited with code ${child.exitCode} before answering on ${rpcUrl}`);
    }
    try {
      const res = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        signal: AbortSignal.timeout(1000),
      });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`anvil did not answer on ${rpcUrl} within ${timeoutMs} ms (${lastError})`);
}

export async function startAnvil(opts: AnvilOptions): Promise<Anvil> {
  const host = opts.host ?? "127.0.0.1";
  const rpcUrl = `http://${host}:${opts.port}`;
  const child = spawn(anvilBinaryPath(), anvilArgs(opts), { stdio: ["ignore", "pipe", "pipe"] });
  killOnExit(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.stdout?.resume();
  try {
    await waitForRpc(rpcUrl, child, opts.readyTimeoutMs ?? 15_000);
  } catch (err) {
    child.kill("SIGKILL");
    if (/address already in use/i.test(stderr)) {
      throw new Error(
        `anvil: port ${opts.port} on ${host} is already in use; choose another with --port`,
      );
    }
    const detail = stderr.trim().split("\n").slice(-3).join(" | ");
    throw new Error(`${(err as Error).message}${detail ? `: ${detail}` : ""}`);
  }
  return {
    rpcUrl,
    port: opts.port,
    chainId: opts.chainId ?? DEFAULT_CHAIN_ID,
    process: child,
    async stop() {
      await stopChild(child, 3000);
    },
  };
}
