import { describe, expect, test } from "vitest";
import { ALICE, market2, T0, usd } from "../test/fixtures.js";
import type { Revert } from "./errors.js";
import { Draft } from "./exchangeState.js";
import { moveOpenInterest, openMarketIds, positionOf, setPosition } from "./position.js";

describe("position", () => {
  test("setPosition keeps the positions map and the open-market bitmap in step", () => {
    const s = market2({ traders: [ALICE] });
    const d = new Draft(s, { timestamp: T0, sender: ALICE });
    let a = setPosition(d, d.account(1n)!, 2n, usd(3), usd(10), 7n);
    expect(a.openMarkets).toBe(0b10n);
    a = setPosition(d, a, 1n, -usd(1), usd(10), 7n);
    expect(a.openMarkets).toBe(0b11n);
    expect(openMarketIds(a)).toEqual([1n, 2n]);
    expect(positionOf(a, 2n)).toEqual({ size: usd(3), lastPrice: usd(10), lastFundingIndex: 7n });
    a = setPosition(d, a, 2n, 0n, 0n, 0n);
    expect(a.openMarkets).toBe(0b01n);
    expect(positionOf(a, 2n)).toEqual({ size: 0n, lastPrice: 0n, lastFundingIndex: 0n });
    expect(d.account(1n)).toBe(a);
  });

  test("moveOpenInterest: skew and sides; the cap binds only a side that grows", () => {
    const s = market2();
    const d = new Draft(s, { timestamp: T0, sender: ALICE });
    const cap = s.markets[0]!.params.maxOpenInterest; // 4,000
    let m = moveOpenInterest(d, s.markets[0]!, 0n, cap, true);
    expect(m.state).toMatchObject({ sizeLong: cap, sizeShort: 0n, skew: cap });
    try {
      moveOpenInterest(d, m, 0n, 1n, true);
      expect.unreachable();
    } catch (e) {
      expect((e as Revert).error).toMatchObject({
        name: "MaxOpenInterestExceeded",
        args: { marketId: 1n, sizeLong: cap + 1n, sizeShort: 0n },
      });
    }
    // flipping a long into a short: the long side shrinks, the short side grows within the cap
    m = moveOpenInterest(d, m, usd(10), -usd(5), true);
    expect(m.state).toMatchObject({
      sizeLong: cap - usd(10),
      sizeShort: usd(5),
      skew: cap - usd(15),
    });
    // liquidations and ADL do not enforce the cap
    m = moveOpenInterest(d, m, 0n, usd(1), false);
    expect(m.state.sizeLong).toBe(cap - usd(9));
  });
});
