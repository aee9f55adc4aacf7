/**
 * Test support: the devnet the indexer and API end-to-end tests index — crash-cascade run to
 * the end on a fresh anvil with a chain id of its own (Ponder's RPC cache is keyed by chain
 * id), its manifest written to a temp dir — and the Ponders started on it, each polling the
 * chain every 100 ms, stopped with it.
 *
 * Why: every such test brings up the same pieces in the same order and tears them down in
 * the reverse one; here once, so a fix to the bring-up reaches them all.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeManifest } from "../../../devnet/manifest.js";
import {
  type RunningPonder,
  type RunPonderOptions,
  startPonder,
} from "../../../indexer/runPonder.js";
import {
  type SimulatedChain,
  simulateChain,
} from "../../../protocols/reference/devnet/simulateChain.js";
import { uniqueChainId } from "./postgres.js";

export interface SimulatedDevnetOptions {
  seed: number;
  accounts: number;
  /** Blocks to simulate. */
  ticks: number;
}

export class SimulatedDevnet {
  private readonly ponders: RunningPonder[] = [];

  private constructor(
    readonly chain: SimulatedChain,
    /** The chain's last block once simulated. */
    readonly head: bigint,
    /** A temp dir of this devnet's own, removed by `stop()` (PGlite directories go here). */
    readonly dir: string,
    readonly manifestPath: string,
  ) {}

  /** Simulates crash-cascade on a new anvil; `dirPrefix` names its temp dir. */
  static async start(dirPrefix: string, opts: SimulatedDevnetOptions): Promise<SimulatedDevnet> {
    const dir = mkdtempSync(join(tmpdir(), dirPrefix));
    try {
      const chain = await simulateChain({
        scenario: "crash-cascade",
        seed: opts.seed,
        accounts: opts.accounts,
        ticks: opts.ticks,
        chainId: uniqueChainId(),
      });
      const head = await chain.client.public.getBlockNumber();
      const manifestPath = join(dir, "manifest.json");
      writeManifest(manifestPath, chain.manifest);
      return new SimulatedDevnet(chain, head, dir, manifestPath);
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

  /** Stops every Ponder started here, then anvil, and removes the temp dir. */
  async stop(): Promise<void> {
    await Promise.all(this.ponders.map((p) => p.stop()));
    await this.chain.anvil.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
