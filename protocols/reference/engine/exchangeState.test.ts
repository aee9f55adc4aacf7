import { describe, expect, test } from "vitest";
import { ALICE, BOB, EXCHANGE, market2, OWNER, T0, usd } from "../test/fixtures.js";
import { errors, revert } from "./errors.js";
import {
  checkContext,
  Draft,
  deployedState,
  readView,
  receiveTokens,
  transact,
  ZERO_ADDRESS,
} from "./exchangeState.js";

describe("exchangeState", () => {
  test("deployedState mirrors the two constructors, with their events", () => {
    const { state, events } = deployedState({
      address: "0x00000000000000000000000000000000000000E0",
      owner: "0x00000000000000000000000000000000000000AA",
      maxPriceAge: 60n,
    });
    expect(state.address).toBe(EXCHANGE);
    expect(state.owner).toBe("0x00000000000000000000000000000000000000aa");
    expect(state.oracle.updaters).toEqual({ "0x00000000000000000000000000000000000000aa": true });
    expect(state.markets).toEqual([]);
    expect(events.map((e) => e.name)).toEqual(["UpdaterSet", "MaxPriceAgeSet"]);
  });

  test("a draft reads its own writes and commits sharing what it did not touch", () => {
    const s = market2({ traders: [ALICE, BOB], collateral: usd(1) });
    const d = new Draft(s, { timestamp: T0, sender: ALICE });
    const a = d.account(1n)!;
    d.putAccount({ ...a, collateral: 5n });
    expect(d.account(1n)?.collateral).toBe(5n);
    expect(s.accounts["1"]?.collateral).toBe(usd(1));
    const next = d.commit();
    expect(next.accounts["1"]?.collateral).toBe(5n);
    expect(next.accounts["2"]).toBe(s.accounts["2"]);
    expect(next.markets).toBe(s.markets);
    expect(next.oracle).toBe(s.oracle);
  });

  test("market and price overlays", () => {
    const s = market2();
    const d = new Draft(s, { timestamp: T0, sender: ALICE });
    expect(d.market(0n)).toBeUndefined();
    expect(d.market(3n)).toBeUndefined();
    d.putMarket({ ...d.market(1n)!, symbol: "XBT" });
    d.putPrice(7n, { price: 1n, publishTime: T0 });
    expect(d.price(7n)).toEqual({ price: 1n, publishTime: T0 });
    expect(d.price(8n)).toEqual({ price: 0n, publishTime: 0n });
    const next = d.commit();
    expect(next.markets[0]?.symbol).toBe("XBT");
    expect(s.markets[0]?.symbol).toBe("BTC");
    expect(next.oracle.prices["7"]?.price).toBe(1n);
  });

  test("transact: a revert leaves nothing behind and comes back typed", () => {
    const s = market2();
    const r = transact(s, { timestamp: T0, sender: OWNER }, (d) => {
      d.insuranceFund = 99n;
      revert(errors.zeroAmount());
    });
    expect(r).toEqual({ ok: false, error: errors.zeroAmount() });
    expect(s.insuranceFund).toBe(0n);
  });

  test("transact rethrows anything that is not a revert (an engine bug must be loud)", () => {
    expect(() =>
      transact(market2(), { timestamp: T0, sender: OWNER }, () => {
        throw new TypeError("bug");
      }),
    ).toThrow(TypeError);
  });

  test("contexts are validated and senders lowercased", () => {
    expect(
      checkContext({ timestamp: 1n, sender: "0x00000000000000000000000000000000000000AB" }),
    ).toEqual({
      timestamp: 1n,
      sender: "0x00000000000000000000000000000000000000ab",
    });
    expect(checkContext({ timestamp: 1, sender: ALICE })).toMatchObject({
      error: { name: "InvalidInput" },
    });
    expect(checkContext({ timestamp: 1n, sender: "alice" })).toMatchObject({
      error: { name: "InvalidInput" },
    });
    expect(checkContext(null)).toMatchObject({ error: { name: "InvalidInput" } });
  });

  test("readView evaluates at a block time with no sender", () => {
    const r = readView(market2(), T0 + 5n, (d) => [d.now, d.sender]);
    expect(r).toEqual({ ok: true, value: [T0 + 5n, ZERO_ADDRESS] });
    expect(readView(market2(), -1n, () => 0)).toMatchObject({ ok: false });
  });

  test("receiveTokens credits the exchange's token balance", () => {
    const s = market2();
    expect(receiveTokens(s, 5n).tokenBalance).toBe(s.tokenBalance + 5n);
  });
});
