/**
 * The arbitrage bot: each block it trades each pool toward the index, inside the block's price
 * window (priceWindow.ts). Curie's mark price is a median of pool TWAPs and index + premium,
 * so without someone moving the pools an oracle crash leaves the mark (and every account's
 * value) where it was and nobody is ever liquidated. How much of the gap a block closes comes
 * from the scenario's share of arbitrage traders: funding-squeeze has none, so its pool drifts
 * away from the index and funding runs.
 */
import type { Scenario } from "../../../devnet/simulator/scenarios.js";
import { tickAt } from "./prices.js";
import { clampToWindow, type PriceWindow } from "./priceWindow.js";

/** Gaps below this (log, ~0.1 %) are left alone: fees would eat the trade. */
const MIN_GAP = 0.001;

/** Share of the pool/index gap the bot closes per block: 0 turns it off. */
export function arbitrageStrength(scenario: Scenario): number {
  return Math.min(1, scenario.mix.arb * 2.5);
}

export interface ArbitrageSwap {
  buy: boolean;
  /** The tick the swap stops at (its sqrtPriceLimitX96 is this tick's). */
  limitTick: number;
}

/** The swap that moves the pool `strength` of the way to `index` within the window, if any. */
export function arbitrageSwap(
  poolPrice: number,
  poolTick: number,
  index: number,
  window: PriceWindow,
  strength: number,
): ArbitrageSwap | null {
  const gap = Math.log(index / poolPrice);
  if (strength <= 0 || Math.abs(gap) < MIN_GAP) return null;
  const target = poolPrice * Math.exp(gap * strength);
  const limitTick = clampToWindow(window, tickAt(target));
  const buy = gap > 0;
  if (buy ? limitTick <= poolTick : limitTick >= poolTick) return null;
  return { buy, limitTick };
}
