/**
 * The Curie simulator on the real bytecode, each case on its own fresh anvil, scaled down to
 * stay quick: the same seed gives the same transactions and block hashes; calm liquidates
 * (almost) nobody; a crash makes the arbitrage drag the pools down after the index within the
 * tick window and liquidates accounts, some in part, while the insurance fund moves; a squeeze
 * with nobody fading it lets the pool run away from the index so funding is paid; realtime
 * pace holds blocks to the block time and stops when aborted.
 */
import { type Address, type Hash, parseAbi } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import type { Anvil } from "../../../devnet/anvil.js";
import { startAnvil } from "../../../devnet/anvil.js";
import { BlockProducer, createChainClient } from "../../../devnet/chain.js";
import { traderKey } from "../../../devnet/keys.js";
import { SCENARIOS } from "../../../devnet/simulator/scenarios.js";
import type { TickReport } from "../../../devnet/simulator/simulation.js";
import { freePort } from "../../../runtime/freePort.js";
import { curieDevnet } from "./binding.js";
import { curieContractsOf } from "./manifest.js";
import { tickAt } from "./prices.js";
import { locateTickSlots, readStoredTick } from "./priceWindow.js";
import { type SimulateCurieOptions, scenarioFrom, simulateCurieChain } from "./simulateChain.js";
import type { CurieTickReport } from "./simulator.js";

const anvils: Anvil[] = [];
afterAll(async () => {
  await Promise.all(anvils.map((a) => a.stop()));
});

async function simulate(opts: SimulateCurieOptions) {
  const ticks: CurieTickReport[] = [];
  const chain = await simulateCurieChain({
    ...opts,
    onTick: (r) => ticks.push(r as CurieTickReport),
  });
  anvils.push(chain.anvil);
  return { ...chain, ticks };
}

async function blockHashes(rpcUrl: string, chainId: number, last: bigint): Promise<Hash[]> {
  const client = createChainClient(rpcUrl, chainId);
  const hashes: Hash[] = [];
  for (let n = 0n; n <= last; n++)
    hashes.push((await client.public.getBlock({ blockNumber: n })).hash);
  return hashes;
}

const TIMEOUT = 180_000;

