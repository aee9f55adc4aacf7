/**
 * What the simulator's actors see of a Curie devnet at one block, read through Curie's own
 * views (no lens contract: the bytecode is Perp's). Account views go out as deployless
 * multicalls (viem runs Multicall3 inside one eth_call), so reading hundreds of accounts costs
 * a few requests per block. Decisions are functions of this snapshot and of seeded streams,
 * so the same seed sends the same transactions.
 */
import { type Abi, type Address, parseAbi } from "viem";
import type { ChainClient } from "../../../devnet/chain.js";
import { fromD18 } from "../../../engine/analytics/d18.js";
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
  /** Exchange.isOverPriceSpread: pool more than 10 % off the 15-min index TWAP (addLiquidity reverts CH_OMPS). */
  overPriceSpread: boolean;
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

/** One-function ABIs: viem encodes and decodes hundreds of calls a block, by name. */
const ABI = {
  accountValue: parseAbi(["function getAccountValue(address) view returns (int256)"]),
  marginForLiquidation: parseAbi([
    "function getMarginRequirementForLiquidation(address) view returns (int256)",
  ]),
  takerSize: parseAbi(["function getTakerPositionSize(address, address) view returns (int256)"]),
  markPrice: parseAbi(["function getMarkPrice(address) view returns (uint256)"]),
  slot0: parseAbi([
    "function slot0() view returns (uint160, int24, uint16, uint16, uint16, uint8, bool)",
  ]),
  capacity: parseAbi(["function getInsuranceFundCapacity() view returns (int256)"]),
  overPriceSpread: parseAbi(["function isOverPriceSpread(address) view returns (bool)"]),
  freeCollateral: parseAbi(["function getFreeCollateral(address) view returns (uint256)"]),
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
      abi: ABI.accountValue,
      functionName: "getAccountValue",
      args: [t],
    },
    {
      address: d.accountBalance,
      abi: ABI.marginForLiquidation,
      functionName: "getMarginRequirementForLiquidation",
      args: [t],
    },
    ...d.markets.map((mk) => ({
      address: d.accountBalance,
      abi: ABI.takerSize,
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

/** Vault.getFreeCollateral of each trader, USD (only the traders about to trade need it). */
export async function readFreeCollateral(
  client: ChainClient,
  d: CurieDeployment,
  traders: readonly Address[],
  blockNumber: bigint,
): Promise<number[]> {
  const calls = traders.map((t) => ({
    address: d.vault,
    abi: ABI.freeCollateral,
    functionName: "getFreeCollateral",
    args: [t],
  }));
  return (await readMany(client, calls, blockNumber)).map((x) => fromD18(x as bigint));
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
    { address: mk.pool, abi: ABI.slot0, functionName: "slot0", args: [] },
    {
      address: d.accountBalance,
      abi: ABI.markPrice,
      functionName: "getMarkPrice",
      args: [mk.baseToken],
    },
    {
      address: d.exchange,
      abi: ABI.overPriceSpread,
      functionName: "isOverPriceSpread",
      args: [mk.baseToken],
    },
  ]);
  calls.push({
    address: d.insuranceFund,
    abi: ABI.capacity,
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
    const slot0 = r[i * 3] as readonly [bigint, number];
    const tick = Number(slot0[1]);
    return {
      sqrtPriceX96: slot0[0],
      tick,
      poolPrice: priceOfSqrtX96(slot0[0]),
      markPrice: fromD18(r[i * 3 + 1] as bigint),
      window: windowForBlock(stored[i]!, tick, nextTimestamp, mk.spec.maxTickCrossedWithinBlock),
      overPriceSpread: r[i * 3 + 2] as boolean,
    };
  });
  return { markets, insuranceFund: fromD18(r[r.length - 1] as bigint) };
}
