/**
 * Makers: ClearingHouse.addLiquidity / removeLiquidity through OrderBook, replayed from the
 * pool's Mint or Burn and the LiquidityChanged that reports the call. OrderBook's order
 * (liquidity, debts, last fee and funding growth inside), its growth-outside ticks (initialised
 * when the pool initialises a tick, cleared when the pool clears it) and the maker fee collected
 * to owed realized PnL follow the Solidity step by step; the event's figures are checked.
 */
import { type Address, encodePacked, keccak256 } from "viem";
import { modifyOwedRealizedPnl, registerBaseToken, withAccount } from "./accountBalance.js";
import type { CurieEventNamed } from "./events.js";
import { fundingGrowthRange, initializeTick } from "./funding.js";
import { mulDivU } from "./math.js";
import { type PoolState, tickInfo } from "./pool/index.js";
import { settleFunding } from "./settleFunding.js";
import {
  accountOf,
  type CurieState,
  MirrorMismatch,
  marketOf,
  type OpenOrder,
  poolOf,
} from "./state.js";
import { orderPendingFee } from "./views.js";

/** OpenOrder.calcOrderKey. */
export function orderKey(maker: Address, base: Address, lower: number, upper: number): string {
  return keccak256(
    encodePacked(["address", "address", "int24", "int24"], [maker, base, lower, upper]),
  );
}

export interface PendingMint {
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  amount0: bigint;
  amount1: bigint;
  lowerInitializedBefore: boolean;
  upperInitializedBefore: boolean;
}

export interface PendingBurn {
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  amount0: bigint;
  amount1: bigint;
}

type LiquidityChanged = CurieEventNamed<"ClearingHouse", "LiquidityChanged">;

function check(where: string, pairs: [string, unknown, unknown][]) {
  for (const [field, mine, theirs] of pairs)
    if (mine !== theirs) throw new MirrorMismatch(where, field, mine, theirs);
}

const where = (e: LiquidityChanged) =>
  `LiquidityChanged(${e.args.maker}, ${e.args.baseToken}, ${e.args.lowerTick}, ${e.args.upperTick}) at block ${e.block.number}`;

/** ClearingHouse.addLiquidity after the pool's Mint (`mint`: what the mint did, flags from before it). */
export function applyAddLiquidity(
  s0: CurieState,
  e: LiquidityChanged,
  mint: PendingMint,
): CurieState {
  const { maker, baseToken: base, lowerTick, upperTick } = e.args;
  const { state, fee } = addLiquidity(s0, maker, base, mint, e.block.timestamp);
  check(where(e), [
    ["base", mint.amount0, e.args.base],
    ["quote", mint.amount1, e.args.quote],
    ["liquidity", mint.liquidity, e.args.liquidity],
    ["quoteFee", fee, e.args.quoteFee],
    ["mint range", `${mint.tickLower}:${mint.tickUpper}`, `${lowerTick}:${upperTick}`],
  ]);
  return state;
}

/**
 * ClearingHouse.addLiquidity's bookkeeping once the pool minted (the pool state already holds
 * the mint): funding settled, Curie's ticks initialised, the order grown, its fee collected.
 */
