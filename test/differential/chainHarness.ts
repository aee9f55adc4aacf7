/**
 * The chain side of the differential test: a real anvil with the reference exchange deployed
 * by `deployExchange`, funded actors, one raw signed transaction per operation in its own
 * block at a timestamp we choose (or several in one block, `sendBlock`), revert data recovered by tracing, and every view read back
 * in one JSON-RPC batch per step.
 */
import {
  type Abi,
  type Address,
  decodeErrorResult,
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  maxUint256,
} from "viem";
import { type Anvil, startAnvil } from "../../devnet/anvil.js";
import {
  BlockProducer,
  type ChainClient,
  createChainClient,
  TxSigner,
} from "../../devnet/chain.js";
import { ANVIL_KEYS, traderKey } from "../../devnet/keys.js";
import {
  mockUSDAbi,
  perpExchangeAbi,
  priceOracleAbi,
} from "../../protocols/reference/contracts/generated/index.js";
import { type Deployment, deployExchange } from "../../protocols/reference/devnet/deploy.js";
import { DEFAULT_MARKETS } from "../../protocols/reference/devnet/markets.js";
import {
  deployedState,
  type Address as EngineAddress,
  type ExchangeEvent,
  type ExchangeState,
  type Market,
  type Operation,
} from "../../protocols/reference/engine/index.js";
import { freePort } from "../../runtime/freePort.js";

export const TX_GAS = 6_000_000n;
const ERROR_ABI = [...perpExchangeAbi, ...priceOracleAbi, ...mockUSDAbi].filter(
  (x) => x.type === "error",
) as Abi;

export interface Actors {
  owner: EngineAddress;
  oracleKeeper: EngineAddress;
  liquidator: EngineAddress;
  adlKeeper: EngineAddress;
  traders: EngineAddress[];
}

export interface DiffChain {
  anvil: Anvil;
  client: ChainClient;
  deployment: Deployment;
  actors: Actors;
  signers: Map<string, TxSigner>;
  /** Block time of the chain's latest block after setup. */
  startTime: bigint;
}

export interface ChainOptions {
  seed: number;
  traders: number;
  /** Markets deployed up front (the rest are created by the generator). */
  initialMarkets: number;
  insuranceFund: number;
  vaultBuffer: number;
  maxPriceAge: number;
}

const lower = (a: string) => a.toLowerCase() as EngineAddress;

export async function startDiffChain(o: ChainOptions): Promise<DiffChain> {
  const anvil = await startAnvil({ port: await freePort(), mining: { kind: "auto" } });
  try {
    const client = createChainClient(anvil.rpcUrl, anvil.chainId);
    const producer = await BlockProducer.forChain(client, false, 1);
    const deployment = await deployExchange(client, producer, {
      markets: DEFAULT_MARKETS.slice(0, o.initialMarkets),
      insuranceFund: o.insuranceFund,
      vaultBuffer: o.vaultBuffer,
      maxPriceAge: o.maxPriceAge,
    });
    const keys = [
      ANVIL_KEYS.deployer,
      ANVIL_KEYS.oracleKeeper,
      ANVIL_KEYS.liquidationKeeper,
      ANVIL_KEYS.adlKeeper,
      ...Array.from({ length: o.traders }, (_, i) => traderKey(o.seed, i)),
    ];
    const signers = new Map<string, TxSigner>();
    for (const k of keys) {
      const s = new TxSigner(client, k);
      await client.rpc("anvil_setBalance", [s.address, "0x3635c9adc5dea00000"]);
      await s.syncNonce();
      signers.set(lower(s.address), s);
    }
    const all = [...signers.values()];
    const deployer = all[0]!;
    const actors: Actors = {
      owner: lower(deployer.address),
      oracleKeeper: lower(all[1]!.address),
      liquidator: lower(all[2]!.address),
      adlKeeper: lower(all[3]!.address),
      traders: all.slice(4).map((s) => lower(s.address)),
    };
    const hashes: Hex[] = [];
    const plenty = 1n << 200n;
    for (const s of all) {
      hashes.push(
        await deployer.write(
          deployment.collateralToken,
          mockUSDAbi,
          "mint",
          [s.address, plenty],
          TX_GAS,
        ),
      );
    }
    for (const s of all.slice(1)) {
      hashes.push(
        await s.write(
          deployment.collateralToken,
          mockUSDAbi,
          "approve",
          [deployment.exchange, maxUint256],
          TX_GAS,
        ),
      );
    }
    await producer.settle(hashes, "differential setup");
    const latest = await client.public.getBlock({ blockTag: "latest" });
    return { anvil, client, deployment, actors, signers, startTime: latest.timestamp };
  } catch (err) {
    await anvil.stop();
    throw err;
  }
}

// ------------------------------------------------------------------ JSON-RPC

interface RpcReply {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

async function rpcBatch(
  url: string,
  calls: { method: string; params: unknown[] }[],
): Promise<RpcReply[]> {
  const body = calls.map((c, id) => ({ jsonrpc: "2.0", id, ...c }));
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`rpc batch: HTTP ${res.status}`);
  const replies = (await res.json()) as RpcReply[];
  const byId = new Array<RpcReply>(calls.length);
  for (const r of replies) byId[r.id] = r;
  return byId;
}

