import { describe, expect, it } from "vitest";
import type { AccountState } from "./chainState.js";
import { AccountWatch } from "./watch.js";

const e18 = (x: number) => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
const account = (value: number, margin: number, sizes: number[]): AccountState => ({
  value,
  marginForLiquidation: margin,
  sizes: sizes.map(e18),
});

describe("the liquidation keeper's watch list", () => {
  it("reads new, touched, near-liquidation and in-turn accounts, and skips the rest", () => {
    const w = new AccountWatch();
    const marks = [3000];
    expect(w.toRead([1, 2, 3], 5, marks)).toEqual([1, 2, 3]);
    // 1: 10 ETH long with 4,000 of value (margin ratio ~13 %); 2: the same at 2,600 (~8.7 %).
    w.record(
      [1, 2, 3],
      [account(4000, 1875, [10]), account(2600, 1875, [10]), account(50_000, 0, [0])],
      marks,
    );
    expect(w.toRead([1, 2, 3], 5, marks)).toEqual([2]);
    // ETH falls 100: account 1 loses 1,000 and is now near.
    expect(w.toRead([1, 2, 3], 5, [2900])).toEqual([1, 2]);
    w.touch(3);
    expect(w.toRead([1, 2, 3], 5, marks)).toEqual([2, 3]);
    expect(w.toRead([1, 2, 3], 11, marks)).toEqual([1, 2, 3]);
  });
});
