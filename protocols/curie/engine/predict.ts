/**
 * Whether a ClearingHouse call will revert, predicted from the mirror alone: the call is run
 * forward on the engine's state at the block time it will be mined in — the market's funding
 * settlement, the trader's, the pool swap (pool/), Curie's replay, the bookkeeping — and the
 * contract's checks are evaluated in its order. Covers openPosition and closePosition (market
 * paused EX_MIP, pool reverts, CH_F0S, UB_UOA, EX_TKMM, EX_OPB, EX_OPLAS, CH_NEFCM, CH_NEFCI,
 * slippage) and liquidate (CH_CLWTISO, CH_EAV, CH_PSZ, CH_IIC, CH_NEFCI for the liquidator).
 * Assumes the call is the block's first touching its market.
 */
import type { Address } from "viem";
import { registerBaseToken, takerPositionSize } from "./accountBalance.js";
import { executeLiquidation } from "./liquidation.js";
import { addLiquidity } from "./liquidity.js";
import { settleMarketFunding } from "./marketFunding.js";
import { abs, mulDivU, mulDivUp, Q96, RATIO_ONE } from "./math.js";
import {
  getSqrtRatioAtTick,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MIN_SQRT_RATIO,
  MIN_TICK,
  mint,
  PoolRevert,
  swap,
  tickInfo,
} from "./pool/index.js";
import { replaySwap } from "./replaySwap.js";
import { settleFunding } from "./settleFunding.js";
import { accountOf, ContractRevert, type CurieState, marketOf, poolOf } from "./state.js";
import { executeTakerTrade } from "./takerTrade.js";
import {
  getAccountValue,
  getFreeCollateralByRatio,
  getIndexPrice,
  getInsuranceFundCapacity,
  getMarketPrice,
  isLiquidatable,
} from "./views.js";

export interface Prediction {
  reverts: boolean;
  why?: string;
}

export interface TradeParams {
  baseToken: Address;
  isBaseToQuote?: boolean;
  isExactInput?: boolean;
  amount?: bigint;
  sqrtPriceLimitX96: bigint;
  oppositeAmountBound: bigint;
  /** closePosition: the side and amount come from the position. */
  isClose?: boolean;
}

const DUST = 10n;
const no = (why?: string): Prediction => ({ reverts: false, why });
const yes = (why: string): Prediction => ({ reverts: true, why });

/** Exchange._getPriceSpreadRatio(base, 0) at `now`. */
function priceSpreadRatio(s: CurieState, base: Address, now: bigint): bigint {
  const market = getMarketPrice(s, base, 0n, now);
  const index = getIndexPrice(s, base, 0n, now);
  const spread = market - index;
  const r = (abs(spread) * RATIO_ONE) / index;
  return spread < 0n ? -r : r;
}

/** Exchange._getSqrtPriceLimitForClosingPosition. */
function closingLimit(
  s: CurieState,
  base: Address,
  positionIsShort: boolean,
  input: bigint,
): bigint {
  const m = marketOf(s, base);
  const delta = Number(m.maxTickCrossedWithinBlock);
  let boundary = positionIsShort ? m.lastUpdatedTick + delta : m.lastUpdatedTick - delta;
  if (boundary > MAX_TICK) boundary = MAX_TICK - 1;
  if (boundary < MIN_TICK) boundary = MIN_TICK + 1;
  const target = getSqrtRatioAtTick(boundary);
  if (input === 0n) return target;
  if (positionIsShort) return target > input ? input : target;
  return target < input ? input : target;
}

