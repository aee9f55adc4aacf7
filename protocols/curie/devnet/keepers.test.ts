import { describe, expect, it } from "vitest";
import type { AccountState } from "./chainState.js";
import { badDebtAccounts, liquidationTargets } from "./keepers.js";

const e18 = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
const account = (value: number, margin: number, sizes: number[]): AccountState => ({
  value,
  marginForLiquidation: margin,
  sizes: sizes.map(e18),
});

describe("keeper targets", () => {
  it("liquidates the largest position of each liquidatable account", () => {
    const accounts = [
      account(100, 200, [1, -0.01]), // liquidatable, ETH is the larger
      account(500, 200, [1, 0]), // healthy
      account(100, 200, [0.01, 1]), // liquidatable, BTC is the larger
    ];
    expect(liquidationTargets(accounts, [3000, 60000], 1e6)).toEqual([
      { account: 0, market: 0, size: 0n },
      { account: 2, market: 1, size: 0n },
    ]);
  });

  it("takes only what keeps the value above zero when the insurance fund could not cover the rest", () => {
    // 10 ETH (30,000) with 300 of value, margin ratio 1 %: the contract would take it all,
    // with a 750 penalty and 450 of bad debt; the fund holds 100.
    const [t] = liquidationTargets([account(300, 1875, [10])], [3000], 100);
    expect(t!.size).toBe(e18(3.6)); // penalty 0.025 × 3.6 × 3000 = 270 = 90 % of 300
    expect(liquidationTargets([account(300, 1875, [10])], [3000], 1000)[0]!.size).toBe(0n);
    expect(liquidationTargets([account(-50, 1875, [10])], [3000], 100)).toEqual([]);
  });

  it("settles bad debt only of accounts with no position left", () => {
    expect(
      badDebtAccounts([account(-10, 0, [0, 0]), account(-10, 5, [1, 0]), account(5, 0, [0, 0])]),
    ).toEqual([0]);
  });
});
