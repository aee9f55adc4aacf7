import { describe, expect, it } from "vitest";
import { formatD18, parseD18 } from "./d18Text.js";

const E18 = 10n ** 18n;

describe("formatD18", () => {
  it("writes the shortest exact decimal", () => {
    expect(formatD18(0n)).toBe("0");
    expect(formatD18(15n * 10n ** 17n)).toBe("1.5");
    expect(formatD18(-5n)).toBe("-0.000000000000000005");
    expect(formatD18(123_456n * E18)).toBe("123456");
    expect(formatD18(2n ** 255n)).toBe(
      "57896044618658097711785492504343953926634992332820282019728.792003956564819968",
    );
  });
});

describe("parseD18", () => {
  const ok = (s: string) => {
    const r = parseD18(s);
    if (!r.ok) throw new Error(r.why);
    return r.value;
  };
  it("reads plain and exponent forms exactly", () => {
    expect(ok("1.5")).toBe(15n * 10n ** 17n);
    expect(ok("-0.000000000000000005")).toBe(-5n);
    expect(ok("42")).toBe(42n * E18);
    expect(ok("1e-7")).toBe(10n ** 11n);
    expect(ok("2.5E3")).toBe(2500n * E18);
    expect(ok("0.80")).toBe(8n * 10n ** 17n);
  });
  it("round-trips", () => {
    for (const v of [0n, 1n, -1n, 10n ** 30n + 7n, -(10n ** 18n) * 95000n - 25n * 10n ** 16n]) {
      expect(ok(formatD18(v))).toBe(v);
    }
  });
  it("rejects what it cannot represent exactly", () => {
    expect(parseD18("1.0000000000000000001").ok).toBe(false);
    expect(parseD18("abc").ok).toBe(false);
    expect(parseD18("").ok).toBe(false);
    expect(parseD18("1e999").ok).toBe(false);
    expect(parseD18("NaN").ok).toBe(false);
    expect(parseD18("0x10").ok).toBe(false);
  });
});
