/**
 * Curie's views as pure functions of (state, block time): what ClearingHouse, Vault,
 * AccountBalance, Exchange, BaseToken and InsuranceFund answer at a block whose timestamp is
 * `now`, given the state after that block's events. Each is the Solidity view of the same name,
 * same operations, same rounding. Only open markets and the settlement token as collateral are
 * mirrored (see README/report): a paused or closed market, or a non-settlement collateral,
 * throws rather than answer wrong.
 */
import type { Address } from "viem";
import {
  baseBalance,
  DUST,
  quoteBalance,
  takerPositionSize,
  totalOrderDebt,
} from "./accountBalance.js";
import {
  feeGrowthInside,
  fundingGrowthRange,
  fundingNow,
  pendingFundingPayment as fundingPayment,
  liquidityCoefficientOfOrder,
} from "./funding.js";
import {
  abs,
  formatSettlementToken,
  maxI,
  medianOfThree,
  minI,
  mulDiv,
  mulDivU,
  mulRatioU,
  ONE,
  parseSettlementToken,
  priceX18OfSqrtX96,
  Q128,
} from "./math.js";
import {
  getAmount0Delta,
  getAmount1Delta,
  getSqrtRatioAtTick,
  sqrtMarketTwapX96,
} from "./pool/index.js";
import { indexPrice } from "./priceFeed.js";
import {
  accountMarketOf,
  accountOf,
  ContractRevert,
  type CurieState,
  marketOf,
  type OpenOrder,
  poolOf,
} from "./state.js";

/** AccountBalance._MIN_PARTIAL_LIQUIDATE_POSITION_VALUE. */
const MIN_PARTIAL_LIQUIDATE_POSITION_VALUE = 100n * ONE;

function openMarket(s: CurieState, base: Address) {
  const m = marketOf(s, base);
  if (m.status !== "open")
    throw new Error(`curie views: market ${base} is ${m.status}; only open markets are mirrored`);
  return m;
}

/** Exchange.getSqrtMarketTwapX96(base, interval). */
export function getSqrtMarketTwapX96(
  s: CurieState,
  base: Address,
  interval: bigint,
  now: bigint,
): bigint {
  return sqrtMarketTwapX96(poolOf(marketOf(s, base)), Number(now), Number(interval));
}

/** AccountBalance._getMarketPrice (1e18). */
export function getMarketPrice(
  s: CurieState,
  base: Address,
  interval: bigint,
  now: bigint,
): bigint {
  return priceX18OfSqrtX96(getSqrtMarketTwapX96(s, base, interval, now));
}

/** BaseToken.getIndexPrice(interval) (1e18). */
export function getIndexPrice(s: CurieState, base: Address, interval: bigint, now: bigint): bigint {
  return indexPrice(openMarket(s, base).feed, interval, now);
}

/** AccountBalance.getMarkPrice: median of the 15 s market TWAP, the 30 min one and index + premium. */
export function getMarkPrice(s: CurieState, base: Address, now: bigint): bigint {
  const c = s.config;
  const marketPrice = getMarketPrice(s, base, 15n, now);
  const marketTwap = getMarketPrice(s, base, c.markPriceMarketTwapInterval, now);
  const premium =
    getMarketPrice(s, base, c.markPricePremiumInterval, now) -
    getIndexPrice(s, base, c.markPricePremiumInterval, now);
  const indexWithPremium = getIndexPrice(s, base, 0n, now) + premium;
  if (indexWithPremium < 0n)
    throw new Error("curie views: index + premium is negative (toUint256 reverts)");
  return medianOfThree(marketPrice, marketTwap, indexWithPremium);
}

/** OrderBook._getPendingFeeAndFeeGrowthInsideX128ByOrder. */
export function orderPendingFee(s: CurieState, o: OpenOrder): { fee: bigint; inside: bigint } {
  const m = marketOf(s, o.baseToken);
  const inside = feeGrowthInside(
    m.growthOutside,
    o.lowerTick,
    o.upperTick,
    poolOf(m).tick,
    m.feeGrowthGlobalX128,
  );
  return {
    fee: mulDivU(BigInt.asUintN(256, inside - o.lastFeeGrowthInsideX128), o.liquidity, Q128),
    inside,
  };
}

function orders(s: CurieState, trader: Address, base: Address): OpenOrder[] {
  return (accountOf(s, trader).orderIds[base] ?? []).map((id) => s.orders[id]!);
}

