/**
 * Simulated Curie takers: the shared trader kinds (hedger, trend, degen, whale, arb) as small
 * seeded policies from (the account's value and positions, the index and pool prices) to a
 * target position per market. Curie margins cross-wise at one initial-margin ratio (10 %), so
 * a kind's leverage is its total notional over its account value, capped below 10×; the
 * kinds keep the features that matter for a cascade: hedged pairs, momentum crowding, degens
 * near the initial-margin edge and a few large whales. `arb` traders fade the pool's premium
 * over the index (the dedicated arbitrage bot is arbitrage.ts).
 */
import type { Scenario, TraderKind } from "../../../devnet/simulator/scenarios.js";
import type { SeededRandom } from "../../../engine/seededRandom.js";

/** ClearingHouseConfig's initial-margin ratio (the contract default, 10 %). */
export const IM_RATIO = 0.1;
/** Highest leverage a policy asks for: below 1/IM so fees and funding do not trip CH_NEFCI. */
export const MAX_LEVERAGE = 8;
/** Share of the free collateral a trade may commit (fees and the price moving in the block). */
const FREE_SHARE = 0.9;

export interface CurieTrader {
  index: number;
  kind: TraderKind;
  /** Settlement tokens deposited at onboarding, USD. */
  initialCollateral: number;
  leverage: number;
  /** Curie market indices this trader trades; hedgers: [long leg, short leg]. */
  markets: number[];
  /** Probability of acting in a block. */
  activity: number;
  lookback: number;
  threshold: number;
  /** +1 long, -1 short, per traded market. */
  bias: number[];
  rng: SeededRandom;
}

/** How a scenario written for the shared markets reads on Curie's markets. */
export interface MarketView {
  /** Probability a directional trader goes long, per Curie market. */
  longBias: readonly number[];
  /** The Curie market the scenario is about. */
  focus: number;
}

export interface TraderState {
  /** Account value, USD. */
  value: number;
  /** Vault.getFreeCollateral: what initial margin leaves free, USD. */
  freeCollateral: number;
  /** Taker position per market, base units. */
  sizes: readonly number[];
}

export interface TradeContext {
  /** Index (oracle) prices of this block, per Curie market. */
  index: readonly number[];
  pool: readonly number[];
  /** Index price `lookback` blocks ago. */
  pastIndex(market: number, lookback: number): number;
}

export type TraderAction =
  | { type: "trade"; market: number; target: number }
  | { type: "deposit"; amount: number }
  | { type: "withdraw"; amount: number };

export function createTrader(
  index: number,
  kind: TraderKind,
  scenario: Scenario,
  view: MarketView,
  marketCount: number,
  rng: SeededRandom,
): CurieTrader {
  const base = { index, kind, lookback: 30, threshold: 0.004, rng };
  const pick = () => (rng.chance(0.5) ? view.focus : rng.int(0, marketCount));
  const direction = (m: number) => (rng.chance(view.longBias[m] ?? 0.5) ? 1 : -1);
  switch (kind) {
    case "hedger": {
      const long = rng.int(0, marketCount);
      const short = marketCount > 1 ? (long + 1) % marketCount : long;
      return {
        ...base,
        initialCollateral: rng.logBetween(5_000, 50_000),
        leverage: rng.between(2, 5),
        markets: long === short ? [long] : [long, short],
        activity: 0.03,
        bias: long === short ? [1] : [1, -1],
      };
    }
    case "trend": {
      const m = pick();
      return {
        ...base,
        initialCollateral: rng.logBetween(3_000, 30_000),
        leverage: rng.between(2, 6),
        markets: [m],
        activity: 0.08,
        lookback: rng.int(15, 90),
        threshold: rng.between(0.001, 0.006),
        bias: [direction(m)],
      };
    }
    case "degen": {
      const m = pick();
      return {
        ...base,
        initialCollateral: rng.logBetween(1_000, 10_000),
        leverage: MAX_LEVERAGE * rng.between(0.55, 0.95),
        markets: [m],
        activity: 0.05,
        bias: [direction(m)],
      };
    }
    case "whale": {
      const m = rng.chance(0.6) ? view.focus : rng.int(0, marketCount);
      const [lo, hi] = scenario.whaleLeverage;
      return {
        ...base,
        initialCollateral: rng.logBetween(100_000, 600_000),
        leverage: Math.min(MAX_LEVERAGE, rng.between(lo, hi)),
        markets: [m],
        activity: 0.015,
        bias: [direction(m)],
      };
    }
    case "arb":
      return {
        ...base,
        initialCollateral: rng.logBetween(10_000, 100_000),
        leverage: rng.between(1.5, 4),
        markets: [rng.int(0, marketCount)],
        activity: 0.06,
        threshold: rng.between(0.002, 0.006),
        bias: [0],
      };
  }
}

