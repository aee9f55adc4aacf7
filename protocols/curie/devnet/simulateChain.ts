/**
 * A simulated Curie chain as a fixture: a fresh manual-mining anvil, Curie deployed on it
 * through its DevnetBinding, and a scenario run at max pace (tests and benchmarks; the chain
 * can then be saved with devnet/snapshot.ts). `scenarioFrom` starts a scenario later in its
 * story, so a short run still reaches the crash.
 */
import { type Anvil, startAnvil } from "../../../devnet/anvil.js";
import { BlockProducer, type ChainClient, createChainClient } from "../../../devnet/chain.js";
import type { Manifest } from "../../../devnet/manifest.js";
import {
  type Scenario,
  type ScenarioName,
  scenarioByName,
} from "../../../devnet/simulator/scenarios.js";
import type { TickReport } from "../../../devnet/simulator/simulation.js";
import { freePort } from "../../../runtime/freePort.js";
import { curieDevnet } from "./binding.js";
import type { CurieSimulationResult } from "./simulator.js";

export interface SimulateCurieOptions {
  scenario: ScenarioName | Scenario;
  seed: number;
  accounts: number;
  /** Blocks to simulate (default: the scenario's length). */
  ticks?: number;
  chainId?: number;
  recordHashes?: boolean;
  onTick?: (report: TickReport) => void;
}

export interface SimulatedCurieChain {
  anvil: Anvil;
  client: ChainClient;
  result: CurieSimulationResult;
  manifest: Manifest;
}

/** `scenario` as if `skip` of its blocks had already passed (its overlay and phases shift). */
export function scenarioFrom(scenario: Scenario, skip: number): Scenario {
  return {
    ...scenario,
    ticks: Math.max(0, scenario.ticks - skip),
    overlay: (tick) => scenario.overlay(tick + skip),
    phase: (tick) => scenario.phase(tick + skip),
  };
}

/** A fresh anvil, Curie deployed on it, and `ticks` simulated blocks; the anvil keeps running. */
export async function simulateCurieChain(opts: SimulateCurieOptions): Promise<SimulatedCurieChain> {
  const scenario =
    typeof opts.scenario === "string" ? scenarioByName(opts.scenario) : opts.scenario;
  const anvil = await startAnvil({
    port: await freePort(),
    chainId: opts.chainId,
    mining: { kind: "manual" },
  });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, scenario.secondsPerTick);
    const deployment = await curieDevnet.deploy(client, producer, {
      insuranceFund: scenario.insuranceFund,
    });
    const sim = deployment.simulator(client, producer, {
      scenario,
      seed: opts.seed,
      accounts: opts.accounts,
      pace: "max",
      blockTime: 1,
      ticks: opts.ticks,
      recordHashes: opts.recordHashes,
      onTick: opts.onTick,
    });
    const result = (await sim.run()) as CurieSimulationResult;
    return { anvil, client, result, manifest: deployment.manifest(anvil.rpcUrl) };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}