/** OrderBook._getTotalTokenAmountInPool: base or quote of the trader's orders at the pool price, and their pending fees. */
export function totalTokenAmountInPool(
  s: CurieState,
  trader: Address,
  base: Address,
  fetchBase: boolean,
): { amount: bigint; pendingFee: bigint } {
  const sqrtPrice = poolOf(marketOf(s, base)).sqrtPriceX96;
  let amount = 0n;
  let pendingFee = 0n;
  for (const o of orders(s, trader, base)) {
    const lower = getSqrtRatioAtTick(o.lowerTick);
    const upper = getSqrtRatioAtTick(o.upperTick);
    if (fetchBase && sqrtPrice < upper) {
      amount += getAmount0Delta(maxI(sqrtPrice, lower), upper, o.liquidity, false);
    } else if (!fetchBase && sqrtPrice > lower) {
      amount += getAmount1Delta(lower, minI(sqrtPrice, upper), o.liquidity, false);
    }
    if (!fetchBase) pendingFee += orderPendingFee(s, o).fee;
  }
  return { amount, pendingFee };
}

/** AccountBalance.getTakerPositionSize. */
export const getTakerPositionSize = takerPositionSize;

/** AccountBalance.getTotalPositionSize: taker plus the maker's net base in the pool. */
export function getTotalPositionSize(s: CurieState, trader: Address, base: Address): bigint {
  const inPool = totalTokenAmountInPool(s, trader, base, true).amount;
  const makerBase = inPool - totalOrderDebt(s, trader, base, true);
  const total = makerBase + accountMarketOf(s, trader, base).takerPositionSize;
  return abs(total) < DUST ? 0n : total;
}

function positionValue(s: CurieState, base: Address, size: bigint, now: bigint): bigint {
  if (size === 0n) return 0n;
  return mulDiv(size, getMarkPrice(s, base, now), ONE);
}

/** AccountBalance.getTotalPositionValue. */
export function getTotalPositionValue(
  s: CurieState,
  trader: Address,
  base: Address,
  now: bigint,
): bigint {
  return positionValue(s, base, getTotalPositionSize(s, trader, base), now);
}

/** AccountBalance.getTotalAbsPositionValue. */
export function getTotalAbsPositionValue(s: CurieState, trader: Address, now: bigint): bigint {
  let total = 0n;
  for (const base of accountOf(s, trader).baseTokens)
    total += abs(getTotalPositionValue(s, trader, base, now));
  return total;
}

/** AccountBalance.getMarginRequirementForLiquidation. */
export function getMarginRequirementForLiquidation(
  s: CurieState,
  trader: Address,
  now: bigint,
): bigint {
  return mulRatioU(getTotalAbsPositionValue(s, trader, now), s.config.mmRatio);
}

/** AccountBalance.getTotalOpenNotional. */
export function getTotalOpenNotional(s: CurieState, trader: Address, base: Address): bigint {
  return totalTokenAmountInPool(s, trader, base, false).amount + quoteBalance(s, trader, base);
}

/** AccountBalance.getTotalDebtValue. */
export function getTotalDebtValue(s: CurieState, trader: Address, now: bigint): bigint {
  let totalQuote = 0n;
  let totalBaseDebt = 0n;
  for (const base of accountOf(s, trader).baseTokens) {
    const b = baseBalance(s, trader, base);
    if (b < 0n) totalBaseDebt += mulDiv(b, getMarkPrice(s, base, now), ONE);
    totalQuote += quoteBalance(s, trader, base);
  }
  return abs((totalQuote >= 0n ? 0n : totalQuote) + totalBaseDebt);
}

/** AccountBalance.getPnlAndPendingFee: [owedRealizedPnl, unrealizedPnl, pendingFee]. */
export function getPnlAndPendingFee(
  s: CurieState,
  trader: Address,
  now: bigint,
): [bigint, bigint, bigint] {
  const a = accountOf(s, trader);
  let totalPositionValue = 0n;
  let netQuote = 0n;
  let pendingFee = 0n;
  for (const base of a.baseTokens) {
    totalPositionValue += getTotalPositionValue(s, trader, base, now);
    netQuote += accountMarketOf(s, trader, base).takerOpenNotional;
    const pool = totalTokenAmountInPool(s, trader, base, false);
    netQuote += pool.amount - totalOrderDebt(s, trader, base, false);
    pendingFee += pool.pendingFee;
  }
  return [a.owedRealizedPnl, totalPositionValue + netQuote, pendingFee];
}

