/**
 * Test support: the Curie devnet the end-to-end, reorg and crash tests index — a Perp v2
 * deployment (its published bytecode) running a scenario to the end on a fresh anvil with a
 * chain id of its own (Ponder's RPC cache is keyed by chain id), its manifest in a temp dir —
 * and the Ponders started on it, each polling every 100 ms, stopped with it.
 *
 * Why: test/indexer/support/simulatedDevnet.ts does this for the reference exchange, whose
 * simulator hands back its deployment object; for Curie the manifest names every contract.
 * Curie's own simulateChain is used (not the generic simulateProtocolChain) for `from`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeManifest } from "../../../devnet/manifest.js";
import { type ScenarioName, scenarioByName } from "../../../devnet/simulator/scenarios.js";
import {
  type RunningPonder,
  type RunPonderOptions,
  startPonder,
} from "../../../indexer/runPonder.js";
import {
  type SimulatedCurieChain,
  scenarioFrom,
  simulateCurieChain,
} from "../../../protocols/curie/devnet/simulateChain.js";
import { uniqueChainId } from "../../indexer/support/postgres.js";

export interface CurieDevnetOptions {
  seed: number;
  accounts: number;
  /** Blocks to simulate. */
  ticks: number;
  /** Default crash-cascade. */
  scenario?: ScenarioName;
  /**
   * Start this many blocks into the scenario's story (default 0): a short chain then still
   * has the crash's arbitrage swaps and maker re-centring, not only the calm build-up.
   */
  from?: number;
}

export class CurieDevnet {
  private readonly ponders: RunningPonder[] = [];

  private constructor(
    readonly chain: SimulatedCurieChain,
    /** The chain's last block once simulated. */
    readonly head: bigint,
    /** A temp dir of this devnet's own, removed by `stop()` (PGlite directories go here). */
    readonly dir: string,
    readonly manifestPath: string,
  ) {}

  /** Simulates the scenario on a new anvil; `dirPrefix` names the temp dir. */
  static async start(dirPrefix: string, opts: CurieDevnetOptions): Promise<CurieDevnet> {
    const dir = mkdtempSync(join(tmpdir(), dirPrefix));
    try {
      const chain = await simulateCurieChain({
        scenario: scenarioFrom(scenarioByName(opts.scenario ?? "crash-cascade"), opts.from ?? 0),
        seed: opts.seed,
        accounts: opts.accounts,
        ticks: opts.ticks,
        chainId: uniqueChainId(),
      });
      const head = await chain.client.public.getBlockNumber();
      const manifestPath = join(dir, "manifest.json");
      writeManifest(manifestPath, chain.manifest);
      return new CurieDevnet(chain, head, dir, manifestPath);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** `ponder start` on this devnet's manifest, polling every 100 ms; stopped by `stop()`. */
  async startPonder(opts: Omit<RunPonderOptions, "manifestPath">): Promise<RunningPonder> {
    const ponder = await startPonder({
      ...opts,
      manifestPath: this.manifestPath,
      env: { PERPWATCH_POLLING_INTERVAL_MS: "100", ...opts.env },
    });
    this.ponders.push(ponder);
    return ponder;
  }

  /** Waits until `ponder` has indexed `block`; on a timeout the error ends with its last lines. */
  async reach(ponder: RunningPonder, block: bigint, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    try {
      await ponder.waitForBlock(block, timeoutMs);
      // The API answers from the last block it warmed: wait until that is `block` too.
      for (;;) {
        const served = await apiBlock(ponder.url);
        if (served !== null && served >= block) return;
        if (Date.now() > deadline)
          throw new Error(`the API still serves block ${served}, not ${block}`);
        await ponder.waitForBlock(block, 1_000).catch(() => undefined);
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${ponder.recentOutput()}`);
    }
  }

  /** Stops every Ponder started here, then anvil, and removes the temp dir. */
  async stop(): Promise<void> {
    await Promise.all(this.ponders.map((p) => p.stop()));
    await this.chain.anvil.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The block the API's figures are computed at (null when it cannot answer yet). */
async function apiBlock(url: string): Promise<bigint | null> {
  try {
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ accounts(first: 1) { block } }" }),
    });
    const body = (await res.json()) as { data?: { accounts: { block: string } } };
    return body.data ? BigInt(body.data.accounts.block) : null;
  } catch {
    return null;
  }
}