export function addLiquidity(
  s0: CurieState,
  maker: Address,
  base: Address,
  mint: PendingMint,
  now: bigint,
): { state: CurieState; fee: bigint } {
  const lowerTick = mint.tickLower;
  const upperTick = mint.tickUpper;
  let s = registerBaseToken(s0, maker, base);
  const pool = poolOf(marketOf(s, base));
  s = settleFunding(s, maker, base, pool.tick, now).state;
  const m = marketOf(s, base);
  const global = {
    feeX128: m.feeGrowthGlobalX128,
    twPremiumX96: m.globalFundingGrowth.twPremiumX96,
    twPremiumDivBySqrtPriceX96: m.globalFundingGrowth.twPremiumDivBySqrtPriceX96,
  };
  let map = m.growthOutside;
  if (!mint.lowerInitializedBefore && tickInfo(pool, lowerTick).initialized)
    map = initializeTick(map, lowerTick, pool.tick, global);
  if (!mint.upperInitializedBefore && tickInfo(pool, upperTick).initialized)
    map = initializeTick(map, upperTick, pool.tick, global);
  s = { ...s, markets: { ...s.markets, [base]: { ...m, growthOutside: map } } };
  const id = orderKey(maker, base, lowerTick, upperTick);
  let order: OpenOrder = s.orders[id] ?? {
    maker,
    baseToken: base,
    liquidity: 0n,
    lowerTick,
    upperTick,
    lastFeeGrowthInsideX128: 0n,
    lastTwPremiumGrowthInsideX96: 0n,
    lastTwPremiumGrowthBelowX96: 0n,
    lastTwPremiumDivBySqrtPriceGrowthInsideX96: 0n,
    baseDebt: 0n,
    quoteDebt: 0n,
  };
  if (order.liquidity === 0n) {
    const ids = accountOf(s, maker).orderIds[base] ?? [];
    if (ids.length >= s.config.maxOrdersPerMarket)
      throw new Error("curie engine: addLiquidity would revert OB_ONE");
    s = withAccount(s, maker, (a) => ({ ...a, orderIds: { ...a.orderIds, [base]: [...ids, id] } }));
    const r = fundingGrowthRange(map, lowerTick, upperTick, pool.tick, m.globalFundingGrowth);
    order = {
      ...order,
      lastTwPremiumGrowthInsideX96: r.twPremiumGrowthInsideX96,
      lastTwPremiumGrowthBelowX96: r.twPremiumGrowthBelowX96,
      lastTwPremiumDivBySqrtPriceGrowthInsideX96: r.twPremiumDivBySqrtPriceGrowthInsideX96,
    };
  }
  const { fee, inside } = orderPendingFee(s, order);
  order = {
    ...order,
    liquidity: order.liquidity + mint.liquidity,
    lastFeeGrowthInsideX128: inside,
    baseDebt: order.baseDebt + mint.amount0,
    quoteDebt: order.quoteDebt + mint.amount1,
  };
  s = { ...s, orders: { ...s.orders, [id]: order } };
  s = modifyOwedRealizedPnl(s, maker, fee);
  return { state: s, fee };
}

/** What one removal leaves for ClearingHouse._modifyPositionAndRealizePnl. */
export interface RemovalDelta {
  takerBase: bigint;
  takerQuote: bigint;
  fee: bigint;
}

/** OrderBook.removeLiquidity after the pool's Burn; returns the state and the removal's taker delta. */
export function applyRemoveLiquidity(
  s0: CurieState,
  e: LiquidityChanged,
  burn: PendingBurn,
): { state: CurieState; delta: RemovalDelta } {
  const { maker, baseToken: base, lowerTick, upperTick } = e.args;
  const pool: PoolState = poolOf(marketOf(s0, base));
  let s = settleFunding(s0, maker, base, pool.tick, e.block.timestamp).state;
  const id = orderKey(maker, base, lowerTick, upperTick);
  let order = s.orders[id];
  if (!order) throw new MirrorMismatch(where(e), "order", "none", id);
  const { fee, inside } = orderPendingFee(s, order);
  const L = burn.liquidity;
  let baseDebt = 0n;
  let quoteDebt = 0n;
  if (L !== 0n) {
    if (order.baseDebt !== 0n) baseDebt = mulDivU(order.baseDebt, L, order.liquidity);
    if (order.quoteDebt !== 0n) quoteDebt = mulDivU(order.quoteDebt, L, order.liquidity);
    order = {
      ...order,
      baseDebt: order.baseDebt - baseDebt,
      quoteDebt: order.quoteDebt - quoteDebt,
      liquidity: order.liquidity - L,
    };
  }
  if (order.liquidity === 0n) {
    const orders = { ...s.orders };
    delete orders[id];
    s = withAccount({ ...s, orders }, maker, (a) => {
      const ids = (a.orderIds[base] ?? []).slice();
      const i = ids.indexOf(id);
      if (i >= 0) {
        ids[i] = ids[ids.length - 1]!;
        ids.pop();
      }
      return { ...a, orderIds: { ...a.orderIds, [base]: ids } };
    });
  } else {
    s = { ...s, orders: { ...s.orders, [id]: { ...order, lastFeeGrowthInsideX128: inside } } };
  }
  const m = marketOf(s, base);
  let map = m.growthOutside;
  if (!tickInfo(pool, lowerTick).initialized) map = map.delete(lowerTick);
  if (!tickInfo(pool, upperTick).initialized) map = map.delete(upperTick);
  s = { ...s, markets: { ...s.markets, [base]: { ...m, growthOutside: map } } };
  check(where(e), [
    ["base", -burn.amount0, e.args.base],
    ["quote", -burn.amount1, e.args.quote],
    ["liquidity", -L, e.args.liquidity],
    ["quoteFee", fee, e.args.quoteFee],
    ["burn range", `${burn.tickLower}:${burn.tickUpper}`, `${lowerTick}:${upperTick}`],
  ]);
  return {
    state: s,
    delta: { takerBase: burn.amount0 - baseDebt, takerQuote: burn.amount1 - quoteDebt, fee },
  };
}
