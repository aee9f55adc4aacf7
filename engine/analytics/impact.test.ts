import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { impactMove } from "./impact.js";

const p = { impactY: 1, dailyVol: 0.03, dailyVolume: 1e9, depthPer1Pct: 1e7 };

describe("impactMove", () => {
  it("follows the square-root law", () => {
    // Selling 1% of daily volume with 3% daily vol: 0.3% down.
    expect(impactMove("sqrt", p, -1e7)).toBeCloseTo(-0.003, 12);
    expect(impactMove("sqrt", p, 4e7)).toBeCloseTo(0.006, 12);
    expect(impactMove("sqrt", { ...p, impactY: 0.5 }, 4e7)).toBeCloseTo(0.003, 12);
  });

  it("follows the linear depth model", () => {
    expect(impactMove("linear", p, -1e7)).toBeCloseTo(-0.01, 12);
    expect(impactMove("linear", { ...p, depthPer1Pct: 2e7 }, -1e7)).toBeCloseTo(-0.005, 12);
  });

  it("is zero without flow or without a model", () => {
    expect(impactMove("sqrt", p, 0)).toBe(0);
    expect(impactMove("none", p, -1e9)).toBe(0);
  });

  it("is odd and monotone in the flow, and shrinks with depth (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("sqrt" as const, "linear" as const),
        fc.double({ min: -1e10, max: 1e10, noNaN: true }),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        (model, q, extra) => {
          expect(impactMove(model, p, -q)).toBeCloseTo(-impactMove(model, p, q), 12);
          const more = q >= 0 ? q + extra : q - extra;
          expect(Math.abs(impactMove(model, p, more))).toBeGreaterThanOrEqual(
            Math.abs(impactMove(model, p, q)),
          );
          const deeper = { ...p, dailyVolume: 2 * p.dailyVolume, depthPer1Pct: 2 * p.depthPer1Pct };
          expect(Math.abs(impactMove(model, deeper, q))).toBeLessThanOrEqual(
            Math.abs(impactMove(model, p, q)),
          );
        },
      ),
    );
  });
});
