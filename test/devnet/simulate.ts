/**
 * Test support: one simulator run on a fresh manual-mining anvil, returning the result, the
 * last block's hash and a few chain views, then stopping anvil.
 */
import type { Hash } from "viem";
import { startAnvil } from "../../devnet/anvil.js";
import { BlockProducer, createChainClient } from "../../devnet/chain.js";
import { type ScenarioName, scenarioByName } from "../../devnet/simulator/scenarios.js";
import { perpExchangeAbi } from "../../protocols/reference/contracts/generated/index.js";
import { deployExchange } from "../../protocols/reference/devnet/deploy.js";
import { type SimulationResult, Simulator } from "../../protocols/reference/devnet/simulator.js";
import { freePort } from "../../runtime/freePort.js";

export interface SimRun {
  result: SimulationResult;
  lastBlockHash: Hash;
  insuranceFund: bigint;
  fundingRates: bigint[];
  skews: bigint[];
  prices: number[][];
}

export async function simulate(
  name: ScenarioName,
  seed: number,
  accounts: number,
  ticks?: number,
): Promise<SimRun> {
  const scenario = scenarioByName(name);
  const anvil = await startAnvil({ port: await freePort(), mining: { kind: "manual" } });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, scenario.secondsPerTick);
    const deployment = await deployExchange(client, producer, {
      insuranceFund: scenario.insuranceFund,
    });
    const prices: number[][] = [];
    const sim = new Simulator(client, producer, deployment, {
      scenario,
      seed,
      accounts,
      pace: "max",
      blockTime: 1,
      ticks,
      recordHashes: true,
      onTick: (r) => prices.push(r.prices),
    });
    const result = await sim.run();
    const block = await client.public.getBlock({ blockTag: "latest" });
    const read = (functionName: "currentFundingRate", marketId: number) =>
      client.public.readContract({
        address: deployment.exchange,
        abi: perpExchangeAbi,
        functionName,
        args: [BigInt(marketId)],
      });
    const markets = deployment.markets.map((m) => m.marketId);
    const fundingRates = await Promise.all(markets.map((id) => read("currentFundingRate", id)));
    const skews = await Promise.all(
      markets.map(async (id) => {
        const m = await client.public.readContract({
          address: deployment.exchange,
          abi: perpExchangeAbi,
          functionName: "getMarket",
          args: [BigInt(id)],
        });
        return m.state.skew;
      }),
    );
    const insuranceFund = await client.public.readContract({
      address: deployment.exchange,
      abi: perpExchangeAbi,
      functionName: "insuranceFund",
    });
    return { result, lastBlockHash: block.hash, insuranceFund, fundingRates, skews, prices };
  } finally {
    await anvil.stop();
  }
}
