import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { defaultMarketModel, type MarketModel } from "./marketModel.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { PricePaths } from "./pricePaths.js";
import { syntheticBook } from "./syntheticBook.js";

const b = syntheticBook({ seed: 1, accounts: 10, markets: 5 });
const model = defaultMarketModel(
  buildPositionStore(bookOf(b.state, b.timestamp, referenceRiskModel)),
);

function endMoves(m: MarketModel, seed: number, n: number, opts = {}) {
  const g = new PricePaths(m, seed, opts);
  const out = new Float64Array((g.steps + 1) * 5);
  const ends: number[][] = [];
  for (let i = 0; i < n; i++) {
    g.next(out);
    ends.push(Array.from(out.subarray(g.steps * 5)));
  }
  return ends;
}

describe("PricePaths", () => {
  it("starts at the mark and replays from the seed", () => {
    const g = new PricePaths(model, 3, { steps: 4 });
    const out = new Float64Array(25);
    g.next(out);
    expect(Array.from(out.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(endMoves(model, 3, 5)).toEqual(endMoves(model, 3, 5));
    expect(endMoves(model, 3, 5)).not.toEqual(endMoves(model, 4, 5));
  });

  it("is a martingale with the model's volatility and correlation", () => {
    const noJumps: MarketModel = {
      ...model,
      markets: model.markets.map((p) => ({ ...p, jumpsPerDay: 0 })),
    };
    const ends = endMoves(noJumps, 7, 20_000, { steps: 4 });
    const logs = ends.map((e) => e.map((x) => Math.log(1 + x)));
    for (const m of [0, 4]) {
      const mean = ends.reduce((s, e) => s + e[m]!, 0) / ends.length;
      const sd = Math.sqrt(logs.reduce((s, l) => s + l[m]! ** 2, 0) / logs.length);
      const vol = noJumps.markets[m]!.dailyVol;
      expect(Math.abs(mean)).toBeLessThan(3 * (vol / Math.sqrt(ends.length)));
      expect(sd / vol).toBeCloseTo(1, 1);
    }
    const c01 =
      logs.reduce((s, l) => s + l[0]! * l[1]!, 0) /
      Math.sqrt(
        logs.reduce((s, l) => s + l[0]! ** 2, 0) * logs.reduce((s, l) => s + l[1]! ** 2, 0),
      );
    expect(c01).toBeCloseTo(0.85, 1);
  });

  it("adds jumps: fatter tails, still a martingale", () => {
    const ends = endMoves(model, 9, 20_000);
    const wif = ends.map((e) => Math.log(1 + e[4]!));
    const sd = Math.sqrt(wif.reduce((s, x) => s + x * x, 0) / wif.length);
    const expected = Math.sqrt(model.markets[4]!.dailyVol ** 2 + 6 * 0.035 ** 2);
    expect(sd / expected).toBeCloseTo(1, 1);
    // A market-wide crash one day in five, −20% on BTC: the compensating drift keeps the mean
    // at zero, and about one path in six ends more than 10% down (a 3.5σ day without it).
    const crash = endMoves(model, 9, 4_000, {
      commonJump: { perDay: 0.2, mean: -0.2, sd: 0.02 },
    });
    const mean = crash.reduce((s, e) => s + e[0]!, 0) / crash.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    const fell = (xs: number[][]) => xs.filter((e) => e[0]! < -0.1).length / xs.length;
    expect(fell(crash)).toBeGreaterThan(0.12);
    expect(fell(ends)).toBeLessThan(0.01);
  });

  it("rejects bad options", () => {
    expect(() => new PricePaths(model, 1, { steps: 0 })).toThrow(RangeError);
    expect(() => new PricePaths(model, 1, { horizonDays: 0 })).toThrow(RangeError);
  });
});
