/**
 * The market-level half of Exchange.settleFunding, which runs at a market's first settlement in
 * a block (the one that emits FundingUpdated): BaseToken.cacheTwap (the feed's TWAP cache),
 * the global funding growth stored, and the reference tick of the per-block tick limit moved
 * when 15 s have passed. Later settlements in the same block change nothing here.
 */
import type { Address } from "viem";
import { fundingNow } from "./funding.js";
import { cacheTwap } from "./priceFeed.js";
import { type CurieState, marketOf, poolOf } from "./state.js";

/** Exchange._PRICE_LIMIT_INTERVAL. */
const PRICE_LIMIT_INTERVAL = 15n;

export function settleMarketFunding(
  s: CurieState,
  base: Address,
  now: bigint,
): { state: CurieState; twaps?: { marketTwap: bigint; indexTwap: bigint } } {
  const m0 = marketOf(s, base);
  const m = { ...m0, feed: cacheTwap(m0.feed, s.config.markPricePremiumInterval, now) };
  if (now === m0.lastSettledTimestamp)
    return { state: { ...s, markets: { ...s.markets, [base]: m } } };
  const f = fundingNow(m, s.config, now);
  let next = { ...m, globalFundingGrowth: f.growth, lastSettledTimestamp: now };
  if (now >= m.lastTickUpdatedTimestamp + PRICE_LIMIT_INTERVAL) {
    next = { ...next, lastTickUpdatedTimestamp: now, lastUpdatedTick: poolOf(m).tick };
  }
  return {
    state: { ...s, markets: { ...s.markets, [base]: next } },
    twaps: { marketTwap: f.marketTwap, indexTwap: f.indexTwap },
  };
}
