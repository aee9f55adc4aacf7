import { describe, expect, test } from "vitest";
import { ALICE, BTC, D18, market2, must, OWNER, T0, usd } from "../test/fixtures.js";
import { fundingNow } from "./funding.js";
import {
  createMarket,
  invalidParamsField,
  MAX_PARAM,
  setMarketParams,
  setMaxPriceAge,
} from "./market.js";
import type { MarketParams } from "./types.js";

describe("market", () => {
  test("createMarket: id marketCount+1, funding time now, three events", () => {
    const s = market2();
    const r = createMarket(
      s,
      { symbol: "SOL", params: BTC },
      { timestamp: T0 + 5n, sender: OWNER },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.markets[2]).toMatchObject({
      marketId: 3n,
      symbol: "SOL",
      state: { lastFundingTime: T0 + 5n },
    });
    expect(r.events.map((e) => e.name)).toEqual([
      "MarketCreated",
      "MarketParamsSet",
      "FundingUpdated",
    ]);
    // no price yet: the funding event carries price 0
    expect(r.events[2]).toMatchObject({ args: { marketId: 3n, price: 0n, timestamp: T0 + 5n } });
  });

  test("checks in order: owner, market count, then each parameter field", () => {
    const s = market2();
    const bad = { ...BTC, skewScale: 0n };
    expect(
      createMarket(s, { symbol: "X", params: bad }, { timestamp: T0, sender: ALICE }),
    ).toMatchObject({
      ok: false,
      error: { name: "NotOwner" },
    });
    expect(
      createMarket(s, { symbol: "X", params: bad }, { timestamp: T0, sender: OWNER }),
    ).toMatchObject({
      ok: false,
      error: { name: "InvalidMarketParams", args: { field: 0 } },
    });
  });

  test.each<[number, Partial<MarketParams>]>([
    [0, { skewScale: MAX_PARAM + 1n }],
    [1, { maxFundingVelocity: MAX_PARAM + 1n }],
    [2, { imrScalar: MAX_PARAM + 1n }],
    [3, { imrMin: D18 + 1n }],
    [4, { mmScalar: 0n }],
    [4, { mmScalar: D18 + 1n }],
    [5, { minPositionMargin: MAX_PARAM + 1n }],
    [6, { takerFee: D18 / 10n + 1n }],
    [7, { keeperRewardRatio: D18 + 1n }],
    [8, { maxKeeperReward: MAX_PARAM + 1n }],
    [9, { liquidationPenaltyRatio: D18 + 1n }],
    [10, { maxOpenInterest: 0n }],
    [10, { maxOpenInterest: MAX_PARAM + 1n }],
  ])("field %i is validated", (field, change) => {
    expect(invalidParamsField({ ...BTC, ...change })?.field).toBe(field);
  });

  test("bounds are inclusive", () => {
    expect(
      invalidParamsField({
        ...BTC,
        skewScale: MAX_PARAM,
        imrMin: D18,
        mmScalar: D18,
        takerFee: D18 / 10n,
        maxOpenInterest: MAX_PARAM,
      }),
    ).toBeNull();
  });

  test("TooManyMarkets after 256", () => {
    let s = market2();
    for (let i = 2; i < 256; i++)
      s = must(s, { kind: "createMarket", symbol: `M${i}`, params: BTC }, OWNER, T0).state;
    expect(s.markets).toHaveLength(256);
    expect(
      createMarket(s, { symbol: "X", params: BTC }, { timestamp: T0, sender: OWNER }),
    ).toMatchObject({
      ok: false,
      error: { name: "TooManyMarkets" },
    });
  });

  test("setMarketParams checkpoints under the old parameters, then emits with the new velocity", () => {
    let s = market2({ traders: [ALICE], collateral: usd(1_000_000) });
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(100) },
      ALICE,
      T0,
    ).state;
    const t = T0 + 3_600n; // price is stale by now: setMarketParams does not care
    const m = s.markets[0]!;
    const expected = fundingNow(m.state, m.params, usd(95_000), t);
    const params = { ...BTC, maxFundingVelocity: usd(1) };
    const r = setMarketParams(s, { marketId: 1n, params }, { timestamp: t, sender: OWNER });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.markets[0]!.state).toMatchObject({
      lastFundingRate: expected.rate,
      lastFundingIndex: expected.index,
      lastFundingTime: t,
    });
    expect(r.state.markets[0]!.params).toEqual(params);
    expect(r.events[1]).toMatchObject({
      name: "FundingUpdated",
      args: { fundingVelocity: usd("0.01") },
    });
  });

  test("setMarketParams: owner, then market, then fields", () => {
    const s = market2();
    const ctx = { timestamp: T0, sender: OWNER };
    expect(
      setMarketParams(s, { marketId: 9n, params: { ...BTC, mmScalar: 0n } }, ctx),
    ).toMatchObject({
      ok: false,
      error: { name: "MarketNotFound", args: { marketId: 9n } },
    });
    expect(
      setMarketParams(s, { marketId: 9n, params: BTC }, { timestamp: T0, sender: ALICE }),
    ).toMatchObject({ ok: false, error: { name: "NotOwner" } });
  });

  test("setMaxPriceAge", () => {
    const r = setMaxPriceAge(market2(), { maxPriceAge: 5n }, { timestamp: T0, sender: OWNER });
    expect(r.ok && r.state.maxPriceAge).toBe(5n);
    expect(r.ok && r.events).toEqual([{ name: "MaxPriceAgeSet", args: { maxPriceAge: 5n } }]);
  });
});
