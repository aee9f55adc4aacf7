/**
 * Test support for the engine's differential test: Curie deployed on a fresh manual-mining
 * anvil, funded accounts, one block mined per operation at a chosen time, and every log of
 * the deployment since its first block decoded into CurieEvents (by the role of the emitting
 * address) and applied to the engine — the way an indexer would feed it.
 */
import {
  type Address,
  createPublicClient,
  type Hash,
  type Hex,
  http,
  maxUint256,
  type PublicClient,
  parseUnits,
} from "viem";
import { type Anvil, startAnvil } from "../../../devnet/anvil.js";
import {
  BlockProducer,
  type ChainClient,
  createChainClient,
  TxSigner,
} from "../../../devnet/chain.js";
import { ANVIL_KEYS, traderKey } from "../../../devnet/keys.js";
import { freePort } from "../../../runtime/freePort.js";
import { mockSettlementTokenAbi } from "../contracts/generated/index.js";
import { curie } from "../devnet/artifacts.js";
import { type CurieDeployment, deployCurie } from "../devnet/deploy.js";
import { type CurieEvent, decodeCurieLog } from "../engine/events.js";
import {
  applyEvent,
  type CurieDeploymentParams,
  type CurieState,
  closeTransaction,
  createCurieState,
  roleOf,
} from "../engine/state.js";

export const TX_GAS = 8_000_000n;

export interface CurieChain {
  anvil: Anvil;
  client: ChainClient;
  /** Reads through one batched JSON-RPC request per tick (views are hundreds of eth_calls a block). */
  reader: PublicClient;
  d: CurieDeployment;
  deployer: TxSigner;
  makers: TxSigner[];
  takers: TxSigner[];
  liquidator: TxSigner;
  state: CurieState;
  time: number;
  block: bigint;
  events: number;
}

/** What the engine needs of a devnet deployment. */
export function deploymentParams(d: CurieDeployment): CurieDeploymentParams {
  return {
    addresses: {
      clearingHouse: d.clearingHouse,
      clearingHouseConfig: d.clearingHouseConfig,
      accountBalance: d.accountBalance,
      exchange: d.exchange,
      orderBook: d.orderBook,
      vault: d.vault,
      insuranceFund: d.insuranceFund,
      collateralManager: d.collateralManager,
      marketRegistry: d.marketRegistry,
      quoteToken: d.quoteToken,
      settlementToken: d.settlementToken,
    },
    settlementTokenDecimals: 18,
    markets: d.markets.map((m) => ({
      baseToken: m.baseToken,
      pool: m.pool,
      aggregator: m.aggregator,
      chainlinkPriceFeed: m.chainlinkPriceFeed,
      priceFeedDispatcher: m.priceFeedDispatcher,
      aggregatorDecimals: 8,
      priceFeedTimeout: 86_400n,
      priceFeedTwapInterval: 900n,
      uniswapFee: 3000,
      tickSpacing: 60,
    })),
  };
}

/** The decoded Curie events of blocks [from, to], in chain order. */
export async function curieEvents(
  client: ChainClient,
  state: CurieState,
  from: bigint,
  to: bigint,
): Promise<CurieEvent[]> {
  const logs = await client.public.getLogs({ fromBlock: from, toBlock: to });
  const times = new Map<bigint, bigint>();
  const out: CurieEvent[] = [];
  for (const log of logs) {
    const role = roleOf(state, log.address);
    if (!role) continue;
    let ts = times.get(log.blockNumber);
    if (ts === undefined) {
      ts = (await client.public.getBlock({ blockNumber: log.blockNumber })).timestamp;
      times.set(log.blockNumber, ts);
    }
    const e = decodeCurieLog(
      role.contract,
      {
        address: log.address,
        topics: log.topics as [Hex, ...Hex[]],
        data: log.data,
        logIndex: log.logIndex,
        transactionIndex: log.transactionIndex,
      },
      { number: log.blockNumber, timestamp: ts },
    );
    if (e) out.push(e);
  }
  return out.sort((a, b) =>
    a.block.number === b.block.number
      ? a.logIndex - b.logIndex
      : Number(a.block.number - b.block.number),
  );
}

/** Applies events and closes the last transaction (views are read at block boundaries). */
export function applyAll(state: CurieState, events: CurieEvent[]): CurieState {
  let s = state;
  for (const e of events) s = applyEvent(s, e);
  return closeTransaction(s);
}

/** Deploys Curie, funds the accounts (tokens minted and approved, makers deposited) and replays the history. */
export async function startCurieChain(
  seed: number,
  a: { makers: number; takers: number },
): Promise<CurieChain> {
  const anvil = await startAnvil({ port: await freePort(), mining: { kind: "manual" } });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, true, 2);
    const d = await deployCurie(client, producer, { observationCardinality: 250 });
    const deployer = new TxSigner(client, ANVIL_KEYS.deployer);
    await deployer.syncNonce();
    const signers = Array.from(
      { length: a.makers + a.takers + 1 },
      (_, i) => new TxSigner(client, traderKey(seed, i)),
    );
    const hashes: Hash[] = [];
    for (const [i, s] of signers.entries()) {
      await client.rpc("anvil_setBalance", [s.address, `0x${(10n ** 22n).toString(16)}`]);
      await s.syncNonce();
      const st = d.settlementToken;
      const amount = parseUnits("100000000", 18);
      hashes.push(await s.write(st, mockSettlementTokenAbi, "mint", [s.address, amount], TX_GAS));
      hashes.push(
        await s.write(st, mockSettlementTokenAbi, "approve", [d.vault, maxUint256], TX_GAS),
      );
      {
        const usd =
          i < a.makers ? 20_000_000 : i < a.makers + a.takers ? 10_000 * (i + 1) : 5_000_000;
        const deposit = parseUnits(String(usd), 18);
        hashes.push(await s.write(d.vault, curie.Vault().abi, "deposit", [st, deposit], TX_GAS));
      }
    }
    await producer.settle(hashes, "fund accounts");
    const latest = await client.public.getBlock({ blockTag: "latest" });
    let state = createCurieState(deploymentParams(d));
    state = applyAll(state, await curieEvents(client, state, BigInt(d.startBlock), latest.number));
    const reader = createPublicClient({
      chain: client.chain,
      transport: http(anvil.rpcUrl, { batch: { batchSize: 500 } }),
    });
    return {
      anvil,
      client,
      reader,
      d,
      deployer,
      makers: signers.slice(0, a.makers),
      takers: signers.slice(a.makers, a.makers + a.takers),
      liquidator: signers[a.makers + a.takers]!,
      state,
      time: Number(latest.timestamp),
      block: latest.number,
      events: 0,
    };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}

/** Mines one block `gap` seconds after the last, replays its events; returns the receipts' statuses. */
export async function mineAndReplay(
  c: CurieChain,
  hashes: Hash[],
  gap: number,
): Promise<boolean[]> {
  const time = c.time + gap;
  await c.client.rpc("evm_mine", [time]);
  const receipts = await Promise.all(
    hashes.map((hash) => c.client.public.getTransactionReceipt({ hash })),
  );
  c.time = time;
  c.block += 1n;
  const events = await curieEvents(c.client, c.state, c.block, c.block);
  c.events += events.length;
  c.state = applyAll(c.state, events);
  return receipts.map((r) => r.status === "success");
}

export type { Address };
