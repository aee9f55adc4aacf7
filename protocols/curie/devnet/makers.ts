/**
 * Liquidity makers: a few well-collateralised accounts quoting every pool in several ranges
 * around the price — wide (±40–60 %), middle (±10–20 %) and narrow (±2–5 %) — and now and then
 * re-centering a narrow or middle range the price has drifted out of the middle of (remove,
 * then add around the pool price). Their depth is what a trade, an arbitrage or a liquidator's
 * unwind moves the pool through, tick by tick.
 */
import type { SeededRandom } from "../../../engine/seededRandom.js";
import { TICK_SPACING } from "./deploy.js";
import { tickRange } from "./prices.js";

export interface MakerRange {
  market: number;
  /** Half-width as a share of the price (0.05 = ±5 %). */
  width: number;
  /** USD of liquidity (base and quote together) the range is sized for. */
  value: number;
  /** Whether the maker moves it back around the price. */
  recenters: boolean;
  lowerTick: number;
  upperTick: number;
}

export interface Maker {
  index: number;
  /** Settlement tokens deposited, USD. */
  collateral: number;
  ranges: MakerRange[];
  rng: SeededRandom;
}

/** Probability per block that a maker looks at its ranges. */
const LOOK_CHANCE = 0.05;
/** A range is re-centred once the price leaves its middle half. */
const DRIFT = 0.5;

/** `count` makers sharing `valuePerMarket` USD of liquidity in each market. */
export function createMakers(
  count: number,
  prices: readonly number[],
  valuePerMarket: number,
  rng: SeededRandom,
): Maker[] {
  return Array.from({ length: count }, (_, index) => {
    const r = rng.split();
    const ranges: MakerRange[] = [];
    prices.forEach((price, market) => {
      const share = valuePerMarket / count;
      const plan: [number, number, boolean][] = [
        [r.between(0.4, 0.6), 0.4, false],
        [r.between(0.1, 0.2), 0.35, true],
        [r.between(0.02, 0.05), 0.25, true],
      ];
      for (const [width, part, recenters] of plan) {
        ranges.push({ market, width, value: share * part, recenters, ...around(price, width) });
      }
    });
    // Liquidity value needs ~10 % of it as free collateral (IM on the debt); keep 4× that.
    const collateral = 0.4 * valuePerMarket * (prices.length / count);
    return { index, collateral, ranges, rng: r };
  });
}

export function around(price: number, width: number): { lowerTick: number; upperTick: number } {
  return tickRange(price * (1 - width), price * (1 + width), TICK_SPACING);
}

/** Token amounts for `value` USD of liquidity around `price` (the pool takes what fits). */
export function amountsFor(value: number, price: number): { base: number; quote: number } {
  return { base: value / 2 / price, quote: value / 2 };
}

/** Whether `range` wants re-centring at `poolTick`. */
export function offCentre(range: MakerRange, poolTick: number): boolean {
  const mid = (range.lowerTick + range.upperTick) / 2;
  const half = (range.upperTick - range.lowerTick) / 2;
  return Math.abs(poolTick - mid) > half * DRIFT;
}

/** The ranges a maker re-centres this block (usually none). */
export function rangesToRecentre(maker: Maker, poolTicks: readonly number[]): MakerRange[] {
  if (!maker.rng.chance(LOOK_CHANCE)) return [];
  return maker.ranges.filter((r) => r.recenters && offCentre(r, poolTicks[r.market]!));
}
