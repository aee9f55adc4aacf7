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

  test("a reducing trade skips the margin check, and with it every other market's price", () => {
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
    // only BTC is refreshed; ETH's price goes stale
    s = must(s, { kind: "setPrice", marketId: 1n, price: usd(95_000) }, KEEPER, T0 + 100n).state;
    expect(trade(s, -usd("0.05"), T0 + 100n).ok).toBe(true);
    expect(trade(s, usd("0.05"), T0 + 100n)).toMatchObject({
      ok: false,
      error: { name: "StalePrice", args: { marketId: 2n } },
    });
  });

  /**
   * Contract behaviour (reported as a bug): a reducing trade skips every check, so an account
   * whose equity is already negative can close its own position. The loss lands in its
   * collateral (negative), the account has no position left, and `liquidate` answers
   * `NotLiquidatable(collateral, 0)`: the shortfall never reaches the insurance fund, never
   * becomes bad debt and cannot be ADL'd — and the fund even books the closing fee.
   */
  test("contract behaviour: an underwater account can close itself and strand its loss outside bad debt", () => {
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
    const fund = s.insuranceFund;
    const closed = trade(s, -usd(1), T0 + 1n);
    expect(closed.ok).toBe(true);
    if (!closed.ok) return;
    const a = closed.state.accounts["1"]!;
    expect(a.collateral < 0n).toBe(true);
    expect(a.openMarkets).toBe(0n);
    expect(closed.state.insuranceFund > fund).toBe(true);
    expect(closed.state.markets[0]!.state.badDebt).toBe(0n);
    const r = applyOperation(
      closed.state,
      { kind: "liquidate", accountId: 1n },
      { timestamp: T0 + 1n, sender: BOB },
    );
    expect(r).toMatchObject({
      ok: false,
      error: { name: "NotLiquidatable", args: { equity: a.collateral, maintenanceMargin: 0n } },
    });
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
