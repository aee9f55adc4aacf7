import { describe, expect, it } from "vitest";
import { fromD18, toD18, toD18At8Decimals } from "./d18.js";

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

  it("rounds to 8 decimals first in toD18At8Decimals (the devnet's on-chain amounts)", () => {
    expect(toD18At8Decimals(1.5)).toBe(1_500_000_000_000_000_000n);
    expect(toD18At8Decimals(95_000.123456789)).toBe(95_000_12345679n * 10n ** 10n);
    expect(toD18At8Decimals(0.000000004)).toBe(0n);
    expect(toD18At8Decimals(-0.000000015)).toBe(-1n * 10n ** 10n);
    expect(toD18At8Decimals(-2.5)).toBe(-25n * 10n ** 17n);
    expect(toD18(95_000.123456789)).not.toBe(toD18At8Decimals(95_000.123456789));
    expect(() => toD18At8Decimals(Number.NaN)).toThrow(RangeError);
  });
});