/** Exchange.getPendingFundingPayment. */
export function getPendingFundingPayment(
  s: CurieState,
  trader: Address,
  base: Address,
  now: bigint,
): bigint {
  const m = openMarket(s, base);
  const growth = fundingNow(m, s.config, now).growth;
  const tick = poolOf(m).tick;
  let coefficient = 0n;
  for (const o of orders(s, trader, base)) {
    coefficient += liquidityCoefficientOfOrder(
      o,
      fundingGrowthRange(m.growthOutside, o.lowerTick, o.upperTick, tick, growth),
    );
  }
  return fundingPayment(
    baseBalance(s, trader, base),
    accountMarketOf(s, trader, base).lastTwPremiumGrowthGlobalX96,
    growth,
    coefficient,
  );
}

/** Exchange.getAllPendingFundingPayment. */
export function getAllPendingFundingPayment(s: CurieState, trader: Address, now: bigint): bigint {
  let total = 0n;
  for (const base of accountOf(s, trader).baseTokens)
    total += getPendingFundingPayment(s, trader, base, now);
  return total;
}

/** Vault._getSettlementTokenBalanceAndUnrealizedPnl (18 decimals). */
function settlementBalanceAndUnrealizedPnl(
  s: CurieState,
  trader: Address,
  now: bigint,
): [bigint, bigint] {
  const funding = getAllPendingFundingPayment(s, trader, now);
  const [owed, unrealized, pendingFee] = getPnlAndPendingFee(s, trader, now);
  const balance = parseSettlementToken(accountOf(s, trader).balance, s.settlementTokenDecimals);
  return [balance + (pendingFee - funding + owed), unrealized];
}

/** Vault._getAccountValueAndTotalCollateralValue (18 decimals; settlement token only). */
function accountValueAndCollateral(s: CurieState, trader: Address, now: bigint): [bigint, bigint] {
  const [collateral, unrealized] = settlementBalanceAndUnrealizedPnl(s, trader, now);
  return [collateral + unrealized, collateral];
}

/** Vault.getAccountValue (settlement-token decimals). */
export function getVaultAccountValue(s: CurieState, trader: Address, now: bigint): bigint {
  return formatSettlementToken(
    accountValueAndCollateral(s, trader, now)[0],
    s.settlementTokenDecimals,
  );
}

/** ClearingHouse.getAccountValue (18 decimals). */
export function getAccountValue(s: CurieState, trader: Address, now: bigint): bigint {
  return parseSettlementToken(getVaultAccountValue(s, trader, now), s.settlementTokenDecimals);
}

/** Vault._getFreeCollateralByRatio (18 decimals). */
function freeCollateralByRatioX18(
  s: CurieState,
  trader: Address,
  ratio: bigint,
  now: bigint,
): bigint {
  const [accountValue, collateral] = accountValueAndCollateral(s, trader, now);
  return minI(collateral, accountValue) - mulRatioU(getTotalDebtValue(s, trader, now), ratio);
}

/** Vault.getFreeCollateralByRatio. */
export function getFreeCollateralByRatio(
  s: CurieState,
  trader: Address,
  ratio: bigint,
  now: bigint,
): bigint {
  return formatSettlementToken(
    freeCollateralByRatioX18(s, trader, ratio, now),
    s.settlementTokenDecimals,
  );
}

/** Vault.getFreeCollateral: by the initial-margin ratio, floored at 0. */
export function getFreeCollateral(s: CurieState, trader: Address, now: bigint): bigint {
  return formatSettlementToken(
    maxI(freeCollateralByRatioX18(s, trader, s.config.imRatio, now), 0n),
    s.settlementTokenDecimals,
  );
}

/** Vault.getSettlementTokenValue. */
export function getSettlementTokenValue(s: CurieState, trader: Address, now: bigint): bigint {
  const [balance, unrealized] = settlementBalanceAndUnrealizedPnl(s, trader, now);
  return formatSettlementToken(balance + unrealized, s.settlementTokenDecimals);
}

