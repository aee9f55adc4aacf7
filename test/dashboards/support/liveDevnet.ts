/**
 * Test support: a devnet whose simulation starts only when the caller says so — anvil, the
 * reference exchange deployed, the manifest written — so the indexer and the exporter can be
 * up before the first simulated block and follow the scenario live, and whose simulator
 * pauses after every mined block for a caller's hook (the chain is mined manually, so a pause
 * changes no block: the scenario stays deterministic).
 */
import { type Anvil, startAnvil } from "../../../devnet/anvil.js";
import { BlockProducer, type ChainClient, createChainClient } from "../../../devnet/chain.js";
import { type ScenarioName, scenarioByName } from "../../../devnet/simulator/scenarios.js";
import { type Deployment, deployExchange } from "../../../protocols/reference/devnet/deploy.js";
import { type SimulationResult, Simulator } from "../../../protocols/reference/devnet/simulator.js";
import { freePort } from "../../../runtime/freePort.js";

export interface LiveDevnet {
  anvil: Anvil;
  client: ChainClient;
  deployment: Deployment;
  /** Runs the scenario at max pace; resolves when it ends. */
  simulate(): Promise<SimulationResult>;
  stop(): Promise<void>;
}

/** A block producer that awaits `afterBlock` after each block it mines (when set). */
class PausingProducer extends BlockProducer {
  afterBlock: ((block: bigint) => Promise<void>) | null = null;
  private readonly chain: ChainClient;

  constructor(client: ChainClient, nextTimestamp: number, blockTime: number) {
    super(client, true, nextTimestamp, blockTime);
    this.chain = client;
  }

  override async mine(secondsAdvance?: number): Promise<number> {
    const ts = await super.mine(secondsAdvance);
    if (this.afterBlock) await this.afterBlock(await this.chain.public.getBlockNumber());
    return ts;
  }
}

export async function deployLiveDevnet(opts: {
  scenario: ScenarioName;
  seed: number;
  accounts: number;
  ticks: number;
  manifestPath: string;
  chainId?: number;
  /** Awaited after every block the simulator mines. */
  afterBlock?: (block: bigint) => Promise<void>;
}): Promise<LiveDevnet> {
  const scenario = scenarioByName(opts.scenario);
  const anvil = await startAnvil({
    port: await freePort(),
    chainId: opts.chainId,
    mining: { kind: "manual" },
  });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const latest = await client.public.getBlock({ blockTag: "latest" });
    const producer = new PausingProducer(
      client,
      Number(latest.timestamp) + scenario.secondsPerTick,
      scenario.secondsPerTick,
    );
    const deployment = await deployExchange(client, producer, {
      insuranceFund: scenario.insuranceFund,
      manifestPath: opts.manifestPath,
    });
    return {
      anvil,
      client,
      deployment,
      simulate: async () => {
        producer.afterBlock = opts.afterBlock ?? null;
        try {
          return await new Simulator(client, producer, deployment, {
            scenario,
            seed: opts.seed,
            accounts: opts.accounts,
            pace: "max",
            blockTime: 1,
            ticks: opts.ticks,
          }).run();
        } finally {
          producer.afterBlock = null;
        }
      },
      stop: () => anvil.stop(),
    };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}
