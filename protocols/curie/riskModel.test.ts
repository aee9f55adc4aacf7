import { describe, expect, it } from "vitest";
import type { Account, Book, Market } from "../../engine/risk/book.js";
import { curieRiskModel, ratiosOf } from "./riskModel.js";

const E18 = 10n ** 18n;

function market(id: bigint): Market {
  return {
    marketId: id,
    symbol: `m${id}`,
    params: {
      skewScale: 0n,
      maxFundingVelocity: 0n,
      imrScalar: 0n,
      imrMin: 10n ** 17n, // IM 10 %
      mmScalar: 625n * 10n ** 15n, // MM = 62.5 % of IM = 6.25 %
      minPositionMargin: 0n,
      takerFee: 10n ** 15n,
      keeperRewardRatio: 0n,
      maxKeeperReward: 0n,
      liquidationPenaltyRatio: 25n * 10n ** 15n,
      maxOpenInterest: 0n,
    },
    state: {
      skew: 0n,
      sizeLong: 0n,
      sizeShort: 0n,
      lastFundingRate: 3n * 10n ** 15n,
      lastFundingIndex: 7n,
      lastFundingTime: 0n,
      badDebt: 0n,
    },
  };
}

const book = (prices: bigint[]): Book => ({
  markets: [market(1n), market(2n)],
  accounts: {},
  prices: Object.fromEntries(prices.map((p, i) => [String(i + 1), { price: p, publishTime: 0n }])),
  insuranceFund: 0n,
  maxPriceAge: 0n,
  accountCount: 0n,
});

const account = (collateral: bigint, positions: Account["positions"]): Account => ({
  accountId: 1n,
  owner: "0x0000000000000000000000000000000000000001",
  collateral,
  openMarkets: 0n,
  positions,
  adlRecords: {},
});

describe("Curie risk model", () => {
  it("reads Curie's 1e6 ratios back from the book's D18 parameters", () => {
    expect(ratiosOf(market(1n))).toEqual({ imRatio: 100_000n, mmRatio: 62_500n });
  });

  it("values positions by quote balance and truncates like Solidity's signed mulDiv", () => {
    // long 1.5 at 3000 opened for 4500.3 quote; short 0.1 BTC sold for 6000.
    const a = account(1000n * E18, {
      "1": {
        size: 15n * 10n ** 17n,
        lastPrice: 0n,
        lastFundingIndex: 0n,
        quoteBalance: -45003n * 10n ** 17n,
      },
      "2": {
        size: -(10n ** 17n) - 1n,
        lastPrice: 0n,
        lastFundingIndex: 0n,
        quoteBalance: 6000n * E18,
      },
    });
    const marks = curieRiskModel.marks(book([2900n * E18, 60000n * E18 + 7n]), 0n);
    const h = curieRiskModel.accountHealth(marks, a);
    const v1 = 4350n * E18;
    // −(0.1e18+1)·(60000e18+7)/1e18 = −6000e18 − 60000 − 0.7 → truncated toward zero.
    const v2exact = -(6000n * E18 + 60000n);
    expect(h.health.equity).toBe(1000n * E18 + v1 - 45003n * 10n ** 17n + v2exact + 6000n * E18);
    const abs = v1 - v2exact;
    expect(h.health.maintenanceMargin).toBe((abs * 62_500n) / 1_000_000n);
    expect(h.health.initialMargin).toBe((abs * 100_000n) / 1_000_000n);
    expect(h.liquidatable).toBe(false);
  });

  it("is liquidatable strictly below the margin requirement, with no margin ratio underwater", () => {
    const pos = { size: E18, lastPrice: 0n, lastFundingIndex: 0n, quoteBalance: -3000n * E18 };
    const marks = curieRiskModel.marks(book([2000n * E18, E18]), 0n);
    // value 2000, pnl −1000: equity = c − 1000; MM = 125.
    const at = curieRiskModel.accountHealth(marks, account(1125n * E18, { "1": pos }));
    expect(at.health.equity).toBe(125n * E18);
    expect(at.liquidatable).toBe(false);
    const below = curieRiskModel.accountHealth(marks, account(1125n * E18 - 1n, { "1": pos }));
    expect(below.liquidatable).toBe(true);
    const under = curieRiskModel.accountHealth(marks, account(900n * E18, { "1": pos }));
    expect(under.marginRatio).toBeNull();
  });

  it("charges a taker's pending funding exactly as getPendingFundingPayment rounds it", () => {
    const Q96 = 1n << 96n;
    const b = book([2000n * E18, E18]);
    const m0 = b.markets[0]!;
    const withGrowth = {
      ...b,
      markets: [{ ...m0, state: { ...m0.state, fundingGrowth: 5n * Q96 + 3n } }, b.markets[1]!],
    };
    const pos = {
      size: -3n * E18,
      lastPrice: 0n,
      lastFundingIndex: 0n,
      quoteBalance: 6000n * E18,
      fundingGrowth: Q96,
    };
    const marks = curieRiskModel.marks(withGrowth, 0n);
    // −3e18 · (4·2^96 + 3) / 2^96 → −12e18 (truncated), / 86400 → truncated toward zero.
    const pending = (-12n * E18) / 86_400n;
    const h = curieRiskModel.accountHealth(marks, account(100n * E18, { "1": pos }));
    expect(h.health.equity).toBe(100n * E18 - pending);
    expect(
      curieRiskModel.positions(marks, withGrowth, account(0n, { "1": pos }))[0]!.unrealizedFunding,
    ).toBe(pending * -1n);
  });

  it("says it has no ADL and trades liquidations against the pool; funding is flat in price", () => {
    expect(curieRiskModel.mechanics).toEqual({ executesAt: "pool", adlSupported: false });
    expect(curieRiskModel.fundingIndexAffine(market(1n), 0n)).toEqual({ base: 7n, perPrice: 0n });
    expect(curieRiskModel.funding(market(1n), E18, 0n).rate).toBe(3n * 10n ** 15n);
  });

  it("refuses a position in a market without a price", () => {
    const marks = curieRiskModel.marks(book([E18]), 0n);
    const a = account(0n, { "2": { size: 1n, lastPrice: 0n, lastFundingIndex: 0n } });
    expect(() => curieRiskModel.accountHealth(marks, a)).toThrow(/no mark for market 2/);
  });
});