/** A decoded revert: the error's name and its arguments in ABI order. */
export interface ChainError {
  name: string;
  args: readonly unknown[];
}

export function decodeRevert(data: unknown): ChainError {
  if (typeof data !== "string" || !data.startsWith("0x") || data.length < 10) {
    return { name: `<undecodable revert: ${String(data)}>`, args: [] };
  }
  try {
    const r = decodeErrorResult({ abi: ERROR_ABI, data: data as Hex });
    return { name: r.errorName, args: r.args ?? [] };
  } catch {
    return { name: `<unknown revert ${data.slice(0, 10)}>`, args: [] };
  }
}

/** Orders an engine error's args as the ABI does, so they compare with the decoded revert. */
export function engineErrorArgs(name: string, args: Record<string, unknown>): unknown[] {
  if (name === "Panic") return [args.code];
  const item = ERROR_ABI.find((x) => x.type === "error" && x.name === name);
  if (item?.type !== "error") return Object.values(args);
  return item.inputs.map((i) => args[i.name ?? ""]);
}

// ------------------------------------------------------------------ transactions

export function encodeOp(d: Deployment, op: Operation): { to: Address; data: Hex } {
  const ex = (functionName: string, args: unknown[]) => ({
    to: d.exchange,
    data: encodeFunctionData({ abi: perpExchangeAbi, functionName, args } as never),
  });
  const or = (functionName: string, args: unknown[]) => ({
    to: d.oracle,
    data: encodeFunctionData({ abi: priceOracleAbi, functionName, args } as never),
  });
  switch (op.kind) {
    case "createMarket":
      return ex("createMarket", [op.symbol, op.params]);
    case "setMarketParams":
      return ex("setMarketParams", [op.marketId, op.params]);
    case "setMaxPriceAge":
      return ex("setMaxPriceAge", [op.maxPriceAge]);
    case "depositInsuranceFund":
      return ex("depositInsuranceFund", [op.amount]);
    case "createAccount":
      return ex("createAccount", []);
    case "modifyCollateral":
      return ex("modifyCollateral", [op.accountId, op.amountDelta]);
    case "modifyPosition":
      return ex("modifyPosition", [op.accountId, op.marketId, op.sizeDelta]);
    case "liquidate":
      return ex("liquidate", [op.accountId]);
    case "autoDeleverage":
      return ex("autoDeleverage", [
        op.bankruptAccountId,
        op.marketId,
        op.isLong,
        op.counterparties,
      ]);
    case "setPrice":
      return or("setPrice", [op.marketId, op.price]);
    case "setPrices":
      return or("setPrices", [op.marketIds, op.prices]);
    case "setUpdater":
      return or("setUpdater", [op.updater, op.allowed]);
  }
}

export type TxOutcome =
  | {
      ok: true;
      events: { name: string; args: Record<string, unknown> }[];
      blockTime: bigint;
      blockNumber: bigint;
    }
  | { ok: false; error: ChainError; blockTime: bigint; blockNumber: bigint };

/** Signs and sends `op` from `sender` (mined at once or with the next `evm_mine`). */
async function submit(chain: DiffChain, op: Operation, sender: EngineAddress): Promise<Hex> {
  const signer = chain.signers.get(sender);
  if (!signer) throw new Error(`no signer for ${sender}`);
  const { to, data } = encodeOp(chain.deployment, op);
  return signer.sendData(to, data, TX_GAS);
}

