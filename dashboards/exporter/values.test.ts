import { describe, expect, it } from "vitest";
import { blockTimeOfEventId, d18, dateTime64, finite, fromDecimal } from "./values.js";

describe("exporter values", () => {
  it("formats D18 integers as exact decimals and back", () => {
    const cases: [bigint, string][] = [
      [0n, "0"],
      [1n, "0.000000000000000001"],
      [-1n, "-0.000000000000000001"],
      [1500000000000000000n, "1.5"],
      [-123456789000000000000000n, "-123456.789"],
      [10n ** 40n + 7n, "10000000000000000000000.000000000000000007"],
    ];
    for (const [v, s] of cases) {
      expect(d18(v)).toBe(s);
      expect(d18(v.toString())).toBe(s);
      expect(fromDecimal(s)).toBe(v);
    }
    expect(() => fromDecimal("1e5")).toThrow(/not a decimal/);
    expect(d18("000")).toBe("0");
    expect(d18("-0")).toBe("0");
    expect(d18(`0001000${"0".repeat(18)}`)).toBe("1000");
    expect(() => d18("12x")).toThrow(/not an integer/);
  });

  it("reads the block time from a Ponder checkpoint id", () => {
    const id = `1700000123${"0".repeat(15)}1${"0".repeat(16)}${"0".repeat(16)}5${"0".repeat(16)}`;
    expect(blockTimeOfEventId(id)).toBe(1700000123);
    expect(() => blockTimeOfEventId("abc")).toThrow(/not a Ponder event id/);
  });

  it("writes DateTime64 text in UTC and keeps floats finite", () => {
    expect(dateTime64(Date.UTC(2026, 0, 2, 3, 4, 5, 67))).toBe("2026-01-02 03:04:05.067");
    expect(finite(Number.POSITIVE_INFINITY, -1)).toBe(-1);
    expect(finite(2)).toBe(2);
  });
});