describe.concurrent("Curie simulator", () => {
  it(
    "gives the same transactions and block hashes for the same seed",
    async () => {
      const opts = {
        scenario: "crash-cascade",
        seed: 7,
        accounts: 10,
        ticks: 6,
        recordHashes: true,
      } as const;
      const [a, b] = await Promise.all([simulate(opts), simulate(opts)]);
      expect(a.result.hashes.length).toBeGreaterThan(50);
      expect(b.result.hashes).toEqual(a.result.hashes);
      expect(b.result.finalBlock).toBe(a.result.finalBlock);
      const [ha, hb] = await Promise.all([
        blockHashes(a.anvil.rpcUrl, a.anvil.chainId, a.result.finalBlock),
        blockHashes(b.anvil.rpcUrl, b.anvil.chainId, b.result.finalBlock),
      ]);
      expect(hb).toEqual(ha);
    },
    TIMEOUT,
  );

  it(
    "liquidates few or none in a calm market",
    async () => {
      const { result, ticks } = await simulate({
        scenario: "calm",
        seed: 3,
        accounts: 30,
        ticks: 30,
      });
      expect(ticks).toHaveLength(30);
      expect(result.transactions).toBeGreaterThan(30 * 4);
      expect(result.liquidations).toBeLessThanOrEqual(2);
      expect(result.adlEvents).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "drags the pools after a crashing index and liquidates, some accounts in part",
    async () => {
      // From 5 blocks before the crash: ETH gaps -7 % at block 10 and -6 % at block 65.
      const scenario = scenarioFrom(SCENARIOS["crash-cascade"], 115);
      const { result, ticks, anvil, manifest } = await simulate({
        scenario,
        seed: 11,
        accounts: 100,
        ticks: 75,
      });
      const eth = 0;
      const first = ticks[0]!;
      const last = ticks.at(-1)!;
      expect(last.prices[eth]! / first.prices[eth]!).toBeLessThan(0.88);
      // The pool followed the index down, and never jumped past what the tick window allows.
      expect(last.poolPrices[eth]! / first.poolPrices[eth]!).toBeLessThan(0.9);
      expect(Math.abs(last.poolPrices[eth]! / last.prices[eth]! - 1)).toBeLessThan(0.03);
      const maxMove = 2 * 1000 * Math.log(1.0001);
      for (let i = 1; i < ticks.length; i++) {
        const move = Math.log(ticks[i]!.poolPrices[eth]! / ticks[i - 1]!.poolPrices[eth]!);
        expect(Math.abs(move)).toBeLessThanOrEqual(maxMove);
      }
      expect(result.revertedByKind.arbitrage ?? 0).toBe(0);
      // The window's reference tick, read from the Exchange's storage, is where it should be.
      const client = createChainClient(anvil.rpcUrl, anvil.chainId);
      const { core, markets } = curieContractsOf(manifest.contracts as Record<string, Address>, [
        "vETH",
        "vBTC",
      ]);
      const base = markets[eth]!.contracts.baseToken;
      const slots = await locateTickSlots(client, core.exchange, base, 1000);
      const stored = await readStoredTick(client, core.exchange, base, slots);
      expect(stored.updatedAt).toBeLessThanOrEqual(last.timestamp);
      expect(stored.updatedAt).toBeGreaterThan(last.timestamp - 15);
      expect(Math.abs(stored.tick - tickAt(last.poolPrices[eth]!))).toBeLessThanOrEqual(1000);
      expect(result.liquidations).toBeGreaterThanOrEqual(3);
      expect(result.partialLiquidations).toBeGreaterThanOrEqual(1);
      expect(result.insuranceFundEnd).not.toBeCloseTo(result.insuranceFundStart, 0);
      expect(result.adlEvents).toBe(0);
      process.stderr.write(
        `curie crash: ${result.liquidations} liquidations (${result.partialLiquidations} partial, ${result.badDebtLiquidations} with bad debt), insurance fund ${result.insuranceFundStart.toFixed(0)} -> ${result.insuranceFundEnd.toFixed(0)}, ${result.ticks} blocks in ${result.seconds.toFixed(1)} s\n`,
      );
    },
    TIMEOUT,
  );

  it(
    "lets the pool run away from the index when nobody fades a squeeze, so funding is paid",
    async () => {
      const accounts = 30;
      const { result, ticks, anvil, manifest } = await simulate({
        scenario: "funding-squeeze",
        seed: 5,
        accounts,
        ticks: 40,
      });
      const last = ticks.at(-1)!;
      // funding-squeeze is about SOL, which Curie's devnet does not list: vETH carries it.
      expect(last.poolPrices[0]! / last.prices[0]! - 1).toBeGreaterThan(0.01);
      // Funding paid: settled on every touch, plus what the positions owe now.
      const client = createChainClient(anvil.rpcUrl, anvil.chainId);
      const exchange = curieContractsOf(manifest.contracts as Record<string, Address>, [
        "vETH",
        "vBTC",
      ]).core.exchange;
      let pending = 0;
      for (let i = 0; i < accounts; i++) {
        const trader = privateKeyToAccount(traderKey(5, i)).address;
        const owed = (await client.public.readContract({
          address: exchange,
          abi: parseAbi(["function getAllPendingFundingPayment(address) view returns (int256)"]),
          functionName: "getAllPendingFundingPayment",
          args: [trader],
        })) as bigint;
        pending += Math.abs(Number(owed) / 1e18);
      }
      process.stderr.write(
        `curie squeeze: premium ${((last.poolPrices[0]! / last.prices[0]! - 1) * 100).toFixed(2)} %, funding settled ${result.fundingSettled.toFixed(0)} USD, pending ${pending.toFixed(0)} USD\n`,
      );
      // A calm run of 100 accounts and 600 blocks settles about 1 USD of funding in all.
      expect(result.fundingSettled + pending).toBeGreaterThan(30);
    },
    TIMEOUT,
  );

  it(
    "holds each block to the block time at realtime pace, and stops when aborted",
    async () => {
      const scenario = SCENARIOS.calm;
      const anvil = await startAnvil({ port: await freePort(), mining: { kind: "manual" } });
      anvils.push(anvil);
      const client = createChainClient(anvil.rpcUrl, anvil.chainId);
      const producer = await BlockProducer.forChain(client, true, scenario.secondsPerTick);
      const deployment = await curieDevnet.deploy(client, producer, {
        insuranceFund: scenario.insuranceFund,
      });
      const abort = new AbortController();
      const at: number[] = [];
      const sim = deployment.simulator(client, producer, {
        scenario,
        seed: 1,
        accounts: 4,
        pace: "realtime",
        blockTime: 0.4,
        loop: true,
        signal: abort.signal,
        onTick: (r: TickReport) => {
          at.push(performance.now());
          if (r.tick === 3) abort.abort();
        },
      });
      const result = await sim.run();
      expect(result.ticks).toBe(4);
      // Three full blocks of 400 ms between the first report and the last (less the spread of
      // one tick's own work, which a loaded machine varies).
      expect(at[3]! - at[0]!).toBeGreaterThanOrEqual(3 * 400 - 150);
    },
    TIMEOUT,
  );
});
