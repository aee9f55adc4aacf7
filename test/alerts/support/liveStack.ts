/**
 * Test and benchmark support: the real stack the alert worker watches in production — a
 * devnet running a scenario in real time (anvil + the reference exchange + the seeded
 * simulator), Ponder indexing it into PGlite with Perpwatch's GraphQL API at `/graphql` —
 * plus the wall-clock time each block appeared on the node (polled every 20 ms), which is
 * where block-to-webhook latency is measured from.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEVNET_DEFAULTS, type RunningDevnet, startDevnet } from "../../../devnet/run.js";
import type { ScenarioName } from "../../../devnet/simulator/scenarios.js";
import { type RunningPonder, startPonder } from "../../../indexer/runPonder.js";
import type { TickReport } from "../../../protocols/reference/devnet/simulator.js";
import { freePort } from "../../../runtime/freePort.js";

export interface LiveStackOptions {
  scenario: ScenarioName;
  seed: number;
  accounts: number;
  /** Wall-clock seconds per block. */
  blockTime: number;
  ticks?: number;
  /** Ponder's RPC polling interval (ms). */
  pollingIntervalMs?: number;
  onTick?: (report: TickReport & { wallMs: number }) => void;
}

export interface LiveStack {
  devnet: RunningDevnet;
  ponder: RunningPonder;
  rpcUrl: string;
  graphqlUrl: string;
  /** Wall time (ms) each block number was first seen on the node. */
  blockSeenAt: Map<bigint, number>;
  ticks: (TickReport & { wallMs: number })[];
  stop(): Promise<void>;
}

async function blockNumber(rpcUrl: string): Promise<bigint | null> {
  try {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    const body = (await res.json()) as { result?: string };
    return body.result ? BigInt(body.result) : null;
  } catch {
    return null;
  }
}

export async function startLiveStack(opts: LiveStackOptions): Promise<LiveStack> {
  const dir = mkdtempSync(join(tmpdir(), "perpwatch-alerts-live-"));
  const ticks: LiveStack["ticks"] = [];
  const blockSeenAt = new Map<bigint, number>();
  const manifestPath = join(dir, "manifest.json");
  const devnet = await startDevnet(
    {
      protocol: DEVNET_DEFAULTS.protocol,
      port: await freePort(),
      blockTime: opts.blockTime,
      scenario: opts.scenario,
      seed: opts.seed,
      accounts: opts.accounts,
      pace: "realtime",
      ticks: opts.ticks,
      loop: true,
      manifestPath,
    },
    {
      onTick: (r) => {
        const t = { ...r, wallMs: Date.now() };
        ticks.push(t);
        opts.onTick?.(t);
      },
    },
  );
  const rpcUrl = devnet.anvil.rpcUrl;
  let watching = true;
  const watcher = (async () => {
    let last: bigint | null = null;
    while (watching) {
      const n = await blockNumber(rpcUrl);
      const now = Date.now();
      if (n !== null && (last === null || n > last)) {
        if (last !== null) for (let b = last + 1n; b <= n; b++) blockSeenAt.set(b, now);
        else blockSeenAt.set(n, now);
        last = n;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  let ponder: RunningPonder;
  try {
    ponder = await startPonder({
      manifestPath,
      database: { kind: "pglite", directory: join(dir, "ponder") },
      env: { PERPWATCH_POLLING_INTERVAL_MS: String(opts.pollingIntervalMs ?? 100) },
      logLevel: "warn",
    });
  } catch (err) {
    watching = false;
    await watcher;
    await devnet.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    devnet,
    ponder,
    rpcUrl,
    graphqlUrl: `${ponder.url}/graphql`,
    blockSeenAt,
    ticks,
    async stop() {
      watching = false;
      await watcher;
      await ponder.stop();
      await devnet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