/** Vault.getFreeCollateralByToken for the settlement token (what withdraw checks). */
export function getFreeCollateralBySettlementToken(
  s: CurieState,
  trader: Address,
  now: bigint,
): bigint {
  if (getSettlementTokenValue(s, trader, now) < 0n) return 0n;
  const free = maxI(freeCollateralByRatioX18(s, trader, s.config.imRatio, now), 0n);
  if (free === 0n) return 0n;
  const [balance] = settlementBalanceAndUnrealizedPnl(s, trader, now);
  return balance <= 0n ? 0n : formatSettlementToken(minI(free, balance), s.settlementTokenDecimals);
}

/** ClearingHouse's liquidation test: account value below the margin requirement for liquidation. */
export function isLiquidatable(s: CurieState, trader: Address, now: bigint): boolean {
  return getAccountValue(s, trader, now) < getMarginRequirementForLiquidation(s, trader, now);
}

/** Vault.isLiquidatable: about non-settlement collateral, which is not mirrored, so false with none. */
export function isCollateralLiquidatable(_s: CurieState, _trader: Address): boolean {
  return false;
}

/** AccountBalance.getLiquidatablePositionSize. */
export function getLiquidatablePositionSize(
  s: CurieState,
  trader: Address,
  base: Address,
  accountValue: bigint,
  now: bigint,
): bigint {
  const requirement = getMarginRequirementForLiquidation(s, trader, now);
  const size = getTotalPositionSize(s, trader, base);
  if (accountValue >= requirement || size === 0n) return 0n;
  const valueAbs = abs(positionValue(s, base, size, now));
  if (valueAbs <= MIN_PARTIAL_LIQUIDATE_POSITION_VALUE) return size;
  let ratio = 1_000_000n;
  if (accountValue >= requirement / 2n) {
    ratio = mulDivU(getTotalAbsPositionValue(s, trader, now), 1_000_000n, valueAbs * 2n);
    if (ratio >= 1n << 24n)
      throw new ContractRevert("PerpSafeCast.toUint24 of the max liquidate ratio");
    if (ratio > 1_000_000n) ratio = 1_000_000n;
  }
  return mulDiv(size, ratio, 1_000_000n);
}

/** Vault.getTotalDebt: deprecated storage, never written by 2.8.4, so 0. */
export function getTotalDebt(s: CurieState): bigint {
  return s.totalDebt;
}

/** InsuranceFund.getInsuranceFundCapacity: its Vault value plus its wallet. */
export function getInsuranceFundCapacity(s: CurieState, now: bigint): bigint {
  const fund = s.addresses.insuranceFund;
  return getSettlementTokenValue(s, fund, now) + (s.wallets[fund.toLowerCase()] ?? 0n);
}

/**
 * The liquidation price of `trader`'s position in `base`: the mark price P (1e18) at which
 * ClearingHouse.getAccountValue equals AccountBalance.getMarginRequirementForLiquidation when
 * only this market's mark price moves — every other mark price, the index, pending funding,
 * fees, owed PnL, collateral and the position (taker + maker base, as getTotalPositionSize)
 * held as they are at `now`. Solved in exact rationals from accountValue(P) = C + size·P and
 * requirement(P) = mm·(A + |size·P|), where C and A are the account value and the absolute
 * position value of the other markets at `now`; the integer rounding of Curie's per-market
 * mulDiv is ignored (at most 1 wei per market). Undefined without a position or when no
 * positive price makes the account liquidatable (e.g. a long with enough collateral to go to 0).
 */
export function getLiquidationPrice(
  s: CurieState,
  trader: Address,
  base: Address,
  now: bigint,
): bigint | undefined {
  const size = getTotalPositionSize(s, trader, base);
  if (size === 0n) return undefined;
  const ownValue = positionValue(s, base, size, now);
  const C = getAccountValue(s, trader, now) - ownValue;
  const A = getTotalAbsPositionValue(s, trader, now) - abs(ownValue);
  const mm = s.config.mmRatio;
  // C + size·P/1e18 = mm/1e6 · (A + |size|·P/1e18)  →  P = (mm·A − 1e6·C)·1e18 / (size·(1e6 ∓ mm))
  const numerator = (mm * A - 1_000_000n * C) * ONE;
  const denominator = size > 0n ? size * (1_000_000n - mm) : size * (1_000_000n + mm);
  const price = numerator / denominator;
  return price > 0n ? price : undefined;
}
