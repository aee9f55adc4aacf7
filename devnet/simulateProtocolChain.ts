/**
 * A simulated chain of any registered protocol, as a fixture for tests and benchmarks: a fresh
 * manual-mining anvil, the protocol deployed by its own devnet binding, and a scenario run at
 * max pace. (protocols/reference/devnet/simulateChain.ts is the reference exchange's richer
 * form, which also hands back its deployment object.)
 */
import { protocolNamed } from "../protocols/protocols.js";
import { freePort } from "../runtime/freePort.js";
import { type Anvil, startAnvil } from "./anvil.js";
import { BlockProducer, type ChainClient, createChainClient } from "./chain.js";
import type { Manifest } from "./manifest.js";
import { type ScenarioName, scenarioByName } from "./simulator/scenarios.js";
import type { SimulationResult, TickReport } from "./simulator/simulation.js";

export interface SimulateProtocolOptions {
  protocol: string;
  scenario: ScenarioName;
  seed: number;
  accounts: number;
  ticks?: number;
  /** Chain id of the new node: give every indexed test chain its own (Ponder caches by id). */
  chainId?: number;
  onTick?: (report: TickReport) => void;
}

export interface SimulatedProtocolChain {
  anvil: Anvil;
  client: ChainClient;
  producer: BlockProducer;
  result: SimulationResult;
  manifest: Manifest;
}

export async function simulateProtocolChain(
  opts: SimulateProtocolOptions,
): Promise<SimulatedProtocolChain> {
  const protocol = protocolNamed(opts.protocol);
  if (protocol === undefined) throw new Error(`simulate: no protocol named "${opts.protocol}"`);
  const scenario = scenarioByName(opts.scenario);
  const anvil = await startAnvil({
    port: await freePort(),
    chainId: opts.chainId,
    mining: { kind: "manual" },
  });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, scenario.secondsPerTick);
    const deployment = await protocol.devnet.deploy(client, producer, {
      insuranceFund: scenario.insuranceFund,
    });
    const result = await deployment
      .simulator(client, producer, {
        scenario,
        seed: opts.seed,
        accounts: opts.accounts,
        pace: "max",
        blockTime: 1,
        ticks: opts.ticks,
        onTick: opts.onTick,
      })
      .run();
    return { anvil, client, producer, result, manifest: deployment.manifest(anvil.rpcUrl) };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}
