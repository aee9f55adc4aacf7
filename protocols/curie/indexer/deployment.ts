/**
 * What the engine's initial state needs that no event says (engine/state.ts
 * `CurieDeploymentParams`): token and aggregator decimals, the price feeds' timeout, the pools'
 * fee and tick spacing. Read once per exchange from the chain's RPC at its latest block: every
 * one of them is immutable in the contracts (set in a constructor or `initialize`), and a
 * node that keeps no history (a saved devnet chain, a pruned node) answers only there.
 *
 * One assumption, stated: ChainlinkPriceFeedV3's cached-TWAP interval has no getter, so it is
 * taken to be ClearingHouseConfig's `getTwapInterval()` — the interval Exchange asks the feed
 * to cache (`cacheTwap(twapInterval)`), which is how Perp deploys its feeds and how the devnet
 * does (deploy.ts). A feed built with another interval would never cache; the self-check would
 * then report the index TWAPs of `FundingUpdated`.
 */
import { createPublicClient, http, parseAbi } from "viem";
import type { Address, ExchangeConfig } from "../../protocol.js";
import { curieMarketAddresses } from "../addresses.js";
import type { CurieDeploymentParams } from "../engine/state.js";

const READ_ABI = parseAbi([
  "function decimals() view returns (uint8)",
  "function getTimeout() view returns (uint256)",
  "function fee() view returns (uint24)",
  "function tickSpacing() view returns (int24)",
  "function getTwapInterval() view returns (uint32)",
]);

type Fn = "decimals" | "getTimeout" | "fee" | "tickSpacing" | "getTwapInterval";

export async function readDeploymentParams(x: ExchangeConfig): Promise<CurieDeploymentParams> {
  const a = x.addresses;
  const client = createPublicClient({ transport: http(x.chain.rpcUrl, { retryCount: 5 }) });
  const read = async (address: Address, functionName: Fn) => {
    try {
      return (await client.readContract({ address, abi: READ_ABI, functionName })) as
        | number
        | bigint;
    } catch (err) {
      throw new Error(
        `curie exchange ${x.id}: ${functionName}() of ${address} failed on ${x.chain.rpcUrl} (${(err as Error).message.split("\n")[0]}); expected the configured Curie contract`,
      );
    }
  };
  const twapInterval = BigInt(await read(a.clearingHouseConfig!, "getTwapInterval"));
  const pools = curieMarketAddresses(a, "pool");
  const aggregators = curieMarketAddresses(a, "aggregator");
  const feeds = curieMarketAddresses(a, "priceFeed");
  const markets = await Promise.all(
    curieMarketAddresses(a, "baseToken").map(async (baseToken, i) => ({
      baseToken,
      pool: pools[i]!,
      aggregator: aggregators[i]!,
      chainlinkPriceFeed: feeds[i]!,
      priceFeedDispatcher: curieMarketAddresses(a, "priceFeedDispatcher")[i]!,
      aggregatorDecimals: Number(await read(aggregators[i]!, "decimals")),
      priceFeedTimeout: BigInt(await read(feeds[i]!, "getTimeout")),
      priceFeedTwapInterval: twapInterval,
      uniswapFee: Number(await read(pools[i]!, "fee")),
      tickSpacing: Number(await read(pools[i]!, "tickSpacing")),
    })),
  );
  return {
    addresses: {
      clearingHouse: a.clearingHouse!,
      clearingHouseConfig: a.clearingHouseConfig!,
      accountBalance: a.accountBalance!,
      exchange: a.exchange!,
      orderBook: a.orderBook!,
      vault: a.vault!,
      insuranceFund: a.insuranceFund!,
      collateralManager: a.collateralManager!,
      marketRegistry: a.marketRegistry!,
      quoteToken: a.quoteToken!,
      settlementToken: a.settlementToken!,
    },
    settlementTokenDecimals: Number(await read(a.settlementToken!, "decimals")),
    markets,
  };
}
