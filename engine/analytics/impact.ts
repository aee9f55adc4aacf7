/**
 * Market impact: how far net liquidation flow moves a market's price.
 *
 * Why: a cascade is liquidations feeding on their own price impact, so the impact law decides
 * whether a shock fizzles or runs. Two standard laws are offered, per market parameters from
 * the MarketModel: the square-root law `Δp/p = Y·σ·√(Q/V)` (Q net flow, V daily volume, σ daily
 * volatility — the empirical law for metaorders) and a linear order book `Δp/p = Q/depth·1%`
 * (depth = USD per 1% move). Net buying (Q > 0) lifts the price, net selling lowers it.
 * Where liquidations trade against a real pool (Perp v2), a third law is exact: "pool" moves
 * the price as trading Q's base size through the pool's concentrated liquidity would, tick by
 * tick (risk/liquidityCurve.ts); a market without a pool falls back to the square-root law.
 */
import { priceAfterBaseFlow, priceOfSqrtX96 } from "../risk/liquidityCurve.js";
import type { MarketRiskParams } from "./marketModel.js";

export type ImpactModel = "sqrt" | "linear" | "none" | "pool";

const E18 = 1e18;

type Venue = NonNullable<MarketRiskParams["venue"]>;

/** The base size (D18) of `flow` USD of net buying at the pool's price. */
export function baseOfFlow(venue: Venue, flow: number): bigint {
  const price = Number(priceOfSqrtX96(venue.sqrtPriceX96)) / E18;
  return BigInt(Math.round((flow / price) * E18));
}

/** A relative price move from one sqrt price to another: (after/before)² − 1. */
export function moveOfSqrt(before: bigint, after: bigint): number {
  const r = Number((after * 10n ** 18n) / before) / E18;
  return r * r - 1;
}

/** The pool's relative price move after `flow` USD of net buying, valued at its own price. */
function poolMove(venue: Venue, flow: number): number {
  return moveOfSqrt(venue.sqrtPriceX96, priceAfterBaseFlow(venue, baseOfFlow(venue, flow)));
}

/** The relative price move caused by `flow` USD of net buying (negative: selling). */
export function impactMove(
  model: ImpactModel,
  p: Pick<MarketRiskParams, "impactY" | "dailyVol" | "dailyVolume" | "depthPer1Pct" | "venue">,
  flow: number,
): number {
  if (flow === 0) return 0;
  switch (model) {
    case "pool":
      if (p.venue) return poolMove(p.venue, flow);
      return impactMove("sqrt", p, flow);
    case "sqrt": {
      const q = flow < 0 ? -flow : flow;
      const move = p.impactY * p.dailyVol * Math.sqrt(q / p.dailyVolume);
      return flow < 0 ? -move : move;
    }
    case "linear":
      return (flow / p.depthPer1Pct) * 0.01;
    case "none":
      return 0;
  }
}
