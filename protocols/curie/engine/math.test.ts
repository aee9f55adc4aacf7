/** Curie's rounding rules, each of which a view depends on to the wei. */
import { describe, expect, it } from "vitest";
import {
  formatSettlementToken,
  medianOfThree,
  mulDiv,
  mulDivUp,
  parseSettlementToken,
} from "./math.js";

describe("Curie fixed-point math", () => {
  it("PerpMath.mulDiv truncates toward zero on both signs", () => {
    expect(mulDiv(7n, 3n, 2n)).toBe(10n);
    expect(mulDiv(-7n, 3n, 2n)).toBe(-10n);
    expect(mulDiv(7n, -3n, 2n)).toBe(-10n);
    expect(mulDiv(-7n, -3n, 2n)).toBe(10n);
    expect(mulDiv(0n, -3n, 2n)).toBe(0n);
  });

  it("FullMath.mulDivRoundingUp rounds up only on a remainder", () => {
    expect(mulDivUp(10n, 3n, 5n)).toBe(6n);
    expect(mulDivUp(10n, 3n, 4n)).toBe(8n);
  });

  it("formatSettlementToken rounds a negative value down, a positive one down too", () => {
    expect(formatSettlementToken(-1n, 6)).toBe(-1n);
    expect(formatSettlementToken(-(10n ** 12n), 6)).toBe(-1n);
    expect(formatSettlementToken(10n ** 12n + 1n, 6)).toBe(1n);
    expect(formatSettlementToken(-5n, 18)).toBe(-5n);
    expect(parseSettlementToken(-3n, 6)).toBe(-3n * 10n ** 12n);
  });

  it("the mark price is the median of three", () => {
    expect(medianOfThree(1n, 2n, 3n)).toBe(2n);
    expect(medianOfThree(3n, 1n, 2n)).toBe(2n);
    expect(medianOfThree(2n, 3n, 1n)).toBe(2n);
    expect(medianOfThree(5n, 5n, 1n)).toBe(5n);
  });
});
