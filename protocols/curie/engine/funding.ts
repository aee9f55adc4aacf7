/**
 * Funding: Exchange's global funding growth (`_getFundingGrowthGlobalAndTwaps`), OrderBook's
 * tick "growth outside" maps (lib/Tick.sol) and the pending payment of a trader
 * (lib/Funding.sol), line for line with the same rounding.
 *
 * Why pure functions of (market, config, time): the global growth is stored only at a market's
 * first settlement in a block; in between, every view recomputes it from the pool's TWAP and the
 * index TWAP at the view's block time.
 */

import {
  abs,
  minI,
  mulDiv,
  mulRatioU,
  Q96,
  sqrtPriceX96ToPriceX96,
  x18ToX96,
  x96ToX18,
} from "./math.js";
import {
  getAmount0Delta,
  getSqrtRatioAtTick,
  type IntMap,
  sqrtMarketTwapX96,
} from "./pool/index.js";
import { indexPrice } from "./priceFeed.js";
import {
  type CurieConfig,
  type CurieMarketState,
  type FundingGrowth,
  type OpenOrder,
  poolOf,
  type TickGrowth,
} from "./state.js";

const FUNDING_PERIOD = 86_400n;
const ZERO_TICK: TickGrowth = { feeX128: 0n, twPremiumX96: 0n, twPremiumDivBySqrtPriceX96: 0n };
const U256 = (x: bigint) => BigInt.asUintN(256, x);

export interface FundingNow {
  growth: FundingGrowth;
  /** The market and index TWAPs (1e18) FundingUpdated reports. */
  marketTwap: bigint;
  indexTwap: bigint;
}

/** The TWAP interval funding uses at `now`: the config's, shortened to the market's age. */
export function fundingTwapInterval(m: CurieMarketState, config: CurieConfig, now: bigint): bigint {
  if (m.firstTradedTimestamp === 0n) return 0n;
  const age = now - m.firstTradedTimestamp;
  return minI(config.twapInterval, age);
}

/** Exchange._getDeltaTwapX96: the premium, clamped to ±maxFundingRate of the index. */
function deltaTwapX96(marketTwapX96: bigint, indexTwapX96: bigint, maxFundingRate: bigint): bigint {
  const maxDelta = mulRatioU(indexTwapX96, maxFundingRate);
  if (marketTwapX96 > indexTwapX96) {
    const d = marketTwapX96 - indexTwapX96;
    return minI(d, maxDelta);
  }
  const d = indexTwapX96 - marketTwapX96;
  return d > maxDelta ? -maxDelta : -d;
}

/** Exchange._getFundingGrowthGlobalAndTwaps of an open market at block time `now`. */
export function fundingNow(m: CurieMarketState, config: CurieConfig, now: bigint): FundingNow {
  const pool = poolOf(m);
  const interval = fundingTwapInterval(m, config, now);
  const marketTwapX96 = sqrtPriceX96ToPriceX96(
    sqrtMarketTwapX96(pool, Number(now), Number(interval)),
  );
  const indexTwap = indexPrice(m.feed, interval, now);
  const marketTwap = x96ToX18(marketTwapX96);
  if (now === m.lastSettledTimestamp || m.lastSettledTimestamp === 0n) {
    return { growth: m.globalFundingGrowth, marketTwap, indexTwap };
  }
  const delta =
    deltaTwapX96(marketTwapX96, x18ToX96(indexTwap), config.maxFundingRate) *
    (now - m.lastSettledTimestamp);
  const g = m.globalFundingGrowth;
  return {
    growth: {
      twPremiumX96: g.twPremiumX96 + delta,
      twPremiumDivBySqrtPriceX96:
        g.twPremiumDivBySqrtPriceX96 + mulDiv(delta, Q96, sqrtMarketTwapX96(pool, Number(now), 0)),
    },
    marketTwap,
    indexTwap,
  };
}

export function tickGrowth(map: IntMap<TickGrowth>, tick: number): TickGrowth {
  return map.get(tick) ?? ZERO_TICK;
}

/** Tick.initialize: a tick at or below the current one starts with all growth "outside" (below). */
export function initializeTick(
  map: IntMap<TickGrowth>,
  tick: number,
  currentTick: number,
  global: TickGrowth,
): IntMap<TickGrowth> {
  return tick <= currentTick ? map.set(tick, global) : map;
}

