import { describe, expect, test } from "vitest";
import { ALICE, BOB, KEEPER, market2, must, prices, T0, usd } from "../test/fixtures.js";
import { INT256_MIN } from "./fixedPoint.js";
import { accountHealth } from "./margin.js";
import { applyOperation } from "./operations.js";
import { isReducing, modifyPosition } from "./trade.js";
import type { ExchangeState } from "./types.js";

const funded = () => market2({ traders: [ALICE, BOB], collateral: usd(10_000) });
const trade = (
  s: ExchangeState,
  sizeDelta: bigint,
  t = T0,
  marketId = 1n,
  sender = ALICE,
  accountId = 1n,
) => modifyPosition(s, { accountId, marketId, sizeDelta }, { timestamp: t, sender });

describe("trade", () => {
  test("opening: fill with premium, fee to the fund, events in the contract's order", () => {
    const r = trade(funded(), usd(1));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.accounts["1"]).toMatchObject({
      collateral: usd("9952.497625"),
      openMarkets: 1n,
      positions: { "1": { size: usd(1), lastPrice: usd("95004.75"), lastFundingIndex: 0n } },
    });
    expect(r.state.insuranceFund).toBe(usd("47.502375"));
    expect(r.state.markets[0]!.state).toMatchObject({
      skew: usd(1),
      sizeLong: usd(1),
      sizeShort: 0n,
    });
    expect(r.events.map((e) => e.name)).toEqual([
      "PositionModified",
      "InsuranceFundUpdated",
      "FundingUpdated",
    ]);
    expect(r.events[0]!.args).toEqual({
      accountId: 1n,
      marketId: 1n,
      kind: 0,
      sizeDelta: usd(1),
      newSize: usd(1),
      fillPrice: usd("95004.75"),
      realizedPnl: 0n,
      realizedFunding: 0n,
      fee: usd("47.502375"),
      newCollateral: usd("9952.497625"),
    });
  });

  test("the whole position is realized at the fill on every trade", () => {
    let s = must(
      funded(),
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(1) },
      ALICE,
      T0,
    ).state;
    s = prices(s, T0 + 10n, usd(100_000), usd(3_400));
    const r = trade(s, -usd("0.5"), T0 + 10n);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ev = r.events[0]!;
    expect(ev.name).toBe("PositionModified");
    if (ev.name !== "PositionModified") return;
    // skew 1 → 0.5 at 100,000: fill = (100,010 + 100,005)/2 = 100,007.5; PnL of the whole 1 BTC
    expect(ev.args.fillPrice).toBe(usd("100007.5"));
    expect(ev.args.realizedPnl).toBe(usd("100007.5") - usd("95004.75"));
    expect(r.state.accounts["1"]!.positions["1"]).toMatchObject({
      size: usd("0.5"),
      lastPrice: usd("100007.5"),
    });
  });

  test("check order: owner, zero size, market, price, then the fill", () => {
    const s = funded();
    expect(trade(s, 0n, T0, 9n, BOB)).toMatchObject({
      ok: false,
      error: { name: "NotAccountOwner" },
    });
    expect(trade(s, 0n, T0, 9n)).toMatchObject({ ok: false, error: { name: "ZeroSizeDelta" } });
    expect(trade(s, usd(1), T0, 9n)).toMatchObject({
      ok: false,
      error: { name: "MarketNotFound", args: { marketId: 9n } },
    });
    expect(trade(s, usd(1), T0 + 61n)).toMatchObject({
      ok: false,
      error: { name: "StalePrice", args: { marketId: 1n, publishTime: T0 } },
    });
    expect(trade(s, -usd(30_000))).toMatchObject({
      ok: false,
      error: { name: "InvalidFillPrice" },
    });
    expect(trade(s, INT256_MIN)).toMatchObject({
      ok: false,
      error: { name: "Panic", args: { code: 0x11n } },
    });
    expect(trade(s, 10n ** 60n)).toMatchObject({
      ok: false,
      error: { name: "Panic", args: { code: 0x11n } },
    });
  });

  test("the open-interest cap is checked before the margin", () => {
    const r = trade(funded(), usd(4_001));
    expect(r).toMatchObject({
      ok: false,
      error: { name: "MaxOpenInterestExceeded", args: { sizeLong: usd(4_001) } },
    });
  });

  test("the margin boundary is exact to the wei: the largest accepted size, and one wei more", () => {
    const s = funded();
    let lo = 0n;
    let hi = usd(10);
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (trade(s, mid).ok) lo = mid;
      else hi = mid;
    }
    const ok = trade(s, lo);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    const h = accountHealth(ok.state, 1n, T0);
    expect(h.ok && h.value.equity >= h.value.initialMargin).toBe(true);
    const over = trade(s, lo + 1n);
    expect(over).toMatchObject({ ok: false, error: { name: "InsufficientMargin" } });
    if (!over.ok && over.error.name === "InsufficientMargin") {
      expect(over.error.args.equity < over.error.args.initialMargin).toBe(true);
    }
  });

  test("a reducing trade needs equity ≥ 0 only, but at fresh prices in every open market", () => {
    let s = funded();
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd("0.1") },
      ALICE,
      T0,
    ).state;
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 2n, sizeDelta: usd(1) },
      ALICE,
      T0,
    ).state;
    // a reduction far below the initial margin is still accepted while equity stays ≥ 0
    s = must(s, { kind: "setPrice", marketId: 1n, price: usd(95_000) }, KEEPER, T0 + 1n).state;
    expect(trade(s, -usd("0.05"), T0 + 1n).ok).toBe(true);
    // only BTC is refreshed; ETH's price goes stale: reducing and increasing both revert
    s = must(s, { kind: "setPrice", marketId: 1n, price: usd(95_000) }, KEEPER, T0 + 100n).state;
    for (const sizeDelta of [-usd("0.05"), usd("0.05")]) {
      expect(trade(s, sizeDelta, T0 + 100n)).toMatchObject({
        ok: false,
        error: { name: "StalePrice", args: { marketId: 2n } },
      });
    }
  });

  /**
   * An underwater account (equity < 0) cannot close or reduce its own position: that would
   * leave negative collateral on a flat account, which `liquidate` cannot reach, so the loss
   * would skip the insurance fund, bad debt and ADL. The trade reverts with the equity it
   * would leave and the 0 it needs; the account is liquidated and the loss goes through the
   * waterfall instead.
   */
  test("an underwater account cannot close itself: the reducing trade reverts and liquidation takes the loss", () => {
    let s = market2({ traders: [ALICE], collateral: usd(2_500) });
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(1) },
      ALICE,
      T0,
    ).state;
    s = prices(s, T0 + 1n, usd(80_000), usd(3_400));
    const h = accountHealth(s, 1n, T0 + 1n);
    expect(h.ok && h.value.equity < 0n).toBe(true);
    for (const sizeDelta of [-usd(1), -usd("0.5"), -1n]) {
      const r = trade(s, sizeDelta, T0 + 1n);
      expect(r).toMatchObject({ ok: false, error: { name: "InsufficientMargin" } });
      if (!r.ok && r.error.name === "InsufficientMargin") {
        expect(r.error.args.equity < 0n).toBe(true);
        expect(r.error.args.initialMargin).toBe(0n);
      }
    }
    const fund = s.insuranceFund;
    const r = applyOperation(
      s,
      { kind: "liquidate", accountId: 1n },
      { timestamp: T0 + 1n, sender: BOB },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ev = r.events.find((e) => e.name === "AccountLiquidated");
    if (ev?.name !== "AccountLiquidated") throw new Error("expected AccountLiquidated");
    // the whole shortfall is accounted for: the fund covered what it held, the rest is bad debt
    expect(ev.args.insuranceCovered).toBe(fund);
    expect(ev.args.insuranceCovered + ev.args.badDebt).toBe(ev.args.keeperReward - ev.args.equity);
    expect(r.state.markets[0]!.state.badDebt).toBe(ev.args.badDebt);
    expect(r.state.accounts["1"]).toMatchObject({ collateral: 0n, openMarkets: 0n });
  });

  test("a reducing trade that would cross below zero equity reverts; one that stays above passes", () => {
    let s = market2({ traders: [ALICE], collateral: usd(2_500) });
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(1) },
      ALICE,
      T0,
    ).state;
    // find the price at which equity is about the closing fee: the close pays the fee and fails
    let lo = usd(80_000);
    let hi = usd(95_000);
    const closes = (p: bigint) => trade(prices(s, T0 + 1n, p, usd(3_400)), -usd(1), T0 + 1n).ok;
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (closes(mid)) hi = mid;
      else lo = mid;
    }
    const at = prices(s, T0 + 1n, hi, usd(3_400));
    const ok = trade(at, -usd(1), T0 + 1n);
    expect(ok.ok && ok.state.accounts["1"]!.collateral >= 0n).toBe(true);
    const below = trade(prices(s, T0 + 1n, lo, usd(3_400)), -usd(1), T0 + 1n);
    expect(below).toMatchObject({ ok: false, error: { name: "InsufficientMargin" } });
    if (!below.ok && below.error.name === "InsufficientMargin") {
      expect(below.error.args.equity).toBe(-1n);
    }
  });

  test("isReducing", () => {
    expect(isReducing(5n, 0n)).toBe(true);
    expect(isReducing(5n, 3n)).toBe(true);
    expect(isReducing(-5n, -3n)).toBe(true);
    expect(isReducing(5n, 6n)).toBe(false);
    expect(isReducing(5n, -1n)).toBe(false);
    expect(isReducing(0n, 1n)).toBe(false);
    expect(isReducing(-5n, -6n)).toBe(false);
  });
});