/** Notional (USD) of every position but `market`'s, at index prices. */
function otherNotional(s: TraderState, ctx: TradeContext, market: number): number {
  let n = 0;
  for (let m = 0; m < s.sizes.length; m++)
    if (m !== market) n += Math.abs(s.sizes[m]!) * ctx.index[m]!;
  return n;
}

/**
 * Target size for `notional` USD in `direction`, capped by what initial margin allows: the
 * leverage cap on the account's value, and the free collateral (Curie checks it against the
 * larger of position value and debt, so a position at a loss leaves less room than its value
 * suggests); a reversal is sized on the free collateral alone.
 */
function sized(
  s: TraderState,
  ctx: TradeContext,
  market: number,
  notional: number,
  direction: number,
): number {
  const price = ctx.index[market]!;
  const held = s.sizes[market]! * direction > 0 ? Math.abs(s.sizes[market]!) * price : 0;
  const byLeverage = s.value * MAX_LEVERAGE - otherNotional(s, ctx, market);
  const byFree = held + (FREE_SHARE * Math.max(0, s.freeCollateral)) / IM_RATIO;
  const room = Math.max(0, Math.min(byLeverage, byFree));
  return (direction * Math.min(notional, room)) / price;
}

/** A trade to `target`, unless the position is already within `tolerance` of it. */
function tradeTo(
  s: TraderState,
  market: number,
  target: number,
  tolerance: number,
): TraderAction[] {
  const current = s.sizes[market]!;
  const scale = Math.max(Math.abs(target), Math.abs(current));
  if (scale === 0 || Math.abs(target - current) <= tolerance * scale) return [];
  return [{ type: "trade", market, target }];
}

/** The trader's actions this block, given that it acts (the simulator draws `activity`). */
export function decide(t: CurieTrader, s: TraderState, ctx: TradeContext): TraderAction[] {
  const rng = t.rng;
  const flat = s.sizes.every((x) => x === 0);
  // Wiped out (liquidated): some reload, the rest walk away.
  if (flat && s.value < t.initialCollateral * 0.2) {
    return rng.chance(0.3) ? [{ type: "deposit", amount: t.initialCollateral * 0.5 }] : [];
  }
  // Flat and well up: take some profit off the table.
  if (flat && s.value > t.initialCollateral * 1.3 && rng.chance(0.5)) {
    return [{ type: "withdraw", amount: s.value - t.initialCollateral }];
  }
  if (s.value <= 0) return [];
  switch (t.kind) {
    case "hedger": {
      if (rng.chance(0.03)) return t.markets.flatMap((m) => tradeTo(s, m, 0, 0));
      const leg = (t.leverage * s.value) / t.markets.length;
      return t.markets.flatMap((m, i) => tradeTo(s, m, sized(s, ctx, m, leg, t.bias[i]!), 0.2));
    }
    case "trend": {
      const m = t.markets[0]!;
      const signal = Math.log(ctx.index[m]! / ctx.pastIndex(m, t.lookback));
      if (Math.abs(signal) <= t.threshold) return [];
      const direction = Math.sign(signal);
      const lean = direction === t.bias[0] ? 1 : 0.6;
      return tradeTo(s, m, sized(s, ctx, m, t.leverage * s.value * lean, direction), 0.3);
    }
    case "degen": {
      const m = t.markets[0]!;
      const want = sized(s, ctx, m, t.leverage * s.value * rng.between(0.9, 1), t.bias[0]!);
      const current = s.sizes[m]!;
      if (current !== 0 && Math.abs(current) >= Math.abs(want) * 0.85) return [];
      return tradeTo(s, m, want, 0.1);
    }
    case "whale": {
      const m = t.markets[0]!;
      return tradeTo(s, m, sized(s, ctx, m, t.leverage * s.value, t.bias[0]!), 0.15);
    }
    case "arb": {
      const m = t.markets[0]!;
      const premium = Math.log(ctx.pool[m]! / ctx.index[m]!);
      if (Math.abs(premium) < t.threshold) return tradeTo(s, m, 0, 0.5);
      return tradeTo(s, m, sized(s, ctx, m, t.leverage * s.value, -Math.sign(premium)), 0.25);
    }
  }
}
