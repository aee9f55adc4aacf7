import { describe, expect, test } from "vitest";
import {
  ALICE,
  BOB,
  CAROL,
  KEEPER,
  LIQUIDATOR,
  market2,
  must,
  prices,
  T0,
  usd,
} from "../test/fixtures.js";
import { adlRecordOf, autoDeleverage, rankAdlCounterparties } from "./adl.js";
import { accountHealth } from "./margin.js";
import type { Address, ExchangeState } from "./types.js";

const DAVE: Address = "0x00000000000000000000000000000000000000b4";
const ERIN: Address = "0x00000000000000000000000000000000000000b5";
const adl = (
  s: ExchangeState,
  marketId: bigint,
  counterparties: bigint[],
  t = T0,
  bankrupt = 1n,
  isLong = true,
) =>
  autoDeleverage(
    s,
    { bankruptAccountId: bankrupt, marketId, isLong, counterparties },
    { timestamp: t, sender: KEEPER },
  );

/** Opens account `id` for `who` with `collateral` and trades `size` in BTC, all at `t`. */
function newTrader(
  s: ExchangeState,
  who: Address,
  collateral: bigint,
  size: bigint,
  t = T0,
): ExchangeState {
  let x = must(s, { kind: "createAccount" }, who, t).state;
  const accountId = x.accountCount;
  x = must(x, { kind: "modifyCollateral", accountId, amountDelta: collateral }, who, t).state;
  return must(x, { kind: "modifyPosition", accountId, marketId: 1n, sizeDelta: size }, who, t)
    .state;
}

/**
 * ALICE (1) long 1 BTC goes bankrupt when BTC falls to $80,000; BOB (2) short 0.4 and CAROL
 * (3) short 0.6 are in profit; DAVE (4) is long 0.1 (same side as the bankrupt account).
 */
function bankruptBook(): { s: ExchangeState; debt: bigint } {
  let s = market2({ traders: [ALICE, BOB, CAROL, DAVE], collateral: usd(10_000) });
  const open = (id: bigint, who: Address, size: bigint) => {
    s = must(
      s,
      { kind: "modifyPosition", accountId: id, marketId: 1n, sizeDelta: size },
      who,
      T0,
    ).state;
  };
  open(1n, ALICE, usd(1));
  open(2n, BOB, -usd("0.4"));
  open(3n, CAROL, -usd("0.6"));
  open(4n, DAVE, usd("0.1"));
  s = prices(s, T0, usd(80_000), usd(3_400));
  const r = must(s, { kind: "liquidate", accountId: 1n }, LIQUIDATOR, T0);
  const ev = r.events.find((e) => e.name === "AccountLiquidated");
  if (ev?.name !== "AccountLiquidated" || ev.args.badDebt <= 0n)
    throw new Error("expected bad debt");
  return { s: r.state, debt: ev.args.badDebt };
}

