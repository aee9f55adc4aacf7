/**
 * The arbitrage bot: each block it moves each pool with the index — as market makers re-quote
 * around the oracle — and, in proportion to the scenario's share of arbitrage traders, fades
 * the pool's premium over the index; always inside the block's price window (priceWindow.ts).
 * Curie's mark price is a median of pool TWAPs and index + premium, so without someone moving
 * the pools an oracle crash leaves the mark (and every account's value) where it was and nobody
 * is ever liquidated. funding-squeeze has no arbitrage traders: the premium the long flow
 * pushes into the pool stays, and funding runs.
 */
import type { Scenario } from "../../../devnet/simulator/scenarios.js";
import { tickAt } from "./prices.js";
import { clampToWindow, type PriceWindow } from "./priceWindow.js";

/** Moves below one tick (log 1.0001) are left alone. */
const MIN_MOVE = 0.0001;

/** Share of the pool/index gap the bot closes per block: 0 turns it off. */
export function arbitrageStrength(scenario: Scenario): number {
  return Math.min(1, scenario.mix.arb * 2.5);
}

export interface ArbitrageSwap {
  buy: boolean;
  /** The tick the swap stops at (its sqrtPriceLimitX96 is this tick's). */
  limitTick: number;
}

/**
 * The swap that moves the pool by the index's move since `previousIndex` and closes `strength`
 * of the premium it had over that index, within the window; null when there is nothing to do.
 */
export function arbitrageSwap(
  poolPrice: number,
  poolTick: number,
  index: number,
  previousIndex: number,
  window: PriceWindow,
  strength: number,
): ArbitrageSwap | null {
  const premium = Math.log(poolPrice / previousIndex);
  const move = Math.log(index / previousIndex) - strength * premium;
  if (Math.abs(move) < MIN_MOVE) return null;
  const limitTick = clampToWindow(window, tickAt(poolPrice * Math.exp(move)));
  const buy = move > 0;
  if (buy ? limitTick <= poolTick : limitTick >= poolTick) return null;
  return { buy, limitTick };
}
