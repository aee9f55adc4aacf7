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
    const swap = arbitrageSwap(pool, tick, 2940, 2940, wide, 0.5)!;
    expect(swap.buy).toBe(false);
    expect(priceOfTick(swap.limitTick)).toBeCloseTo(Math.sqrt(3000 * 2940), -1);
  });

  it("buys toward a higher index", () => {
    expect(arbitrageSwap(pool, tick, 3100, 3100, wide, 1)?.buy).toBe(true);
  });

  it("moves the pool with the index and keeps the rest of its premium", () => {
    // Pool 2 % over an index that rises 1 %: with nobody fading, it rises 1 % too.
    const follow = arbitrageSwap(pool, tick, 2970, 2940, wide, 0)!;
    expect(follow.buy).toBe(true);
    expect(priceOfTick(follow.limitTick) / pool).toBeCloseTo(2970 / 2940, 3);
  });

  it("stops at the block's window instead of crossing it (EX_OPLAS)", () => {
    const swap = arbitrageSwap(pool, tick, 2000, 2000, wide, 1)!;
    expect(swap.limitTick).toBe(tick - 998);
  });

  it("does nothing below a tick's move or with no room left in the window", () => {
    expect(arbitrageSwap(pool, tick, 3000.1, 3000.1, wide, 1)).toBeNull();
    expect(
      arbitrageSwap(pool, tick, 2000, 3000, { refTick: tick + 998, maxDelta: 1000 }, 1),
    ).toBeNull();
    expect(arbitrageSwap(pool, tick, 3000, 3000, wide, 0)).toBeNull();
  });

  it("is off when a scenario has no arbitrage traders (funding-squeeze)", () => {
    expect(arbitrageStrength(SCENARIOS["funding-squeeze"])).toBe(0);
    expect(arbitrageStrength(SCENARIOS["crash-cascade"])).toBeGreaterThan(0);
  });
});
