import { describe, expect, it } from "vitest";
import { exactIsLiquidatable, exactMarks } from "../../protocols/reference/exactBaseline.js";
import { handmadeBook, syntheticBook, syntheticMarketSpecs } from "./syntheticBook.js";

describe("syntheticBook", () => {
  it("is deterministic and has exactly the positions asked for", () => {
    const a = syntheticBook({ seed: 9, accounts: 300, positions: 800, markets: 7 });
    const b = syntheticBook({ seed: 9, accounts: 300, positions: 800, markets: 7 });
    expect(a.state).toEqual(b.state);
    const accounts = Object.values(a.state.accounts);
    expect(accounts).toHaveLength(300);
    expect(accounts.reduce((n, acc) => n + Object.keys(acc.positions).length, 0)).toBe(800);
    expect(a.state.markets.map((m) => m.symbol).slice(0, 6)).toEqual([
      "BTC",
      "ETH",
      "SOL",
      "DOGE",
      "WIF",
      "ALT6",
    ]);
  });

  it("mixes long, short and hedged accounts, a few already liquidatable", () => {
    const { state, timestamp } = syntheticBook({ seed: 2, accounts: 2000, markets: 5 });
    const marks = exactMarks(state, timestamp);
    let hedged = 0;
    let liquidatable = 0;
    for (const acc of Object.values(state.accounts)) {
      const sides = new Set(Object.values(acc.positions).map((p) => p.size > 0n));
      if (sides.size === 2) hedged++;
      if (exactIsLiquidatable(marks, acc)) liquidatable++;
      let mask = 0n;
      for (const k of Object.keys(acc.positions)) mask |= 1n << (BigInt(k) - 1n);
      expect(acc.openMarkets).toBe(mask);
    }
    expect(hedged).toBeGreaterThan(200);
    expect(liquidatable).toBeGreaterThan(0);
    expect(liquidatable).toBeLessThan(100);
  });

  it("derives extra markets from the small-cap templates", () => {
    const specs = syntheticMarketSpecs(8);
    expect(specs[5]!.symbol).toBe("ALT6");
    expect(specs[5]!.skewScale * specs[5]!.price).toBeCloseTo(
      specs[4]!.skewScale * specs[4]!.price, // market 6 follows the WIF template
      0,
    );
    expect(() => syntheticBook({ seed: 1, accounts: 10, positions: 5 })).toThrow(RangeError);
  });

  it("writes hand-made books out as given", () => {
    const { state } = handmadeBook([
      { collateral: 1000, legs: [{ market: 0, size: 0.1 }] },
      { collateral: 500, legs: [{ market: 1, size: -2, entry: 3000 }] },
    ]);
    expect(state.accounts["1"]!.positions["1"]!.size).toBe(10n ** 17n);
    expect(state.accounts["2"]!.positions["2"]!.lastPrice).toBe(3000n * 10n ** 18n);
    expect(state.accounts["2"]!.openMarkets).toBe(2n);
    expect(() => handmadeBook([{ collateral: 1, legs: [{ market: 9, size: 1 }] }])).toThrow(
      RangeError,
    );
  });
});