/** A mined transaction's outcome: its decoded events, or its revert recovered by tracing. */
async function outcomeOf(chain: DiffChain, hash: Hex): Promise<TxOutcome> {
  let receipt: {
    status: string;
    blockNumber: Hex;
    logs: { address: string; data: Hex; topics: Hex[] }[];
  } | null = null;
  for (let i = 0; receipt === null; i++) {
    receipt = await chain.client.rpc("eth_getTransactionReceipt", [hash]);
    if (receipt === null) {
      if (i > 400) throw new Error(`no receipt for ${hash}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const block = await chain.client.rpc<{ timestamp: Hex }>("eth_getBlockByNumber", [
    receipt.blockNumber,
    false,
  ]);
  const blockTime = BigInt(block.timestamp);
  const blockNumber = BigInt(receipt.blockNumber);
  if (receipt.status === "0x1") {
    const ex = chain.deployment.exchange.toLowerCase();
    const or = chain.deployment.oracle.toLowerCase();
    const events: { name: string; args: Record<string, unknown> }[] = [];
    for (const log of receipt.logs) {
      const addr = log.address.toLowerCase();
      if (addr !== ex && addr !== or) continue;
      const decoded = decodeEventLog({
        abi: addr === ex ? perpExchangeAbi : priceOracleAbi,
        data: log.data,
        topics: log.topics as [Hex, ...Hex[]],
      });
      events.push({ name: decoded.eventName, args: decoded.args as Record<string, unknown> });
    }
    return { ok: true, events, blockTime, blockNumber };
  }
  const trace = await chain.client.rpc<{ output?: Hex }>("debug_traceTransaction", [
    hash,
    { tracer: "callTracer" },
  ]);
  return { ok: false, error: decodeRevert(trace.output), blockTime, blockNumber };
}

/** Sends `op` from `sender` in a block stamped `timestamp`; its events or its decoded revert. */
export async function sendOp(
  chain: DiffChain,
  op: Operation,
  sender: EngineAddress,
  timestamp: bigint,
): Promise<TxOutcome> {
  await chain.client.rpc("evm_setNextBlockTimestamp", [Number(timestamp)]);
  return outcomeOf(chain, await submit(chain, op, sender));
}

/**
 * Sends every operation with mining paused, then mines them all in one block stamped
 * `timestamp` (anvil orders a block first in, first out); their outcomes in order.
 */
export async function sendBlock(
  chain: DiffChain,
  txs: readonly { op: Operation; sender: EngineAddress }[],
  timestamp: bigint,
): Promise<TxOutcome[]> {
  await chain.client.rpc("evm_setAutomine", [false]);
  const hashes: Hex[] = [];
  try {
    for (const t of txs) hashes.push(await submit(chain, t.op, t.sender));
    await chain.client.rpc("evm_mine", [Number(timestamp)]);
  } finally {
    await chain.client.rpc("evm_setAutomine", [true]);
  }
  const out: TxOutcome[] = [];
  for (const h of hashes) out.push(await outcomeOf(chain, h));
  return out;
}

/** Mines an empty block at `timestamp` (a pure time warp). */
export async function warp(chain: DiffChain, timestamp: bigint): Promise<void> {
  await chain.client.rpc("evm_mine", [Number(timestamp)]);
}

// ------------------------------------------------------------------ views

export interface ViewCall {
  key: string;
  to: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

export type ViewReply = { ok: true; value: unknown } | { ok: false; error: ChainError };

/** All calls in one JSON-RPC batch at the latest block, plus that block's timestamp. */
export async function readViews(
  chain: DiffChain,
  calls: readonly ViewCall[],
): Promise<{ blockTime: bigint; replies: ViewReply[] }> {
  const batch = calls.map((c) => ({
    method: "eth_call",
    params: [
      {
        to: c.to,
        data: encodeFunctionData({
          abi: c.abi,
          functionName: c.functionName,
          args: c.args,
        } as never),
      },
      "latest",
    ],
  }));
  batch.push({ method: "eth_getBlockByNumber", params: ["latest", false] as never });
  const replies = await rpcBatch(chain.anvil.rpcUrl, batch);
  const block = replies[calls.length]?.result as { timestamp: Hex } | undefined;
  if (!block) throw new Error("rpc batch: no latest block");
  const blockTime = BigInt(block.timestamp);
  return {
    blockTime,
    replies: calls.map((c, i) => {
      const r = replies[i];
      if (!r) throw new Error(`rpc batch: no reply for ${c.key}`);
      if (r.error) return { ok: false, error: decodeRevert(r.error.data) };
      return {
        ok: true,
        value: decodeFunctionResult({
          abi: c.abi,
          functionName: c.functionName,
          data: r.result as Hex,
        } as never),
      };
    }),
  };
}

/**
 * The engine's starting state: what the deployment left on chain (markets, prices, fund,
 * staleness limit, the exchange's token balance), read back through the contracts' views.
 */
export async function initialEngineState(chain: DiffChain): Promise<ExchangeState> {
  const d = chain.deployment;
  const pub = chain.client.public;
  const base = deployedState({
    address: lower(d.exchange),
    owner: chain.actors.owner,
    maxPriceAge: await pub.readContract({
      address: d.exchange,
      abi: perpExchangeAbi,
      functionName: "maxPriceAge",
    }),
  }).state;
  const marketCount = await pub.readContract({
    address: d.exchange,
    abi: perpExchangeAbi,
    functionName: "marketCount",
  });
  const markets: Market[] = [];
  const prices: Record<string, { price: bigint; publishTime: bigint }> = {};
  for (let id = 1n; id <= marketCount; id++) {
    const m = await pub.readContract({
      address: d.exchange,
      abi: perpExchangeAbi,
      functionName: "getMarket",
      args: [id],
    });
    markets.push({
      marketId: id,
      symbol: m.symbol,
      params: { ...m.params },
      state: { ...m.state },
    });
    const [price, publishTime] = await pub.readContract({
      address: d.oracle,
      abi: priceOracleAbi,
      functionName: "getPrice",
      args: [id],
    });
    prices[id.toString()] = { price, publishTime };
  }
  return {
    ...base,
    insuranceFund: await pub.readContract({
      address: d.exchange,
      abi: perpExchangeAbi,
      functionName: "insuranceFund",
    }),
    markets,
    oracle: {
      owner: chain.actors.owner,
      updaters: { [chain.actors.owner]: true, [chain.actors.oracleKeeper]: true },
      prices,
    },
    tokenBalance: await pub.readContract({
      address: d.collateralToken,
      abi: mockUSDAbi,
      functionName: "balanceOf",
      args: [d.exchange],
    }),
  };
}

export type { ExchangeEvent };
