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
import { hasSavedChain, loadChain, saveChain } from "../devnet/snapshot.js";
import { REPO_ROOT } from "../indexer/runPonder.js";
import { simulateChain } from "../protocols/reference/devnet/simulateChain.js";

/** Where benchmarks keep saved chains and their per-run directories. */
export const BENCH_DIR = join(REPO_ROOT, ".perpwatch", "bench");

export interface BenchChainOptions {
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
  const chainFile = join(
    BENCH_DIR,
    `chain-crash-cascade-${opts.seed}-${opts.accounts}-${opts.ticks}.json`,
  );
  if (!hasSavedChain(chainFile)) {
    console.log(
      `simulating crash-cascade with ${opts.accounts} accounts for ${opts.ticks} blocks (once; saved to ${chainFile}) …`,
    );
    const sim = await simulateChain({
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
