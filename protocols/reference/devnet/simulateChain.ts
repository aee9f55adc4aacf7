/**
 * A simulated reference chain as a fixture: a fresh manual-mining anvil, the reference
 * exchange deployed on it, and a scenario run at max pace (tests and benchmarks; the chain
 * can then be saved with devnet/snapshot.ts).
 */
import { type Anvil, startAnvil } from "../../../devnet/anvil.js";
import { BlockProducer, type ChainClient, createChainClient } from "../../../devnet/chain.js";
import type { Manifest } from "../../../devnet/manifest.js";
import { type ScenarioName, scenarioByName } from "../../../devnet/simulator/scenarios.js";
import type { SimulationResult, TickReport } from "../../../devnet/simulator/simulation.js";
import { freePort } from "../../../runtime/freePort.js";
import { type Deployment, deployExchange, toManifest } from "./deploy.js";
import { Simulator } from "./simulator.js";

export interface SimulateOptions {
  scenario: ScenarioName;
  seed: number;
  accounts: number;
  /** Blocks to simulate (default: the scenario's length). */
  ticks?: number;
  port?: number;
  /**
   * Chain id of the new node (default anvil's 31337). Indexer tests give every chain its own:
   * Ponder caches RPC data per chain id in a database-wide schema (`ponder_sync`), so two
   * different chains with one id in one database would read each other's cached logs.
   */
  chainId?: number;
  onTick?: (report: TickReport) => void;
}

export interface SimulatedChain {
  anvil: Anvil;
  client: ChainClient;
  producer: BlockProducer;
  deployment: Deployment;
  result: SimulationResult;
  /** The deployment manifest, with this anvil's RPC URL. */
  manifest: Manifest;
}

/** A fresh anvil, the reference exchange deployed on it, and `ticks` simulated blocks. */
export async function simulateChain(opts: SimulateOptions): Promise<SimulatedChain> {
  const scenario = scenarioByName(opts.scenario);
  const anvil = await startAnvil({
    port: opts.port ?? (await freePort()),
    chainId: opts.chainId,
    mining: { kind: "manual" },
  });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, scenario.secondsPerTick);
    const deployment = await deployExchange(client, producer, {
      insuranceFund: scenario.insuranceFund,
    });
    const sim = new Simulator(client, producer, deployment, {
      scenario,
      seed: opts.seed,
      accounts: opts.accounts,
      pace: "max",
      blockTime: 1,
      ticks: opts.ticks,
      onTick: opts.onTick,
    });
    const result = await sim.run();
    return {
      anvil,
      client,
      producer,
      deployment,
      result,
      manifest: toManifest(deployment, anvil.rpcUrl),
    };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}
