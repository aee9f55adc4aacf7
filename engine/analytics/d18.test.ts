import { describe, expect, it } from "vitest";
import { fromD18, toD18 } from "./d18.js";

describe("d18", () => {
  it("converts both ways", () => {
    expect(fromD18(1_500_000_000_000_000_000n)).toBe(1.5);
    expect(fromD18(-25n * 10n ** 16n)).toBe(-0.25);
    expect(toD18(1.5)).toBe(1_500_000_000_000_000_000n);
    expect(toD18(-0.25)).toBe(-250_000_000_000_000_000n);
    expect(toD18(0)).toBe(0n);
    expect(toD18(9_500)).toBe(9_500n * 10n ** 18n);
    expect(toD18(-123_456_789)).toBe(-123_456_789n * 10n ** 18n);
  });

  it("round-trips large prices to 1e-15 relative", () => {
    for (const x of [95_000.123456, 3_400.5, 0.2512345, 1e9]) {
      expect(Math.abs(fromD18(toD18(x)) / x - 1)).toBeLessThan(1e-15);
    }
  });

  it("rejects non-finite numbers", () => {
    expect(() => toD18(Number.NaN)).toThrow(RangeError);
    expect(() => toD18(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