describe("adl", () => {
  test("the bankrupt account's record: its closed size and the whole debt (one market)", () => {
    const { s, debt } = bankruptBook();
    expect(adlRecordOf(s.accounts["1"], 1n, true)).toEqual({ size: usd(1), debt });
    expect(adlRecordOf(s.accounts["1"], 1n, false)).toEqual({ size: 0n, debt: 0n });
    expect(s.markets[0]!.state.badDebt).toBe(debt);
  });

  test("pro rata: a partial counterparty absorbs debt·q/|size|, the last slice the remainder", () => {
    const { s, debt } = bankruptBook();
    const r1 = adl(s, 1n, [2n]);
    expect(r1.ok).toBe(true);
    if (!r1.ok) return;
    const loss1 = (debt * usd("0.4")) / usd(1);
    const bankruptcyPrice = usd(80_000) + (debt * 10n ** 18n) / usd(1);
    expect(r1.events.map((e) => e.name)).toEqual([
      "PositionModified",
      "PositionAutoDeleveraged",
      "BadDebtRecorded",
      "FundingUpdated",
    ]);
    expect(r1.events[1]!.args).toEqual({
      bankruptAccountId: 1n,
      counterpartyAccountId: 2n,
      marketId: 1n,
      sizeDelta: usd("0.4"),
      bankruptcyPrice,
      lossAbsorbed: loss1,
      isLong: true,
    });
    expect(r1.events[0]!.args).toMatchObject({
      kind: 2,
      newSize: 0n,
      fillPrice: bankruptcyPrice,
      fee: 0n,
    });
    expect(adlRecordOf(r1.state.accounts["1"], 1n, true)).toEqual({
      size: usd("0.6"),
      debt: debt - loss1,
    });
    // BOB realized his profit at the oracle and paid his share of the debt
    const bobBefore = accountHealth(s, 2n, T0);
    expect(bobBefore.ok && r1.state.accounts["2"]!.collateral).toBe(
      bobBefore.ok ? bobBefore.value.equity - loss1 : 0n,
    );

    const r2 = adl(r1.state, 1n, [3n]);
    expect(r2.ok).toBe(true);
    if (!r2.ok) return;
    expect(r2.events[1]!.args).toMatchObject({ lossAbsorbed: debt - loss1 });
    expect(r2.state.accounts["1"]!.adlRecords).toEqual({});
    expect(r2.state.markets[0]!.state.badDebt).toBe(0n);
    // only DAVE's 0.1 long is left in the market
    expect(r2.state.markets[0]!.state).toMatchObject({ skew: usd("0.1"), sizeShort: 0n });
  });

  test("one call can walk several counterparties and stops once the record is closed", () => {
    const { s } = bankruptBook();
    const r = adl(s, 1n, [3n, 2n, 4n]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // CAROL's 0.6 then BOB's 0.4 close the record; DAVE (same side) is never looked at
    expect(r.events.filter((e) => e.name === "PositionAutoDeleveraged")).toHaveLength(2);
    expect(r.state.accounts["1"]!.adlRecords).toEqual({});
  });

  test("reverts in order: market, pending debt, fresh price, then each counterparty", () => {
    const { s } = bankruptBook();
    expect(adl(s, 9n, [2n])).toMatchObject({ ok: false, error: { name: "MarketNotFound" } });
    expect(adl(s, 2n, [2n])).toMatchObject({
      ok: false,
      error: { name: "NoPendingBadDebt", args: { accountId: 1n, marketId: 2n, isLong: true } },
    });
    // the record is on the long side: nothing is pending on the short side of BTC
    expect(adl(s, 1n, [2n], T0, 1n, false)).toMatchObject({
      ok: false,
      error: { name: "NoPendingBadDebt", args: { accountId: 1n, marketId: 1n, isLong: false } },
    });
    expect(adl(s, 1n, [2n], T0 + 61n)).toMatchObject({ ok: false, error: { name: "StalePrice" } });
    expect(adl(s, 1n, [9n])).toMatchObject({
      ok: false,
      error: { name: "AccountNotFound", args: { accountId: 9n } },
    });
    expect(adl(s, 1n, [1n])).toMatchObject({
      ok: false,
      error: { name: "NotOppositeSide", args: { accountId: 1n } },
    });
    expect(adl(s, 1n, [4n])).toMatchObject({
      ok: false,
      error: { name: "NotOppositeSide", args: { accountId: 4n } },
    });
    // a short opened after the crash loses when the price recovers a little
    let t = must(s, { kind: "createAccount" }, DAVE, T0).state;
    t = must(
      t,
      { kind: "modifyCollateral", accountId: 5n, amountDelta: usd(10_000) },
      DAVE,
      T0,
    ).state;
    t = must(
      t,
      { kind: "modifyPosition", accountId: 5n, marketId: 1n, sizeDelta: -usd("0.1") },
      DAVE,
      T0,
    ).state;
    t = prices(t, T0 + 1n, usd(81_000), usd(3_400));
    expect(adl(t, 1n, [5n], T0 + 1n)).toMatchObject({
      ok: false,
      error: { name: "NotInProfit", args: { accountId: 5n } },
    });
    // an empty list succeeds and changes nothing but the checkpoint
    const empty = adl(s, 1n, []);
    expect(empty.ok && empty.events.map((e) => e.name)).toEqual([
      "BadDebtRecorded",
      "FundingUpdated",
    ]);
  });

  test("ranking: opposite side and in profit only, highest profit × leverage first", () => {
    const { s } = bankruptBook();
    const r = rankAdlCounterparties(s, 1n, 1n, true, T0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((c) => c.accountId)).toEqual([3n, 2n]); // CAROL holds more per dollar of equity
    expect(r.value.every((c) => c.pnl > 0n && c.size < 0n)).toBe(true);
    expect(rankAdlCounterparties(s, 1n, 2n, true, T0)).toEqual({ ok: true, value: [] });
  });

  /**
   * An account that goes bankrupt long and then short in the same market keeps one record per
   * side: the sizes never net, so each record still has a size to close and each debt is
   * absorbed by counterparties on its own opposite side.
   */
  test("opposite-side bankruptcies in one market keep one record per side, and both are absorbed", () => {
    const book = bankruptBook();
    const debtLong = book.debt;
    let s = book.s;
    s = must(
      s,
      { kind: "modifyCollateral", accountId: 1n, amountDelta: usd(2_000) },
      ALICE,
      T0,
    ).state;
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: -usd(1) },
      ALICE,
      T0,
    ).state;
    s = newTrader(s, ERIN, usd(20_000), usd(2)); // ERIN (5) long 2 BTC at $80,000
    s = prices(s, T0, usd(90_000), usd(3_400));
    const r = must(s, { kind: "liquidate", accountId: 1n }, LIQUIDATOR, T0);
    const ev = r.events.find((e) => e.name === "AccountLiquidated");
    if (ev?.name !== "AccountLiquidated") throw new Error("expected a liquidation");
    expect(ev.args.badDebt > 0n).toBe(true);
    const debtShort = ev.args.badDebt;
    expect(adlRecordOf(r.state.accounts["1"], 1n, true)).toEqual({ size: usd(1), debt: debtLong });
    expect(adlRecordOf(r.state.accounts["1"], 1n, false)).toEqual({
      size: -usd(1),
      debt: debtShort,
    });
    expect(r.state.markets[0]!.state.badDebt).toBe(debtLong + debtShort);
    expect(r.events.find((e) => e.name === "BadDebtRecorded")?.args).toMatchObject({
      recordSize: -usd(1),
      recordDebt: debtShort,
      isLong: false,
    });

    // the short record is absorbed by a long in profit; shorts are on the wrong side for it
    expect(adl(r.state, 1n, [2n], T0, 1n, false)).toMatchObject({
      ok: false,
      error: { name: "NotOppositeSide", args: { accountId: 2n } },
    });
    const short = adl(r.state, 1n, [5n], T0, 1n, false);
    expect(short.ok).toBe(true);
    if (!short.ok) return;
    expect(short.events[1]!.args).toMatchObject({ sizeDelta: -usd(1), lossAbsorbed: debtShort });
    expect(adlRecordOf(short.state.accounts["1"], 1n, false)).toEqual({ size: 0n, debt: 0n });
    expect(short.state.markets[0]!.state.badDebt).toBe(debtLong);
    // and the long record by shorts in profit (BOB and CAROL shorted at $95,000)
    const long = adl(short.state, 1n, [3n, 2n]);
    expect(long.ok).toBe(true);
    if (!long.ok) return;
    expect(long.state.accounts["1"]!.adlRecords).toEqual({});
    expect(long.state.markets[0]!.state.badDebt).toBe(0n);
  });

  /**
   * ADL never charges a counterparty more than its profit. One whose profit is smaller than
   * its share pays all of its profit and closes only the size that profit pays for at the
   * bankruptcy price; the rest of the debt stays on the record for the next one named.
   */
  test("a counterparty with a small profit is charged its profit only; the rest goes to the next", () => {
    const { s: s0, debt } = bankruptBook();
    // ERIN (5) shorts 1 BTC after the crash; a $300 drop leaves her a profit far below the debt
    let s = newTrader(s0, ERIN, usd(20_000), -usd(1));
    s = prices(s, T0 + 1n, usd(79_700), usd(3_400));
    const ranked = rankAdlCounterparties(s, 1n, 1n, true, T0 + 1n);
    const erin = ranked.ok ? ranked.value.find((c) => c.accountId === 5n) : undefined;
    if (!erin) throw new Error("expected ERIN to be a candidate");
    expect(erin.pnl > 0n && erin.pnl < debt).toBe(true);
    const before = s.accounts["5"]!.collateral;

    const r = adl(s, 1n, [5n, 3n, 2n], T0 + 1n);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const fills = r.events.filter((e) => e.name === "PositionAutoDeleveraged");
    expect(fills.map((e) => e.args.counterpartyAccountId)).toEqual([5n, 3n, 2n]);
    const closed = (erin.pnl * usd(1)) / debt;
    expect(fills[0]!.args).toMatchObject({ sizeDelta: closed, lossAbsorbed: erin.pnl });
    // ERIN realized her profit and paid all of it: her collateral is unchanged
    expect(r.state.accounts["5"]!.collateral).toBe(before);
    expect(r.state.accounts["5"]!.positions["1"]!.size).toBe(-usd(1) + closed);
    // CAROL and BOB carry the rest pro rata, and the record closes exactly
    const rest = debt - erin.pnl;
    const carol = (rest * usd("0.6")) / (usd(1) - closed);
    expect(fills[1]!.args).toMatchObject({ sizeDelta: usd("0.6"), lossAbsorbed: carol });
    expect(fills[2]!.args.lossAbsorbed).toBe(rest - carol);
    expect(fills[2]!.args.sizeDelta).toBe(usd(1) - closed - usd("0.6"));
    expect(r.state.accounts["1"]!.adlRecords).toEqual({});
    expect(r.state.markets[0]!.state.badDebt).toBe(0n);
  });

  test("a counterparty whose profit covers its share pays the share, not its whole profit", () => {
    const { s, debt } = bankruptBook();
    const r = adl(s, 1n, [3n]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ranked = rankAdlCounterparties(s, 1n, 1n, true, T0);
    const carol = ranked.ok ? ranked.value.find((c) => c.accountId === 3n) : undefined;
    const share = (debt * usd("0.6")) / usd(1);
    expect(carol && carol.pnl > share).toBe(true);
    expect(r.events[1]!.args).toMatchObject({ sizeDelta: usd("0.6"), lossAbsorbed: share });
  });
});
