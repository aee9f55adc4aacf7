/**
 * ClearingHouse._settleFunding → Exchange.settleFunding for one (trader, market): the
 * trader's orders take their funding growth inside (OrderBook
 * .updateFundingGrowthAndLiquidityCoefficientInFundingPayment), the payment goes to owed
 * realized PnL, and the account remembers the global growth. The market-level part (the
 * global growth, the feed's TWAP cache, the tick limit's reference) runs once per block at
 * FundingUpdated (apply.ts); here the global growth is the one stored for this block.
 */
import type { Address } from "viem";
import { baseBalance, modifyOwedRealizedPnl, withAccountMarket } from "./accountBalance.js";
import {
  fundingGrowthRange,
  liquidityCoefficientOfOrder,
  pendingFundingPayment,
} from "./funding.js";
import { accountMarketOf, accountOf, type CurieState, marketOf } from "./state.js";

/**
 * Settles funding of `trader` in `base` as of the market's stored growth, with the pool's
 * current tick `tick` (the tick the contract saw: before a swap that follows in the same call).
 */
export function settleFunding(
  s: CurieState,
  trader: Address,
  base: Address,
  tick: number,
  now: bigint,
): { state: CurieState; payment: bigint } {
  const m = marketOf(s, base);
  if (m.lastSettledTimestamp !== now) {
    throw new Error(
      `curie engine: settling funding of ${trader} in ${base} at ${now} but the market was last settled at ${m.lastSettledTimestamp} (a FundingUpdated event is missing)`,
    );
  }
  const growth = m.globalFundingGrowth;
  let orders = s.orders;
  let coefficient = 0n;
  for (const id of accountOf(s, trader).orderIds[base] ?? []) {
    const o = orders[id]!;
    const range = fundingGrowthRange(m.growthOutside, o.lowerTick, o.upperTick, tick, growth);
    coefficient += liquidityCoefficientOfOrder(o, range);
    orders = {
      ...orders,
      [id]: {
        ...o,
        lastTwPremiumGrowthInsideX96: range.twPremiumGrowthInsideX96,
        lastTwPremiumGrowthBelowX96: range.twPremiumGrowthBelowX96,
        lastTwPremiumDivBySqrtPriceGrowthInsideX96: range.twPremiumDivBySqrtPriceGrowthInsideX96,
      },
    };
  }
  const payment = pendingFundingPayment(
    baseBalance(s, trader, base),
    accountMarketOf(s, trader, base).lastTwPremiumGrowthGlobalX96,
    growth,
    coefficient,
  );
  let n: CurieState = { ...s, orders };
  n = modifyOwedRealizedPnl(n, trader, -payment);
  n = withAccountMarket(n, trader, base, (am) => ({
    ...am,
    lastTwPremiumGrowthGlobalX96: growth.twPremiumX96,
  }));
  return { state: n, payment };
}