/** openPosition / closePosition by `trader`, mined at block time `now`. */
export function predictTrade(
  s0: CurieState,
  trader: Address,
  p: TradeParams,
  now: bigint,
): Prediction {
  const base = p.baseToken;
  let s = s0;
  if (!p.isClose) {
    try {
      s = registerBaseToken(s, trader, base);
    } catch {
      return yes("AB_MNE");
    }
  }
  s = settleMarketFunding(s, base, now).state;
  s = settleFunding(s, trader, base, poolOf(marketOf(s, base)).tick, now).state;
  const sizeBefore = takerPositionSize(s, trader, base);
  let isBaseToQuote = p.isBaseToQuote ?? false;
  let isExactInput = p.isExactInput ?? false;
  let amount = p.amount ?? 0n;
  if (p.isClose) {
    if (sizeBefore === 0n) return yes("CH_PSZ");
    isBaseToQuote = sizeBefore > 0n;
    isExactInput = isBaseToQuote;
    amount = abs(sizeBefore);
  }
  const m = marketOf(s, base);
  if (m.maxTickCrossedWithinBlock === 0n) return yes("EX_MIP");
  let limit = p.sqrtPriceLimitX96;
  if (p.isClose) limit = closingLimit(s, base, sizeBefore < 0n, limit);
  const u = m.uniswapFeeRatio;
  const e = m.exchangeFeeRatio;
  const scaled = isBaseToQuote
    ? mulDivUp(amount, RATIO_ONE, RATIO_ONE - (isExactInput ? u : e))
    : isExactInput
      ? mulDivUp(amount, RATIO_ONE - e, RATIO_ONE - u)
      : amount;
  const replayAmount = isBaseToQuote ? scaled : amount;
  const pool = poolOf(m);
  const replay = replaySwap(pool, m.feeGrowthGlobalX128, m.growthOutside, {
    isBaseToQuote,
    amount: isExactInput ? replayAmount : -replayAmount,
    sqrtPriceLimitX96: limit,
    exchangeFeeRatio: e,
    uniswapFeeRatio: u,
    insuranceFundFeeRatio: m.insuranceFundFeeRatio,
    globalFundingGrowth: m.globalFundingGrowth,
  });
  const spreadBefore = priceSpreadRatio(s, base, now);
  let result: ReturnType<typeof swap>;
  try {
    result = swap(pool, {
      zeroForOne: isBaseToQuote,
      amountSpecified: isExactInput ? scaled : -scaled,
      sqrtPriceLimitX96:
        limit === 0n ? (isBaseToQuote ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n) : limit,
      time: Number(now),
    });
  } catch (err) {
    if (err instanceof PoolRevert) return yes(`pool ${err.reason}`);
    throw err;
  }
  const { amount0, amount1 } = result;
  if (!((amount0 > 0n && amount1 < 0n) || (amount0 < 0n && amount1 > 0n))) return yes("CH_F0S");
  let base0 = abs(amount0);
  let quote1 = abs(amount1);
  if (!isExactInput && limit === 0n) {
    const exact = isExactInput === isBaseToQuote ? base0 : quote1;
    if (abs(exact - scaled) >= DUST) return yes("UB_UOA");
    if (isBaseToQuote) quote1 = scaled;
    else base0 = scaled;
  }
  if (result.state.tick !== replay.tick) return yes("EX_TKMM");
  const sw = {
    before: pool,
    after: result.state,
    event: {
      amount0,
      amount1,
      sqrtPriceX96: result.state.sqrtPriceX96,
      liquidity: result.state.liquidity,
      tick: result.state.tick,
    },
  };
  let size: bigint;
  let notional: bigint;
  if (isBaseToQuote) {
    size = -mulDivU(base0, RATIO_ONE - u, RATIO_ONE);
    notional = quote1;
  } else {
    size = base0;
    notional =
      isExactInput && quote1 === scaled
        ? -(amount - replay.fee)
        : -mulDivU(quote1, RATIO_ONE - u, RATIO_ONE);
  }
  const withSwap = { ...s, markets: { ...s.markets, [base]: { ...m, poolState: result.state } } };
  const spreadAfter = priceSpreadRatio(withSwap, base, now);
  const maxSpread = m.maxPriceSpreadRatio;
  const lo = spreadBefore < -maxSpread ? spreadBefore : -maxSpread;
  const hi = spreadBefore > maxSpread ? spreadBefore : maxSpread;
  if (spreadAfter < lo || spreadAfter > hi) return yes("EX_OPB");
  const delta = Number(m.maxTickCrossedWithinBlock);
  if (replay.tick < m.lastUpdatedTick - delta || replay.tick > m.lastUpdatedTick + delta)
    return yes("EX_OPLAS");
  const after = executeTakerTrade(s, trader, base, sw, replay, size, notional, now).state;
  if (sizeBefore !== 0n) {
    const sizeAfter = takerPositionSize(after, trader, base);
    const reversed = sizeAfter !== 0n && sizeBefore < 0n !== sizeAfter < 0n;
    const reducing = sizeBefore < 0n !== isBaseToQuote;
    if (reducing && !reversed) {
      if (getFreeCollateralByRatio(after, trader, after.config.mmRatio, now) < 0n)
        return yes("CH_NEFCM");
      return no();
    }
  }
  if (getFreeCollateralByRatio(after, trader, after.config.imRatio, now) < 0n)
    return yes("CH_NEFCI");
  if (p.oppositeAmountBound !== 0n && !p.isClose) {
    const baseAbs = abs(size);
    const quoteAbs = abs(notional - replay.fee);
    if (
      isBaseToQuote
        ? isExactInput
          ? quoteAbs < p.oppositeAmountBound
          : baseAbs > p.oppositeAmountBound
        : isExactInput
          ? baseAbs < p.oppositeAmountBound
          : quoteAbs > p.oppositeAmountBound
    ) {
      return yes("slippage");
    }
  }
  return no();
}

