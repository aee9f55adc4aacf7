import { describe, expect, it } from "vitest";
import { SCENARIOS } from "../../../devnet/simulator/scenarios.js";
import { arbitrageStrength, arbitrageSwap } from "./arbitrage.js";
import { tickAt } from "./prices.js";
import { priceOfTick } from "./priceWindow.js";

const pool = 3000;
const tick = tickAt(pool);
const wide = { refTick: tick, maxDelta: 1000 };

describe("arbitrage toward the index", () => {
  it("sells the pool down toward a lower index, by the scenario's share of the gap", () => {
    const swap = arbitrageSwap(pool, tick, 2940, wide, 0.5)!;
    expect(swap.buy).toBe(false);
    expect(priceOfTick(swap.limitTick)).toBeCloseTo(Math.sqrt(3000 * 2940), -1);
  });

  it("buys toward a higher index", () => {
    expect(arbitrageSwap(pool, tick, 3100, wide, 1)?.buy).toBe(true);
  });

  it("stops at the block's window instead of crossing it (EX_OPLAS)", () => {
    const swap = arbitrageSwap(pool, tick, 2000, wide, 1)!;
    expect(swap.limitTick).toBe(tick - 998);
  });

  it("does nothing on a tiny gap, with no room left, or with no arbitrageurs", () => {
    expect(arbitrageSwap(pool, tick, 3001, wide, 1)).toBeNull();
    expect(arbitrageSwap(pool, tick, 2000, { refTick: tick + 998, maxDelta: 1000 }, 1)).toBeNull();
    expect(arbitrageSwap(pool, tick, 2000, wide, 0)).toBeNull();
  });

  it("is off when a scenario has no arbitrage traders (funding-squeeze)", () => {
    expect(arbitrageStrength(SCENARIOS["funding-squeeze"])).toBe(0);
    expect(arbitrageStrength(SCENARIOS["crash-cascade"])).toBeGreaterThan(0);
  });
});
