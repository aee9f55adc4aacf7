import { describe, expect, it } from "vitest";
import { handmadeBook } from "../../engine/analytics/syntheticBook.js";
import {
  exactHealth,
  exactIsLiquidatable,
  exactLiquidatableCount,
  exactMarks,
  exactMarksAt,
  withOraclePrices,
} from "./exactBaseline.js";

describe("exactBaseline", () => {
  const { state, timestamp } = handmadeBook([
    { collateral: 9_500, legs: [{ market: 0, size: 1 }] }, // 10x long BTC: liquidated below −9%
    { collateral: 20_000, legs: [{ market: 1, size: -10 }] },
  ]);
  const [long, short] = Object.values(state.accounts);

  it("replaces oracle prices and keeps publish times", () => {
    const s = withOraclePrices(state, [1n], [1n]);
    expect(s.oracle.prices["1"]!.price).toBe(1n);
    expect(s.oracle.prices["1"]!.publishTime).toBe(state.oracle.prices["1"]!.publishTime);
    expect(state.oracle.prices["1"]!.price).toBe(95_000n * 10n ** 18n);
  });

  it("answers the contract's liquidation question with bigint health", () => {
    const marks = exactMarks(state, timestamp);
    expect(exactHealth(marks, long!).equity).toBe(9_500n * 10n ** 18n);
    expect(exactIsLiquidatable(marks, long!)).toBe(false);
    expect(exactLiquidatableCount(state, marks)).toBe(0);
    const down = exactMarksAt(state, timestamp, [95_000 * 0.905, 3_400, 180, 0.25, 2.5]);
    expect(exactIsLiquidatable(down, long!)).toBe(true);
    expect(exactIsLiquidatable(down, short!)).toBe(false);
    expect(exactLiquidatableCount(state, down)).toBe(1);
  });
});
