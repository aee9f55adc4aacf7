import { describe, expect, it } from "vitest";
import {
  getSqrtRatioAtTick,
  increaseObservationCardinalityNext,
  initializePool,
  sqrtMarketTwapX96,
} from "./index.js";
import { writeObservation } from "./oracle.js";

describe("sqrtMarketTwapX96 (Curie's UniswapV3Broker.getSqrtMarketTwapX96)", () => {
  // Tick -1 for 10 s, then tick 0 for 10 s: the mean tick is -0.5.
  let s = initializePool({
    sqrtPriceX96: getSqrtRatioAtTick(-1),
    fee: 3000,
    tickSpacing: 60,
    time: 1000,
  });
  s = increaseObservationCardinalityNext(s, 4);
  s = { ...s, ...writeObservation(s, 1010), tick: 0, sqrtPriceX96: getSqrtRatioAtTick(0) + 5n };

  it("reads the spot price below 10 s", () => {
    expect(sqrtMarketTwapX96(s, 1020, 0)).toBe(s.sqrtPriceX96);
    expect(sqrtMarketTwapX96(s, 1020, 9)).toBe(s.sqrtPriceX96);
  });

  it("truncates a negative mean tick toward zero (Solidity division), not down", () => {
    expect(sqrtMarketTwapX96(s, 1020, 20)).toBe(getSqrtRatioAtTick(0));
    expect(sqrtMarketTwapX96(s, 1010, 10)).toBe(getSqrtRatioAtTick(-1));
  });

  it("reads a window that ends secondsAgo back, and reverts OLD past the first observation", () => {
    expect(sqrtMarketTwapX96(s, 1030, 10, 10)).toBe(getSqrtRatioAtTick(0));
    expect(() => sqrtMarketTwapX96(s, 1020, 21)).toThrow("'OLD'");
  });
});
