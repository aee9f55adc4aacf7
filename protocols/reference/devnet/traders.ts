/**
 * Simulated traders. Each kind is a small, deterministic policy from (its account in the book,
 * the new prices, its own seeded random stream) to actions. They are caricatures with the
 * features that matter for cascade risk: cross-margined hedges, momentum crowding, accounts
 * run at the edge of their initial margin, and a few very large accounts.
 */

import type { PriceModel } from "../../../devnet/simulator/priceModel.js";
import type { Scenario, TraderKind } from "../../../devnet/simulator/scenarios.js";
import { fromD18, toD18At8Decimals } from "../../../engine/analytics/d18.js";
import type { SeededRandom } from "../../../engine/seededRandom.js";
import { type Book, positionSize } from "./book.js";

export type Action =
  | { type: "trade"; marketId: number; sizeDelta: bigint }
  | { type: "deposit"; amount: bigint }
  | { type: "withdraw"; amount: bigint };

/** Float view of the margin parameters a trader needs to size itself. */
export interface MarginSpec {
  skewScale: number;
  imrScalar: number;
  imrMin: number;
  minPositionMargin: number;
  takerFee: number;
}

export interface Trader {
  index: number;
  accountId: number;
  kind: TraderKind;
  /** Collateral deposited at onboarding, USD. */
  initialCollateral: number;
  leverage: number;
  /** Market indices (0-based) this trader trades; hedgers: [long, short]. */
  markets: number[];
  /** Probability of acting in a given block. */
  activity: number;
  /** Momentum lookback (blocks) and threshold, for trend followers. */
  lookback: number;
  threshold: number;
  /** Direction preference per traded market: +1 long, -1 short. */
  bias: number[];
  /** Share of maximum leverage degens run at. */
  usage: number;
  rng: SeededRandom;
}

export interface TradeContext {
  book: Book;
  prices: readonly number[];
  /** Prices the book was valued at (the previous push); trades execute at `prices`. */
  previousPrices: readonly number[];
  model: PriceModel;
  margins: readonly MarginSpec[];
  /** Net skew per market (size units), from the book. */
  skews: readonly number[];
  scenario: Scenario;
}

const HEDGE_PAIRS: readonly [number, number][] = [
  [1, 0],
  [2, 1],
  [0, 2],
  [3, 0],
  [4, 1],
];

export function createTrader(
  index: number,
  kind: TraderKind,
  scenario: Scenario,
  rng: SeededRandom,
  marketCount: number,
): Trader {
  const base = {
    index,
    accountId: index + 1,
    kind,
    lookback: 30,
    threshold: 0.004,
    usage: 0.5,
    rng,
  };
  const direction = (m: number) => (rng.chance(scenario.longBias[m] ?? 0.5) ? 1 : -1);
  const pickMarket = () => (rng.chance(0.4) ? scenario.focus : rng.int(0, marketCount));
  switch (kind) {
    case "hedger": {
      const pair = rng.pick(HEDGE_PAIRS);
      return {
        ...base,
        initialCollateral: rng.logBetween(20_000, 200_000),
        leverage: rng.between(2, 5),
        markets: [pair[0], pair[1]],
        activity: 0.03,
        bias: [1, -1],
      };
    }
    case "trend": {
      const m = pickMarket();
      return {
        ...base,
        initialCollateral: rng.logBetween(10_000, 100_000),
        leverage: rng.between(2, 6),
        markets: [m],
        activity: 0.08,
        lookback: rng.int(15, 90),
        threshold: rng.between(0.001, 0.006),
        bias: [direction(m)],
      };
    }
    case "degen": {
      const m = pickMarket();
      return {
        ...base,
        initialCollateral: rng.logBetween(2_000, 25_000),
        leverage: 0,
        markets: [m],
        activity: 0.05,
        usage: rng.between(0.55, 0.92),
        bias: [direction(m)],
      };
    }
    case "whale": {
      const m = rng.chance(0.6) ? scenario.focus : rng.int(0, Math.min(3, marketCount));
      return {
        ...base,
        initialCollateral: rng.logBetween(1_000_000, 6_000_000),
        leverage: rng.between(scenario.whaleLeverage[0], scenario.whaleLeverage[1]),
        markets: [m],
        activity: 0.015,
        bias: [direction(m)],
      };
    }
    case "arb":
      return {
        ...base,
        initialCollateral: rng.logBetween(50_000, 500_000),
        leverage: rng.between(1.5, 4),
        markets: [rng.int(0, marketCount)],
        activity: 0.06,
        bias: [0],
      };
  }
}

/** Initial margin of a position of `notional` USD, as the contract computes it (in floats). */
export function initialMargin(spec: MarginSpec, size: number, price: number): number {
  const imr = spec.imrMin + (Math.abs(size) / spec.skewScale) * spec.imrScalar;
  return Math.abs(size) * price * imr + spec.minPositionMargin;
}

/** Largest size (units) whose initial margin fits in `budget` USD: solves the IM quadratic. */
export function maxSizeFor(spec: MarginSpec, budget: number, price: number): number {
  const b = budget - spec.minPositionMargin;
  if (b <= 0) return 0;
  const a = (price * spec.imrScalar) / spec.skewScale;
  const c = price * spec.imrMin;
  return a === 0 ? b / c : (-c + Math.sqrt(c * c + 4 * a * b)) / (2 * a);
}

