import { describe, expect, test } from "vitest";
import { ALICE, KEEPER, market2, OWNER, T0, usd } from "../test/fixtures.js";
import { checkFreshPrice, getPrice, priceAge, setPrice, setPrices, setUpdater } from "./oracle.js";

describe("oracle", () => {
  test("an updater publishes a price stamped with the block time", () => {
    const r = setPrice(
      market2(),
      { marketId: 1n, price: usd(90_000) },
      { timestamp: T0 + 7n, sender: KEEPER },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(getPrice(r.state, 1n)).toEqual({ price: usd(90_000), publishTime: T0 + 7n });
    expect(r.events).toEqual([
      { name: "PriceUpdated", args: { marketId: 1n, price: usd(90_000), publishTime: T0 + 7n } },
    ]);
  });

  test("reverts: NotUpdater first, then ZeroPrice; a batch is all or nothing", () => {
    const s = market2();
    expect(
      setPrice(s, { marketId: 1n, price: 0n }, { timestamp: T0, sender: ALICE }),
    ).toMatchObject({
      ok: false,
      error: { name: "NotUpdater", args: { caller: ALICE } },
    });
    expect(
      setPrice(s, { marketId: 1n, price: 0n }, { timestamp: T0, sender: KEEPER }),
    ).toMatchObject({
      ok: false,
      error: { name: "ZeroPrice", args: { marketId: 1n } },
    });
    expect(
      setPrices(
        s,
        { marketIds: [1n, 2n], prices: [usd(1), 0n] },
        { timestamp: T0, sender: KEEPER },
      ),
    ).toMatchObject({ ok: false, error: { name: "ZeroPrice", args: { marketId: 2n } } });
    expect(
      setPrices(s, { marketIds: [1n, 2n], prices: [usd(1)] }, { timestamp: T0, sender: KEEPER }),
    ).toMatchObject({ ok: false, error: { name: "LengthMismatch" } });
  });

  test("a price may be set for a market that does not exist yet", () => {
    const r = setPrice(market2(), { marketId: 9n, price: 1n }, { timestamp: T0, sender: KEEPER });
    expect(r.ok && getPrice(r.state, 9n).price).toBe(1n);
  });

  test("only the oracle owner sets updaters", () => {
    const s = market2();
    expect(
      setUpdater(s, { updater: ALICE, allowed: true }, { timestamp: T0, sender: KEEPER }),
    ).toMatchObject({
      ok: false,
      error: { name: "NotOwner" },
    });
    const r = setUpdater(s, { updater: ALICE, allowed: true }, { timestamp: T0, sender: OWNER });
    expect(r.ok && r.state.oracle.updaters[ALICE]).toBe(true);
  });

  test("staleness: an age equal to maxPriceAge passes, one second more does not", () => {
    const s = market2({ maxPriceAge: 60n });
    expect(priceAge(s, 1n, T0 + 60n)).toBe(60n);
    expect(checkFreshPrice(s, 1n, T0 + 60n)).toEqual({ ok: true, value: usd(95_000) });
    expect(checkFreshPrice(s, 1n, T0 + 61n)).toMatchObject({
      ok: false,
      error: { name: "StalePrice", args: { marketId: 1n, publishTime: T0 } },
    });
    expect(checkFreshPrice(s, 5n, T0)).toMatchObject({ ok: false, error: { name: "NoPrice" } });
  });
});
