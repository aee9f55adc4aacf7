/**
 * The naive baseline: per account, the exact engine's bigint health at given oracle prices.
 *
 * Why: every analytics answer reduces to "is this account liquidatable at these prices", and
 * the exact engine is the only authority on that (`MM > 0 && equity < MM`, to the wei). Tests
 * use these functions as the oracle the float64 closed forms must agree with; the benchmark
 * uses them as the baseline the fast paths are measured against — the obvious way to build a
 * ladder or a cascade is to move prices and re-run this scan.
 */

import { toD18 } from "../../engine/analytics/d18.js";
import {
  type Account,
  type ExchangeState,
  type Health,
  healthWithMarks,
  isLiquidatable,
  type MarketMarks,
  marketMarks,
} from "./engine/index.js";

/** `state` with the oracle prices of some markets replaced (`prices[i]` for market `ids[i]`). */
export function withOraclePrices(
  state: ExchangeState,
  ids: readonly bigint[],
  prices: readonly bigint[],
): ExchangeState {
  const next = { ...state.oracle.prices };
  ids.forEach((id, i) => {
    const key = id.toString();
    next[key] = { price: prices[i]!, publishTime: state.oracle.prices[key]?.publishTime ?? 0n };
  });
  return { ...state, oracle: { ...state.oracle, prices: next } };
}

/** Every market's price and funding index at `timestamp`, as the exact engine computes them. */
export function exactMarks(state: ExchangeState, timestamp: bigint): MarketMarks {
  return marketMarks(state, timestamp);
}

/** Marks at float prices (one per market, converted to D18 to the nearest wei). */
export function exactMarksAt(
  state: ExchangeState,
  timestamp: bigint,
  prices: ArrayLike<number>,
): MarketMarks {
  const ids = state.markets.map((m) => m.marketId);
  const d18 = ids.map((_, m) => toD18(prices[m]!));
  return marketMarks(withOraclePrices(state, ids, d18), timestamp);
}

/** The account's exact health given the marks; throws if the exact engine would revert. */
export function exactHealth(marks: MarketMarks, account: Account): Health {
  const h = healthWithMarks(marks, account);
  if (!h.ok) throw new Error(`exact health reverts: ${h.error.message}`);
  return h.value;
}

/** The contract's liquidation check for one account at the marks. */
export function exactIsLiquidatable(marks: MarketMarks, account: Account): boolean {
  return isLiquidatable(exactHealth(marks, account));
}

/** The naive scan: how many accounts of `state` are liquidatable at the marks. */
export function exactLiquidatableCount(state: ExchangeState, marks: MarketMarks): number {
  let n = 0;
  for (const key in state.accounts) {
    const a = state.accounts[key]!;
    if (a.openMarkets !== 0n && exactIsLiquidatable(marks, a)) n++;
  }
  return n;
}
