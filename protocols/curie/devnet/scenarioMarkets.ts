/**
 * The shared scenarios (devnet/simulator/scenarios.ts) are written for the default markets
 * (BTC, ETH, SOL, DOGE, WIF); Curie's devnet lists vETH and vBTC. Each Curie market follows the
 * default market of its symbol (vETH ← ETH), scaled to its own initial price — except that a
 * scenario about a market Curie does not list (funding-squeeze is about SOL) puts its focus on
 * Curie's first market, which then follows the focus market's path (its drift, its jumps, its
 * long bias). So every scenario keeps its story on Curie.
 */
import type { Scenario } from "../../../devnet/simulator/scenarios.js";
import { DEFAULT_MARKETS } from "../../../engine/analytics/defaultMarkets.js";
import type { MarketView } from "./traders.js";

export interface ScenarioMarkets extends MarketView {
  /** Default-market index each Curie market's price follows. */
  sources: number[];
  /** Curie price per unit of the source's price. */
  scales: number[];
}

export function scenarioMarkets(
  scenario: Scenario,
  markets: readonly { symbol: string; initialPrice: number }[],
): ScenarioMarkets {
  const sources = markets.map((m) => {
    const i = DEFAULT_MARKETS.findIndex((d) => d.symbol === m.symbol.replace(/^v/, ""));
    if (i < 0)
      throw new Error(
        `curie market ${m.symbol}: no default market named ${m.symbol.slice(1)} to follow`,
      );
    return i;
  });
  let focus = sources.indexOf(scenario.focus);
  if (focus < 0) {
    focus = 0;
    sources[0] = scenario.focus;
  }
  return {
    sources,
    scales: markets.map((m, k) => m.initialPrice / DEFAULT_MARKETS[sources[k]!]!.initialPrice),
    longBias: sources.map((s) => scenario.longBias[s] ?? 0.5),
    focus,
  };
}

/** Curie index prices from the default markets' simulated prices. */
export function curiePrices(map: ScenarioMarkets, modelPrices: readonly number[]): number[] {
  return map.sources.map((s, k) => modelPrices[s]! * map.scales[k]!);
}
