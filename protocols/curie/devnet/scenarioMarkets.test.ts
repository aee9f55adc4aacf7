import { describe, expect, it } from "vitest";
import { SCENARIOS } from "../../../devnet/simulator/scenarios.js";
import { DEFAULT_MARKETS } from "../../../engine/analytics/defaultMarkets.js";
import { curiePrices, scenarioMarkets } from "./scenarioMarkets.js";

const curie = [
  { symbol: "vETH", initialPrice: 3000 },
  { symbol: "vBTC", initialPrice: 60000 },
];
const eth = DEFAULT_MARKETS.findIndex((m) => m.symbol === "ETH");
const btc = DEFAULT_MARKETS.findIndex((m) => m.symbol === "BTC");
const sol = DEFAULT_MARKETS.findIndex((m) => m.symbol === "SOL");

describe("scenarios on Curie's markets", () => {
  it("follows the market of the same symbol, scaled to Curie's price", () => {
    const map = scenarioMarkets(SCENARIOS["crash-cascade"], curie);
    expect(map.sources).toEqual([eth, btc]);
    expect(map.focus).toBe(0);
    expect(
      curiePrices(
        map,
        DEFAULT_MARKETS.map((m) => m.initialPrice),
      ),
    ).toEqual([3000, 60000]);
    expect(map.longBias).toEqual([
      SCENARIOS["crash-cascade"].longBias[eth],
      SCENARIOS["crash-cascade"].longBias[btc],
    ]);
  });

  it("puts a focus Curie does not list on its first market", () => {
    const map = scenarioMarkets(SCENARIOS["funding-squeeze"], curie);
    expect(map.sources).toEqual([sol, btc]);
    expect(map.focus).toBe(0);
    expect(map.longBias[0]).toBe(SCENARIOS["funding-squeeze"].longBias[sol]);
    const prices = DEFAULT_MARKETS.map((m) => m.initialPrice);
    prices[sol] = prices[sol]! * 1.2;
    expect(curiePrices(map, prices)[0]).toBeCloseTo(3600, 6);
  });

  it("refuses a market with no default market to follow", () => {
    expect(() => scenarioMarkets(SCENARIOS.calm, [{ symbol: "vXYZ", initialPrice: 1 }])).toThrow(
      /vXYZ: no default market named XYZ/,
    );
  });
});