/** Whether `trader` has an open order in an open market (ClearingHouse's CH_CLWTISO). */
export function hasOrder(s: CurieState, trader: Address): boolean {
  return Object.values(accountOf(s, trader).orderIds).some((ids) => ids.length > 0);
}

/** ClearingHouse.liquidate(trader, base, 0) sent by `liquidator`, mined at block time `now`. */
export function predictLiquidate(
  s0: CurieState,
  liquidator: Address,
  trader: Address,
  base: Address,
  now: bigint,
): Prediction {
  if (hasOrder(s0, trader)) return yes("CH_CLWTISO");
  let s = settleMarketFunding(s0, base, now).state;
  if (!isLiquidatable(s, trader, now)) return yes("CH_EAV");
  if (takerPositionSize(s, trader, base) === 0n) return yes("CH_PSZ");
  try {
    s = registerBaseToken(s, liquidator, base);
  } catch {
    return yes("AB_MNE");
  }
  let r: ReturnType<typeof executeLiquidation>;
  try {
    r = executeLiquidation(s, trader, base, liquidator, now);
  } catch (err) {
    if (err instanceof ContractRevert) return yes(err.reason);
    throw err;
  }
  const after = getAccountValue(r.state, trader, now);
  if (after < 0n && getInsuranceFundCapacity(r.state, now) < -after) return yes("CH_IIC");
  if (getFreeCollateralByRatio(r.state, liquidator, r.state.config.imRatio, now) < 0n)
    return yes("CH_NEFCI");
  const full = abs(r.liquidatedSize) === abs(takerPositionSize(s, trader, base));
  return no(
    r.accountValueBefore < 0n
      ? "liquidation with bad debt"
      : full
        ? "full liquidation"
        : "partial liquidation",
  );
}

export interface AddLiquidityParams {
  baseToken: Address;
  base: bigint;
  quote: bigint;
  lowerTick: number;
  upperTick: number;
}

/** LiquidityAmounts.getLiquidityForAmounts (v3-periphery). */
export function liquidityForAmounts(
  sqrtP: bigint,
  sqrtA: bigint,
  sqrtB: bigint,
  amount0: bigint,
  amount1: bigint,
): bigint {
  const for0 = (a: bigint, b: bigint) => mulDivU(amount0, mulDivU(a, b, Q96), b - a);
  const for1 = (a: bigint, b: bigint) => mulDivU(amount1, Q96, b - a);
  if (sqrtP <= sqrtA) return for0(sqrtA, sqrtB);
  if (sqrtP < sqrtB) {
    const l0 = for0(sqrtP, sqrtB);
    const l1 = for1(sqrtA, sqrtP);
    return l0 < l1 ? l0 : l1;
  }
  return for1(sqrtA, sqrtB);
}

/** ClearingHouse.addLiquidity by `maker`, mined at block time `now` (CH_OMPS, pool reverts, CH_NEFCI). */
export function predictAddLiquidity(
  s0: CurieState,
  maker: Address,
  p: AddLiquidityParams,
  now: bigint,
): Prediction {
  const base = p.baseToken;
  const market = getMarketPrice(s0, base, 0n, now);
  const index = getIndexPrice(s0, base, s0.config.twapInterval, now);
  if ((abs(market - index) * RATIO_ONE) / index > 100_000n) return yes("CH_OMPS");
  let s = settleMarketFunding(s0, base, now).state;
  const pool = poolOf(marketOf(s, base));
  const liquidity = liquidityForAmounts(
    pool.sqrtPriceX96,
    getSqrtRatioAtTick(p.lowerTick),
    getSqrtRatioAtTick(p.upperTick),
    p.base,
    p.quote,
  );
  let minted: ReturnType<typeof mint>;
  try {
    minted = mint(pool, {
      tickLower: p.lowerTick,
      tickUpper: p.upperTick,
      liquidity,
      time: Number(now),
    });
  } catch (err) {
    if (err instanceof PoolRevert) return yes(`pool ${err.reason}`);
    throw err;
  }
  const m = marketOf(s, base);
  s = { ...s, markets: { ...s.markets, [base]: { ...m, poolState: minted.state } } };
  s = addLiquidity(
    s,
    maker,
    base,
    {
      tickLower: p.lowerTick,
      tickUpper: p.upperTick,
      liquidity,
      amount0: minted.amount0,
      amount1: minted.amount1,
      lowerInitializedBefore: tickInfo(pool, p.lowerTick).initialized,
      upperInitializedBefore: tickInfo(pool, p.upperTick).initialized,
    },
    now,
  ).state;
  if (getFreeCollateralByRatio(s, maker, s.config.imRatio, now) < 0n) return yes("CH_NEFCI");
  return no();
}
