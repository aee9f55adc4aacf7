/**
 * Test support: the exchange as its own views show it at one block — every market, every
 * account with its health and positions, the insurance fund — read with `eth_call` at that
 * block from the devnet's anvil. This is what the API's figures must equal.
 */
import type { Address, PublicClient } from "viem";
import type { Manifest } from "../../../devnet/manifest.js";
import {
  perpExchangeAbi,
  priceOracleAbi,
} from "../../../protocols/reference/contracts/generated/index.js";

export interface ChainMarket {
  id: bigint;
  symbol: string;
  params: Record<string, bigint>;
  state: {
    skew: bigint;
    sizeLong: bigint;
    sizeShort: bigint;
    lastFundingRate: bigint;
    lastFundingIndex: bigint;
    lastFundingTime: bigint;
    badDebt: bigint;
  };
  price: bigint;
  publishTime: bigint;
  fundingRate: bigint;
  fundingIndex: bigint;
  fundingVelocity: bigint;
}

export interface ChainPosition {
  size: bigint;
  lastPrice: bigint;
  lastFundingIndex: bigint;
}

export interface ChainAccount {
  id: bigint;
  owner: string;
  collateral: bigint;
  openMarkets: bigint;
  equity: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
  notional: bigint;
  liquidatable: boolean;
  /** Open positions by market id. */
  positions: Map<bigint, ChainPosition>;
}

export interface ChainBook {
  block: bigint;
  markets: ChainMarket[];
  accounts: ChainAccount[];
  insuranceFund: bigint;
}

async function inChunks<T, R>(items: readonly T[], size: number, fn: (t: T) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  }
  return out;
}

export async function readChainBook(
  client: PublicClient,
  manifest: Manifest,
  block: bigint,
): Promise<ChainBook> {
  const exchange = manifest.contracts.exchange as Address;
  const oracle = manifest.contracts.oracle as Address;
  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    client.readContract({
      address: exchange,
      abi: perpExchangeAbi,
      functionName: functionName as never,
      args: args as never,
      blockNumber: block,
    }) as Promise<T>;
  const marketCount = await read<bigint>("marketCount");
  const accountCount = await read<bigint>("accountCount");
  const markets = await inChunks(
    Array.from({ length: Number(marketCount) }, (_, i) => BigInt(i + 1)),
    5,
    async (id): Promise<ChainMarket> => {
      const m = await read<{
        symbol: string;
        params: Record<string, bigint>;
        state: ChainMarket["state"];
      }>("getMarket", [id]);
      const [price, publishTime] = (await client.readContract({
        address: oracle,
        abi: priceOracleAbi,
        functionName: "getPrice",
        args: [id],
        blockNumber: block,
      })) as readonly [bigint, bigint];
      return {
        id,
        symbol: m.symbol,
        params: { ...m.params },
        state: { ...m.state },
        price,
        publishTime,
        fundingRate: await read<bigint>("currentFundingRate", [id]),
        fundingIndex: await read<bigint>("fundingIndex", [id]),
        fundingVelocity: await read<bigint>("fundingVelocity", [id]),
      };
    },
  );
  const accounts = await inChunks(
    Array.from({ length: Number(accountCount) }, (_, i) => BigInt(i + 1)),
    20,
    async (id): Promise<ChainAccount> => {
      const [owner, collateral, openMarkets] = await read<readonly [string, bigint, bigint]>(
        "getAccount",
        [id],
      );
      const [equity, initialMargin, maintenanceMargin, notional] = await read<
        readonly [bigint, bigint, bigint, bigint]
      >("accountHealth", [id]);
      const positions = new Map<bigint, ChainPosition>();
      for (const m of markets) {
        if (((openMarkets >> (m.id - 1n)) & 1n) === 0n) continue;
        const p = await read<ChainPosition>("getPosition", [id, m.id]);
        positions.set(m.id, {
          size: p.size,
          lastPrice: p.lastPrice,
          lastFundingIndex: p.lastFundingIndex,
        });
      }
      return {
        id,
        owner: owner.toLowerCase(),
        collateral,
        openMarkets,
        equity,
        initialMargin,
        maintenanceMargin,
        notional,
        liquidatable: await read<boolean>("canLiquidate", [id]),
        positions,
      };
    },
  );
  return { block, markets, accounts, insuranceFund: await read<bigint>("insuranceFund") };
}
