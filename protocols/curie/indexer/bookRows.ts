/**
 * The Curie engine's state as the normalized book's rows (engine/risk/book.ts), exactly as
 * protocols/curie/riskModel.ts needs them to reproduce Curie's views at the block:
 *
 * - account `collateral` = settlement balance (D18) + owed realized PnL + pending maker fees,
 *   minus all pending funding for an account with orders ("volatile": its funding and maker
 *   position move with the pool, so its rows are rewritten every block);
 * - a position per registered market: total size (taker + maker base in the pool), net quote
 *   balance (taker open notional + maker quote in the pool − quote debt), the entry price
 *   derived from them (display only), and the settled funding growth for a taker-only account
 *   (its pending funding is then exact in the risk model; none for a volatile account);
 * - a market: mark price, index price, the daily funding rate (premium / index, as
 *   FundingUpdated reports it), the global funding growth now, open interest per side.
 */
import type { Address } from "../../protocol.js";
import { takerPositionSize, totalOrderDebt } from "../engine/accountBalance.js";
import { fundingNow } from "../engine/funding.js";
import { parseSettlementToken } from "../engine/math.js";
import { accountMarketOf, accountOf, type CurieState, marketOf } from "../engine/state.js";
import {
  getAllPendingFundingPayment,
  getIndexPrice,
  getMarkPrice,
  getPnlAndPendingFee,
  getTotalPositionSize,
  totalTokenAmountInPool,
} from "../engine/views.js";

const ONE = 10n ** 18n;
const Q96 = 1n << 96n;
const DAY = 86_400n;

export interface PositionRowValues {
  size: bigint;
  quoteBalance: bigint;
  lastPrice: bigint;
  /** The settled growth, or null when funding is folded into the account's collateral. */
  fundingGrowth: bigint | null;
}

export interface AccountRowValues {
  collateral: bigint;
  /** By base token, for every market the account is registered in. */
  positions: Map<Address, PositionRowValues>;
  /** Whether the rows move with time and the pool (an account with orders). */
  volatile: boolean;
}

/** Whether `trader` has liquidity orders in any market. */
export function hasOrders(s: CurieState, trader: Address): boolean {
  const ids = accountOf(s, trader).orderIds;
  for (const base in ids) if ((ids[base as Address]?.length ?? 0) > 0) return true;
  return false;
}

export function accountRows(s: CurieState, trader: Address, now: bigint): AccountRowValues {
  const a = accountOf(s, trader);
  const volatile = hasOrders(s, trader);
  const [owed, , pendingFee] = volatile
    ? getPnlAndPendingFee(s, trader, now)
    : [a.owedRealizedPnl, 0n, 0n];
  let collateral = parseSettlementToken(a.balance, s.settlementTokenDecimals) + owed + pendingFee;
  if (volatile) collateral -= getAllPendingFundingPayment(s, trader, now);
  const positions = new Map<Address, PositionRowValues>();
  for (const base of a.baseTokens) {
    const am = accountMarketOf(s, trader, base);
    const size = volatile
      ? getTotalPositionSize(s, trader, base)
      : takerPositionSize(s, trader, base);
    let quote = am.takerOpenNotional;
    if (volatile) {
      quote +=
        totalTokenAmountInPool(s, trader, base, false).amount -
        totalOrderDebt(s, trader, base, false);
    }
    positions.set(base, {
      size,
      quoteBalance: quote,
      lastPrice:
        size === 0n ? 0n : ((quote < 0n ? -quote : quote) * ONE) / (size < 0n ? -size : size),
      fundingGrowth: volatile ? null : am.lastTwPremiumGrowthGlobalX96,
    });
  }
  return { collateral, positions, volatile };
}

export interface MarketRowValues {
  markPrice: bigint;
  indexPrice: bigint;
  /** Daily rate, D18: (market TWAP − index TWAP) / index TWAP. */
  fundingRate: bigint;
  /** Global twPremiumX96 now. */
  fundingGrowth: bigint;
  /** The same as a D18 index (USD per unit of size paid since genesis), for the analytics. */
  fundingIndex: bigint;
  sizeLong: bigint;
  sizeShort: bigint;
}

export function marketRows(s: CurieState, base: Address, now: bigint): MarketRowValues {
  const m = marketOf(s, base);
  const f = fundingNow(m, s.config, now);
  let sizeLong = 0n;
  let sizeShort = 0n;
  for (const trader in s.accounts) {
    const size = s.accounts[trader as Address]!.markets[base]?.takerPositionSize ?? 0n;
    if (size > 0n) sizeLong += size;
    else sizeShort -= size;
  }
  return {
    markPrice: getMarkPrice(s, base, now),
    indexPrice: getIndexPrice(s, base, 0n, now),
    fundingRate: f.indexTwap === 0n ? 0n : ((f.marketTwap - f.indexTwap) * ONE) / f.indexTwap,
    fundingGrowth: f.growth.twPremiumX96,
    fundingIndex: (f.growth.twPremiumX96 * ONE) / Q96 / DAY,
    sizeLong,
    sizeShort,
  };
}
