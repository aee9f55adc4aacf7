/**
 * What the simulator's actors see of a Curie devnet at one block, read through Curie's own
 * views (no lens contract: the bytecode is Perp's). Account views go out as deployless
 * multicalls (viem runs Multicall3 inside one eth_call), so reading hundreds of accounts costs
 * a few requests per block. Decisions are functions of this snapshot and of seeded streams,
 * so the same seed sends the same transactions.
 */
import type { Abi, Address } from "viem";
import type { ChainClient } from "../../../devnet/chain.js";
import { fromD18 } from "../../../engine/analytics/d18.js";
import { curie } from "./artifacts.js";
import type { CurieDeployment } from "./deploy.js";
import { priceOfSqrtX96 } from "./prices.js";
import { type PriceWindow, readStoredTick, type TickSlots, windowForBlock } from "./priceWindow.js";

export interface MarketState {
  sqrtPriceX96: bigint;
  tick: number;
  /** Pool price, quote per base. */
  poolPrice: number;
  /** AccountBalance.getMarkPrice: the median Curie values positions at. */
  markPrice: number;
  /** The swap window of the next block. */
  window: PriceWindow;
}

export interface AccountState {
  /** ClearingHouse.getAccountValue, USD. */
  value: number;
  /** AccountBalance.getMarginRequirementForLiquidation, USD. */
  marginForLiquidation: number;
  /** Taker position size per market, base units (exact, 18 decimals). */
  sizes: bigint[];
}

interface Call {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

/** Calls per deployless multicall request (≈ 100 k gas each at most: well under anvil's cap). */
const CHUNK = 400;

/** Runs view calls at `blockNumber` in deployless multicalls; any revert throws. */
export async function readMany(
  client: ChainClient,
  calls: readonly Call[],
  blockNumber: bigint,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < calls.length; i += CHUNK) {
    const part = await client.public.multicall({
      contracts: calls.slice(i, i + CHUNK) as never,
      allowFailure: false,
      deployless: true,
      batchSize: 0,
      blockNumber,
    });
    out.push(...(part as unknown[]));
  }
  return out;
}

const ABI = {
  clearingHouse: () => curie.ClearingHouse().abi,
  accountBalance: () => curie.AccountBalance().abi,
  pool: () => curie.UniswapV3Pool().abi,
  insuranceFund: () => curie.InsuranceFund().abi,
};

export async function readAccounts(
  client: ChainClient,
  d: CurieDeployment,
  traders: readonly Address[],
  blockNumber: bigint,
): Promise<AccountState[]> {
  const m = d.markets.length;
  const per = 2 + m;
  const calls: Call[] = traders.flatMap((t) => [
    {
      address: d.clearingHouse,
      abi: ABI.clearingHouse(),
      functionName: "getAccountValue",
      args: [t],
    },
    {
      address: d.accountBalance,
      abi: ABI.accountBalance(),
      functionName: "getMarginRequirementForLiquidation",
      args: [t],
    },
    ...d.markets.map((mk) => ({
      address: d.accountBalance,
      abi: ABI.accountBalance(),
      functionName: "getTakerPositionSize",
      args: [t, mk.baseToken],
    })),
  ]);
  const r = await readMany(client, calls, blockNumber);
  return traders.map((_, i) => ({
    value: fromD18(r[i * per] as bigint),
    marginForLiquidation: fromD18(r[i * per + 1] as bigint),
    sizes: r.slice(i * per + 2, i * per + 2 + m) as bigint[],
  }));
}

/** Pools, mark prices and the next block's swap windows, plus the insurance fund's capacity. */
export async function readMarkets(
  client: ChainClient,
  d: CurieDeployment,
  slots: readonly TickSlots[],
  nextTimestamp: number,
  blockNumber: bigint,
): Promise<{ markets: MarketState[]; insuranceFund: number }> {
  const calls: Call[] = d.markets.flatMap((mk) => [
    { address: mk.pool, abi: ABI.pool(), functionName: "slot0", args: [] },
    {
      address: d.accountBalance,
      abi: ABI.accountBalance(),
      functionName: "getMarkPrice",
      args: [mk.baseToken],
    },
  ]);
  calls.push({
    address: d.insuranceFund,
    abi: ABI.insuranceFund(),
    functionName: "getInsuranceFundCapacity",
    args: [],
  });
  const [r, stored] = await Promise.all([
    readMany(client, calls, blockNumber),
    Promise.all(
      d.markets.map((mk, i) => readStoredTick(client, d.exchange, mk.baseToken, slots[i]!)),
    ),
  ]);
  const markets = d.markets.map((mk, i) => {
    const slot0 = r[i * 2] as readonly [bigint, number];
    const tick = Number(slot0[1]);
    return {
      sqrtPriceX96: slot0[0],
      tick,
      poolPrice: priceOfSqrtX96(slot0[0]),
      markPrice: fromD18(r[i * 2 + 1] as bigint),
      window: windowForBlock(stored[i]!, tick, nextTimestamp, mk.spec.maxTickCrossedWithinBlock),
    };
  });
  return { markets, insuranceFund: fromD18(r[r.length - 1] as bigint) };
}
