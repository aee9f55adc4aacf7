import { describe, expect, test } from "vitest";
import { ALICE, BOB, market2, must, OWNER, T0, usd } from "./fixtures.js";

describe("testFixtures", () => {
  test("usd scales decimals exactly", () => {
    expect(usd("0.0005")).toBe(500_000_000_000_000n);
    expect(usd(95_000)).toBe(95_000n * 10n ** 18n);
  });

  test("market2 builds two priced markets and funded accounts through the engine", () => {
    const s = market2({ traders: [ALICE, BOB], collateral: usd(10_000), insurance: usd(100) });
    expect(s.markets.map((m) => m.symbol)).toEqual(["BTC", "ETH"]);
    expect(s.accountCount).toBe(2n);
    expect(s.accounts["2"]?.collateral).toBe(usd(10_000));
    expect(s.insuranceFund).toBe(usd(100));
    expect(s.oracle.prices["1"]).toEqual({ price: usd(95_000), publishTime: T0 });
  });

  test("must throws on a revert", () => {
    const s = market2();
    expect(() => must(s, { kind: "setMaxPriceAge", maxPriceAge: 1n }, ALICE, T0)).toThrow(
      /NotOwner/,
    );
    expect(must(s, { kind: "setMaxPriceAge", maxPriceAge: 1n }, OWNER, T0).state.maxPriceAge).toBe(
      1n,
    );
  });
});
