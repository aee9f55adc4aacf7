/**
 * Market impact: how far net liquidation flow moves a market's price.
 *
 * Why: a cascade is liquidations feeding on their own price impact, so the impact law decides
 * whether a shock fizzles or runs. Two standard laws are offered, per market parameters from
 * the MarketModel: the square-root law `Δp/p = Y·σ·√(Q/V)` (Q net flow, V daily volume, σ daily
 * volatility — the empirical law for metaorders) and a linear order book `Δp/p = Q/depth·1%`
 * (depth = USD per 1% move). Net buying (Q > 0) lifts the price, net selling lowers it.
 */
import type { MarketRiskParams } from "./marketModel.js";

export type ImpactModel = "sqrt" | "linear" | "none";

/** The relative price move caused by `flow` USD of net buying (negative: selling). */
export function impactMove(
  model: ImpactModel,
  p: Pick<MarketRiskParams, "impactY" | "dailyVol" | "dailyVolume" | "depthPer1Pct">,
  flow: number,
): number {
  if (flow === 0) return 0;
  switch (model) {
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