/** Tick.cross. */
export function crossTick(
  map: IntMap<TickGrowth>,
  tick: number,
  global: TickGrowth,
): IntMap<TickGrowth> {
  const g = tickGrowth(map, tick);
  return map.set(tick, {
    feeX128: U256(global.feeX128 - g.feeX128),
    twPremiumX96: global.twPremiumX96 - g.twPremiumX96,
    twPremiumDivBySqrtPriceX96: global.twPremiumDivBySqrtPriceX96 - g.twPremiumDivBySqrtPriceX96,
  });
}

/** Tick.getFeeGrowthInsideX128 (uint256, wrapping). */
export function feeGrowthInside(
  map: IntMap<TickGrowth>,
  lower: number,
  upper: number,
  current: number,
  global: bigint,
): bigint {
  const lo = tickGrowth(map, lower).feeX128;
  const up = tickGrowth(map, upper).feeX128;
  const below = current >= lower ? lo : U256(global - lo);
  const above = current < upper ? up : U256(global - up);
  return U256(global - below - above);
}

export interface FundingGrowthRange {
  twPremiumGrowthInsideX96: bigint;
  twPremiumGrowthBelowX96: bigint;
  twPremiumDivBySqrtPriceGrowthInsideX96: bigint;
}

/** Tick.getAllFundingGrowth. */
export function fundingGrowthRange(
  map: IntMap<TickGrowth>,
  lower: number,
  upper: number,
  current: number,
  global: FundingGrowth,
): FundingGrowthRange {
  const lo = tickGrowth(map, lower);
  const up = tickGrowth(map, upper);
  const below = current >= lower ? lo.twPremiumX96 : global.twPremiumX96 - lo.twPremiumX96;
  const above = current < upper ? up.twPremiumX96 : global.twPremiumX96 - up.twPremiumX96;
  const belowDiv =
    current >= lower
      ? lo.twPremiumDivBySqrtPriceX96
      : global.twPremiumDivBySqrtPriceX96 - lo.twPremiumDivBySqrtPriceX96;
  const aboveDiv =
    current < upper
      ? up.twPremiumDivBySqrtPriceX96
      : global.twPremiumDivBySqrtPriceX96 - up.twPremiumDivBySqrtPriceX96;
  return {
    twPremiumGrowthInsideX96: global.twPremiumX96 - below - above,
    twPremiumGrowthBelowX96: below,
    twPremiumDivBySqrtPriceGrowthInsideX96: global.twPremiumDivBySqrtPriceX96 - belowDiv - aboveDiv,
  };
}

/** Funding.calcLiquidityCoefficientInFundingPaymentByOrder. */
export function liquidityCoefficientOfOrder(order: OpenOrder, r: FundingGrowthRange): bigint {
  const sqrtUpper = getSqrtRatioAtTick(order.upperTick);
  const baseAmountBelow = getAmount0Delta(
    getSqrtRatioAtTick(order.lowerTick),
    sqrtUpper,
    order.liquidity,
    false,
  );
  const fundingBelowX96 =
    baseAmountBelow * (r.twPremiumGrowthBelowX96 - order.lastTwPremiumGrowthBelowX96);
  const fundingInsideX96 =
    order.liquidity *
    (r.twPremiumDivBySqrtPriceGrowthInsideX96 -
      order.lastTwPremiumDivBySqrtPriceGrowthInsideX96 -
      mulDiv(r.twPremiumGrowthInsideX96 - order.lastTwPremiumGrowthInsideX96, Q96, sqrtUpper));
  return (fundingBelowX96 + fundingInsideX96) / Q96;
}

/** Funding.calcPendingFundingPaymentWithLiquidityCoefficient. */
export function pendingFundingPayment(
  baseBalance: bigint,
  lastTwPremiumGrowthGlobalX96: bigint,
  global: FundingGrowth,
  liquidityCoefficient: bigint,
): bigint {
  const balanceCoefficient = mulDiv(
    baseBalance,
    global.twPremiumX96 - lastTwPremiumGrowthGlobalX96,
    Q96,
  );
  return (liquidityCoefficient + balanceCoefficient) / FUNDING_PERIOD;
}

export { abs };
