/**
 * Test support: Curie on a fresh manual-mining anvil with funded makers and takers, blocks
 * mined at chosen timestamps, and the pools mirrored from their own logs after each block.
 */
import { type Abi, type Address, type Hash, maxUint256, parseUnits } from "viem";
import { type Anvil, startAnvil } from "../../../../../devnet/anvil.js";
import {
  BlockProducer,
  type ChainClient,
  createChainClient,
  TxSigner,
} from "../../../../../devnet/chain.js";
import { traderKey } from "../../../../../devnet/keys.js";
import { freePort } from "../../../../../runtime/freePort.js";
import { mockSettlementTokenAbi } from "../../../contracts/generated/index.js";
import { curie } from "../../../devnet/artifacts.js";
import {
  type CurieDeployment,
  DEFAULT_CURIE_MARKETS,
  deployCurie,
} from "../../../devnet/deploy.js";
import { emptyStats, type FeedStats, feedLogs, type MirroredPool, poolLogs } from "./poolLogs.js";

export const TX_GAS = 8_000_000n;

/**
 * vETH priced at 2170, 26 ticks above the tick-bitmap word boundary at tick 76800 (spacing 60:
 * 256 × 60 ticks a word), so swaps there cross words; vBTC as deployed by default.
 */
const MARKETS = [
  { ...DEFAULT_CURIE_MARKETS[0]!, initialPrice: 2170 },
  ...DEFAULT_CURIE_MARKETS.slice(1),
];

export interface CurieDevnet {
  anvil: Anvil;
  client: ChainClient;
  producer: BlockProducer;
  d: CurieDeployment;
  makers: TxSigner[];
  takers: TxSigner[];
  /** Mirrors by lower-cased pool address. */
  pools: Map<string, MirroredPool>;
  /** Timestamp of the latest mined block. */
  time: number;
  lastBlock: bigint;
  stats: FeedStats;
}

/** Deploys Curie, funds `makers` + `takers` accounts (keys from `seed`) and mirrors the pools' history. */
export async function startCurieDevnet(a: {
  seed: number;
  makers: number;
  takers: number;
  observationCardinality: number;
}): Promise<CurieDevnet> {
  const anvil = await startAnvil({ port: await freePort(), mining: { kind: "manual" } });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, 2);
    const d = await deployCurie(client, producer, {
      observationCardinality: a.observationCardinality,
      markets: MARKETS,
    });
    const signers = Array.from(
      { length: a.makers + a.takers },
      (_, i) => new TxSigner(client, traderKey(a.seed, i)),
    );
    for (const s of signers) {
      await client.rpc("anvil_setBalance", [s.address, `0x${(10n ** 22n).toString(16)}`]);
      await s.syncNonce();
    }
    const hashes: Hash[] = [];
    for (const [i, s] of signers.entries()) {
      const amount = parseUnits(i < a.makers ? "50000000" : "10000000", 18);
      const st = d.settlementToken;
      hashes.push(await s.write(st, mockSettlementTokenAbi, "mint", [s.address, amount], TX_GAS));
      hashes.push(
        await s.write(st, mockSettlementTokenAbi, "approve", [d.vault, maxUint256], TX_GAS),
      );
      hashes.push(await s.write(d.vault, curie.Vault().abi, "deposit", [st, amount], TX_GAS));
    }
    await producer.settle(hashes, "fund makers and takers");
    const pools = new Map(
      d.markets.map((m) => [
        m.pool.toLowerCase(),
        { address: m.pool, touchedTicks: new Set<number>() } as MirroredPool,
      ]),
    );
    const latest = await client.public.getBlock({ blockTag: "latest" });
    const net: CurieDevnet = {
      anvil,
      client,
      producer,
      d,
      makers: signers.slice(0, a.makers),
      takers: signers.slice(a.makers),
      pools,
      time: Number(latest.timestamp),
      lastBlock: latest.number,
      stats: emptyStats(),
    };
    const logs = await poolLogs(
      client,
      [...pools.values()].map((p) => p.address),
      BigInt(d.startBlock),
      latest.number,
    );
    const timestampOf = async (n: bigint) =>
      Number((await client.public.getBlock({ blockNumber: n })).timestamp);
    await feedLogs(client, pools, logs, timestampOf, net.stats);
    return net;
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

/**
 * Mines the pending transactions in one block `gap` seconds after the previous one, feeds the
 * block's pool logs to the mirrors, and returns the pools it touched and how many
 * transactions succeeded.
 */
export async function mineBlock(
  net: CurieDevnet,
  hashes: Hash[],
  gap: number,
): Promise<{ touched: Set<MirroredPool>; succeeded: number }> {
  const time = net.time + gap;
  await net.client.rpc("evm_mine", [time]);
  const receipts = await Promise.all(
    hashes.map((hash) => net.client.public.getTransactionReceipt({ hash })),
  );
  const block = net.lastBlock + 1n;
  net.time = time;
  net.lastBlock = block;
  const logs = await poolLogs(
    net.client,
    [...net.pools.values()].map((p) => p.address),
    block,
    block,
  );
  const touched = await feedLogs(net.client, net.pools, logs, async () => time, net.stats);
  return { touched, succeeded: receipts.filter((r) => r.status === "success").length };
}

/** eth_call first: true when the call would succeed at the latest block. */
export async function wouldSucceed(
  net: CurieDevnet,
  from: Address,
  to: Address,
  abi: Abi,
  functionName: string,
  args: unknown[],
): Promise<boolean> {
  try {
    await net.client.public.simulateContract({
      account: from,
      address: to,
      abi,
      functionName,
      args,
      gas: TX_GAS,
    });
    return true;
  } catch {
    return false;
  }
}
