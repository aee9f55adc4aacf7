import { describe, expect, test } from "vitest";
import { ALICE, market2, must, T0, usd } from "../test/fixtures.js";
import { ZERO_ADDRESS as ZERO } from "./exchangeState.js";
import {
  currentFundingRate,
  fundingIndex,
  getAccount,
  getAdlRecord,
  getFundingVelocity,
  getMarket,
  getPosition,
  marketCount,
} from "./views.js";

describe("views", () => {
  test("structs read as the contract returns them; unknown ids read as zero structs", () => {
    const s = market2({ traders: [ALICE], collateral: usd(5) });
    expect(getAccount(s, 1n)).toEqual({ owner: ALICE, collateral: usd(5), openMarkets: 0n });
    expect(getAccount(s, 2n)).toEqual({ owner: ZERO, collateral: 0n, openMarkets: 0n });
    expect(getPosition(s, 1n, 1n)).toEqual({ size: 0n, lastPrice: 0n, lastFundingIndex: 0n });
    expect(getAdlRecord(s, 7n, 1n, true)).toEqual({ size: 0n, debt: 0n });
    expect(getAdlRecord(s, 7n, 1n, false)).toEqual({ size: 0n, debt: 0n });
    expect(getMarket(s, 1n).symbol).toBe("BTC");
    expect(getMarket(s, 3n)).toMatchObject({
      symbol: "",
      params: { skewScale: 0n },
      state: { lastFundingTime: 0n },
    });
    expect(marketCount(s)).toBe(2n);
  });

  test("funding views move with the block time without any write", () => {
    let s = market2({ traders: [ALICE], collateral: usd(100_000) });
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(10) },
      ALICE,
      T0,
    ).state;
    expect(fundingIndex(s, 1n, T0)).toEqual({ ok: true, value: 0n });
    const later = fundingIndex(s, 1n, T0 + 86_400n);
    expect(later.ok && later.value < 0n).toBe(true); // longs pay
    expect(currentFundingRate(s, 1n, T0 + 86_400n)).toEqual({ ok: true, value: usd("0.009") });
    expect(getFundingVelocity(s, 1n)).toEqual({ ok: true, value: usd("0.009") });
  });

  test("funding views of a market that does not exist divide by its zero skewScale", () => {
    const s = market2();
    for (const r of [
      fundingIndex(s, 3n, T0),
      currentFundingRate(s, 3n, T0),
      getFundingVelocity(s, 0n),
    ]) {
      expect(r).toMatchObject({ ok: false, error: { name: "Panic", args: { code: 0x12n } } });
    }
  });
});