/**
 * Largest size whose initial margin still fits in `budget` after paying the taker fee and the
 * skew premium of getting there (the contract checks equity after both).
 */
export function affordableSize(
  spec: MarginSpec,
  budget: number,
  price: number,
  skew: number,
  direction: number,
): number {
  const fits = (size: number) => {
    const premium = Math.max(0, (direction * skew + size / 2) / spec.skewScale);
    return initialMargin(spec, size, price) + size * price * (spec.takerFee + premium) <= budget;
  };
  let lo = 0;
  let hi = maxSizeFor(spec, budget, price);
  if (hi <= 0) return 0;
  if (fits(hi)) return hi;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

function tradeTo(
  trader: Trader,
  ctx: TradeContext,
  market: number,
  targetSize: number,
  tolerance: number,
): Action[] {
  const current = fromD18(positionSize(ctx.book, trader.accountId, market + 1));
  const delta = targetSize - current;
  const scale = Math.max(Math.abs(targetSize), Math.abs(current));
  if (scale === 0 || Math.abs(delta) <= tolerance * scale) return [];
  const sizeDelta = toD18At8Decimals(delta);
  return sizeDelta === 0n ? [] : [{ type: "trade", marketId: market + 1, sizeDelta }];
}

/** Target size for `notional` USD of exposure in `direction`, capped by what margin allows. */
function targetSize(
  ctx: TradeContext,
  equity: number,
  market: number,
  notional: number,
  direction: number,
): number {
  const price = ctx.prices[market]!;
  const cap = affordableSize(
    ctx.margins[market]!,
    equity * 0.9,
    price,
    ctx.skews[market]!,
    direction,
  );
  return direction * Math.min(notional / price, cap);
}

/** The trader's actions for this block (usually none). */
export function decide(trader: Trader, ctx: TradeContext): Action[] {
  const rng = trader.rng;
  if (!rng.chance(trader.activity)) return [];
  const id = trader.accountId;
  // The book is valued at the previous prices; re-mark it to the prices the trade will meet.
  let equity = fromD18(ctx.book.equity[id - 1] ?? 0n);
  for (let m = 0; m < ctx.prices.length; m++) {
    const size = positionSize(ctx.book, id, m + 1);
    if (size !== 0n) equity += fromD18(size) * (ctx.prices[m]! - ctx.previousPrices[m]!);
  }
  const collateral = fromD18(ctx.book.collateral[id - 1] ?? 0n);
  const hasPositions = (ctx.book.notional[id - 1] ?? 0n) > 0n;

  // Wiped out (liquidated): most reload, some walk away.
  if (!hasPositions && collateral < trader.initialCollateral * 0.2) {
    if (rng.chance(0.3))
      return [{ type: "deposit", amount: toD18At8Decimals(trader.initialCollateral * 0.5) }];
    return [];
  }
  // Flat and well up: take some profit off the table.
  if (!hasPositions && collateral > trader.initialCollateral * 1.3 && rng.chance(0.5)) {
    return [{ type: "withdraw", amount: toD18At8Decimals(collateral - trader.initialCollateral) }];
  }
  if (equity <= 0) return [];

  switch (trader.kind) {
    case "hedger": {
      if (rng.chance(0.03)) {
        return trader.markets.flatMap((m) => tradeTo(trader, ctx, m, 0, 0));
      }
      const legNotional = (trader.leverage * equity) / 2;
      return trader.markets.flatMap((m, i) =>
        tradeTo(trader, ctx, m, targetSize(ctx, equity / 2, m, legNotional, trader.bias[i]!), 0.2),
      );
    }
    case "trend": {
      const m = trader.markets[0]!;
      const signal = Math.log(ctx.prices[m]! / ctx.model.pastPrice(m, trader.lookback));
      let direction = 0;
      if (signal > trader.threshold) direction = 1;
      else if (signal < -trader.threshold) direction = -1;
      else return [];
      const lean = direction === trader.bias[0] ? 1 : 0.6;
      return tradeTo(
        trader,
        ctx,
        m,
        targetSize(ctx, equity, m, trader.leverage * equity * lean, direction),
        0.3,
      );
    }
    case "degen": {
      const m = trader.markets[0]!;
      const price = ctx.prices[m]!;
      const current = fromD18(positionSize(ctx.book, id, m + 1));
      const direction = trader.bias[0]!;
      const budget = equity * trader.usage * rng.between(0.9, 1);
      const want =
        direction * affordableSize(ctx.margins[m]!, budget, price, ctx.skews[m]!, direction);
      if (current !== 0 && Math.abs(current) >= Math.abs(want) * 0.85) return [];
      return tradeTo(trader, ctx, m, want, 0.1);
    }
    case "whale": {
      const m = trader.markets[0]!;
      return tradeTo(
        trader,
        ctx,
        m,
        targetSize(ctx, equity, m, trader.leverage * equity, trader.bias[0]!),
        0.15,
      );
    }
    case "arb": {
      const m = trader.markets[0]!;
      const skew = ctx.skews[m]!;
      const price = ctx.prices[m]!;
      const skewNotional = skew * price;
      if (Math.abs(skewNotional) < 250_000) return tradeTo(trader, ctx, m, 0, 0.5);
      const direction = skew > 0 ? -1 : 1;
      const notional = Math.min(trader.leverage * equity, Math.abs(skewNotional) * 0.2);
      return tradeTo(trader, ctx, m, targetSize(ctx, equity, m, notional, direction), 0.25);
    }
  }
}
