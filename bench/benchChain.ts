/**
 * The benchmarks' crash-cascade chain: simulated once (minutes) and saved under
 * .perpwatch/bench/, then loaded into a fresh anvil (seconds) on every run.
 *
 * Why one place: the indexer and API benchmarks index the same chain, so they share its file
 * name and the simulate-save-load steps, and a chain saved by one is reused by the other.
 */
import { join } from "node:path";
import type { Anvil } from "../devnet/anvil.js";
import type { Manifest } from "../devnet/manifest.js";
import { simulateProtocolChain } from "../devnet/simulateProtocolChain.js";
import { hasSavedChain, loadChain, saveChain } from "../devnet/snapshot.js";
import { REPO_ROOT } from "../indexer/runPonder.js";
import { DEFAULT_PROTOCOL } from "../protocols/protocols.js";

/** Where benchmarks keep saved chains and their per-run directories. */
export const BENCH_DIR = join(REPO_ROOT, ".perpwatch", "bench");

export interface BenchChainOptions {
  /** A registered protocol (default: the reference exchange). */
  protocol?: string;
  seed: number;
  accounts: number;
  ticks: number;
}

export interface BenchChain {
  anvil: Anvil;
  manifest: Manifest;
  /** The saved chain's file (its manifest is beside it). */
  chainFile: string;
}

/** Loads the saved crash-cascade chain for these options, simulating and saving it first if missing. */
export async function loadBenchChain(opts: BenchChainOptions): Promise<BenchChain> {
  const protocol = opts.protocol ?? DEFAULT_PROTOCOL;
  // The reference's file keeps its old name, so chains saved before protocols still load.
  const prefix = protocol === DEFAULT_PROTOCOL ? "chain" : `chain-${protocol}`;
  const chainFile = join(
    BENCH_DIR,
    `${prefix}-crash-cascade-${opts.seed}-${opts.accounts}-${opts.ticks}.json`,
  );
  if (!hasSavedChain(chainFile)) {
    console.log(
      `simulating ${protocol} crash-cascade with ${opts.accounts} accounts for ${opts.ticks} blocks (once; saved to ${chainFile}) …`,
    );
    const sim = await simulateProtocolChain({
      protocol,
      scenario: "crash-cascade",
      seed: opts.seed,
      accounts: opts.accounts,
      ticks: opts.ticks,
    });
    try {
      await saveChain(sim.anvil.rpcUrl, sim.manifest, chainFile);
    } finally {
      await sim.anvil.stop();
    }
  }
  const { anvil, manifest } = await loadChain(chainFile);
  return { anvil, manifest, chainFile };
}
