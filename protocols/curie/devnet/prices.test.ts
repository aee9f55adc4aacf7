import { describe, expect, it } from "vitest";
import { isqrt, priceOfSqrtX96, sqrtPriceX96At, tickAt, tickRange } from "./prices.js";

describe("curie price helpers", () => {
  it("isqrt is the floor square root", () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 40n + 7n, (1n << 200n) - 1n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
  });

  it("sqrtPriceX96 round-trips a price", () => {
    for (const p of [0.5, 1, 3000, 60_000])
      expect(priceOfSqrtX96(sqrtPriceX96At(p))).toBeCloseTo(p, 6);
    expect(sqrtPriceX96At(1)).toBe(1n << 96n);
  });

  it("tick ranges snap outward to the spacing", () => {
    expect(tickAt(1)).toBe(0);
    const { lowerTick, upperTick } = tickRange(2400, 3600, 60);
    expect(lowerTick % 60).toBe(0);
    expect(upperTick % 60).toBe(0);
    expect(1.0001 ** lowerTick).toBeLessThanOrEqual(2400);
    expect(1.0001 ** upperTick).toBeGreaterThanOrEqual(3600);
  });
});
