import { describe, expect, test } from "vitest";
import { ALICE, EXCHANGE, market2, must, T0, usd } from "../test/fixtures.js";
import { modifyCollateral } from "./collateral.js";
import { INT256_MIN } from "./fixedPoint.js";
import { MAX_PARAM } from "./market.js";
import type { ExchangeState } from "./types.js";

const withdraw = (s: ExchangeState, amount: bigint, t = T0) =>
  modifyCollateral(s, { accountId: 1n, amountDelta: -amount }, { timestamp: t, sender: ALICE });

describe("collateral", () => {
  test("deposit and withdraw move tokens and emit the new collateral", () => {
    const s = market2({ traders: [ALICE] });
    const r = modifyCollateral(
      s,
      { accountId: 1n, amountDelta: usd(100) },
      { timestamp: T0, sender: ALICE },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.tokenBalance).toBe(s.tokenBalance + usd(100));
    expect(r.events).toEqual([
      {
        name: "CollateralModified",
        args: { accountId: 1n, amountDelta: usd(100), newCollateral: usd(100), sender: ALICE },
      },
    ]);
    const w = withdraw(r.state, usd(100));
    expect(w.ok && w.state.accounts["1"]!.collateral).toBe(0n);
    expect(w.ok && w.state.tokenBalance).toBe(s.tokenBalance);
  });

  test("reverts: zero, too large, more than the collateral, int256.min", () => {
    const s = market2({ traders: [ALICE], collateral: usd(10) });
    const ctx = { timestamp: T0, sender: ALICE };
    expect(modifyCollateral(s, { accountId: 1n, amountDelta: 0n }, ctx)).toMatchObject({
      error: { name: "ZeroAmount" },
    });
    expect(modifyCollateral(s, { accountId: 1n, amountDelta: MAX_PARAM + 1n }, ctx)).toMatchObject({
      error: { name: "AmountTooLarge" },
    });
    expect(withdraw(s, usd(10) + 1n)).toMatchObject({
      error: {
        name: "InsufficientCollateral",
        args: { collateral: usd(10), amount: usd(10) + 1n },
      },
    });
    expect(modifyCollateral(s, { accountId: 1n, amountDelta: INT256_MIN }, ctx)).toMatchObject({
      error: { name: "Panic", args: { code: 0x11n } },
    });
  });

  test("with positions: equity − amount ≥ IM at fresh prices, exact to the wei", () => {
    let s = market2({ traders: [ALICE], collateral: usd(10_000) });
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(1) },
      ALICE,
      T0,
    ).state;
    // equity 9,947.747625, IM 1,959.5: at most 7,988.247625 can leave
    expect(withdraw(s, usd("7988.247625")).ok).toBe(true);
    expect(withdraw(s, usd("7988.247625") + 1n)).toMatchObject({
      error: {
        name: "InsufficientMargin",
        args: { equity: usd("1959.5") - 1n, initialMargin: usd("1959.5") },
      },
    });
    expect(withdraw(s, usd(1), T0 + 61n)).toMatchObject({ error: { name: "StalePrice" } });
  });

  test("the token reverts when the exchange cannot pay", () => {
    const s = { ...market2({ traders: [ALICE], collateral: usd(10) }), tokenBalance: usd(4) };
    expect(withdraw(s, usd(5))).toMatchObject({
      ok: false,
      error: {
        name: "InsufficientBalance",
        args: { account: EXCHANGE, balance: usd(4), needed: usd(5) },
      },
    });
  });
});
