import { describe, expect, it } from "vitest";
import { notionalAtMark } from "./ladderNotional.js";

/** A bin as the API computes it: accounts' notional N, of which M in the moved market. */
const bin = (move: number, N: number, M: number) => ({
  move,
  liquidatedNotional: N + M * move,
  marketNotional: M * (1 + move),
});

describe("the ladder at the pre-shock mark", () => {
  it("recovers the accounts' notional at the mark from a bin valued at its shocked price", () => {
    expect(notionalAtMark(bin(-0.2, 250e6, 225e6))).toBeCloseTo(250e6, 0);
    expect(notionalAtMark(bin(0.1, 40e6, 10e6))).toBeCloseTo(40e6, 0);
    expect(notionalAtMark(bin(0, 5e6, 5e6))).toBe(5e6);
  });

  it("does not fall where the shocked value did (the reported $205 M at −20%, $180 M at −30%)", () => {
    // ETH longs: $250 M at the mark liquidated by −20% (mostly ETH), $8 M more by −30%.
    const at20 = bin(-0.2, 250e6, 225e6);
    const at30 = bin(-0.3, 258e6, 232e6);
    expect(at20.liquidatedNotional).toBeCloseTo(205e6, -6);
    expect(at30.liquidatedNotional).toBeLessThan(at20.liquidatedNotional);
    expect(notionalAtMark(at30)).toBeGreaterThan(notionalAtMark(at20));
  });
});
