import { describe, expect, it } from "vitest";
import {
  exactHealth,
  exactLiquidatableCount,
  exactMarks,
  syntheticBook,
} from "../../engine/analytics/index.js";
import { fundingNow, marginRatio } from "../../protocols/reference/engine/index.js";
import type { PonderRow } from "./eventTables.js";
import {
  type BookRows,
  bookFromRows,
  computeRiskSnapshot,
  HEALTH_BUCKETS,
  STANDARD_SHOCKS,
} from "./riskSnapshot.js";

/** A synthetic book as the rows Ponder's GraphQL would return for it. */
function rowsOf(seed: number, accounts: number) {
  const book = syntheticBook({ seed, accounts });
  const s = book.state;
  const markets: PonderRow[] = s.markets.map((m) => ({
    marketId: m.marketId.toString(),
    symbol: m.symbol,
    ...Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, v.toString()])),
    price: s.oracle.prices[m.marketId.toString()]!.price.toString(),
    priceTime: s.oracle.prices[m.marketId.toString()]!.publishTime.toString(),
    skew: m.state.skew.toString(),
    sizeLong: m.state.sizeLong.toString(),
    sizeShort: m.state.sizeShort.toString(),
    fundingRate: m.state.lastFundingRate.toString(),
    fundingIndex: m.state.lastFundingIndex.toString(),
    fundingTime: m.state.lastFundingTime.toString(),
    badDebt: m.state.badDebt.toString(),
  }));
  const accountRows: PonderRow[] = [];
  const positions: PonderRow[] = [];
  for (const a of Object.values(s.accounts)) {
    accountRows.push({
      accountId: a.accountId.toString(),
      owner: a.owner,
      collateral: a.collateral.toString(),
      openMarkets: a.openMarkets.toString(),
    });
    for (const [marketId, p] of Object.entries(a.positions)) {
      positions.push({
        accountId: a.accountId.toString(),
        marketId,
        size: p.size.toString(),
        lastPrice: p.lastPrice.toString(),
        lastFundingIndex: p.lastFundingIndex.toString(),
      });
    }
  }
  const rows: BookRows = {
    exchange: {
      id: "reference-7",
      insuranceFund: (250_000n * 10n ** 18n).toString(),
      accountCount: "999",
    },
    markets,
    accounts: accountRows.reverse(),
    positions: positions.reverse(),
    accountCount: 999,
    mirrorDivergences: 0,
  };
  return { book, rows };
}

const OPTS = { ladderMaxMove: 0.3, ladderStep: 0.01, topAccounts: 10 };
const AT = { chainId: 7, exchange: "reference-7", block: 100, snapshotId: "s1" };

describe("risk snapshot", () => {
  it("rebuilds the engine's book from the indexer's rows", () => {
    const { book, rows } = rowsOf(3, 50);
    const input = bookFromRows(rows, Number(book.timestamp));
    expect(input.markets).toEqual(book.state.markets);
    const byId = Object.fromEntries(
      [...(input.accounts as Iterable<{ accountId: bigint; positions: unknown }>)].map((a) => [
        a.accountId.toString(),
        a.positions,
      ]),
    );
    for (const a of Object.values(book.state.accounts)) {
      expect(byId[a.accountId.toString()]).toEqual(a.positions);
    }
  });

  it("agrees with the exact engine on health, funding and who is at risk", () => {
    const { book, rows } = rowsOf(5, 300);
    const t = Number(book.timestamp);
    const snap = computeRiskSnapshot(rows, { ...AT, timestamp: t }, OPTS);
    const marks = exactMarks(book.state, book.timestamp);
    const atRisk = exactLiquidatableCount(book.state, marks);
    expect(snap.header.accounts_at_risk).toBe(atRisk);
    expect(snap.header.open_accounts).toBe(300);
    expect(snap.header.insurance_fund).toBe("250000");
    // Every row names its exchange.
    for (const r of [snap.header, ...snap.markets, ...snap.health, ...snap.accounts]) {
      expect(r.exchange).toBe("reference-7");
    }
    expect(snap.health.reduce((n, b) => n + (b.accounts as number), 0)).toBe(300);
    expect(snap.health.map((b) => b.bucket)).toEqual(HEALTH_BUCKETS.map((b) => b.label));
    const liquidatable = snap.health
      .filter((b) => b.bucket === "liquidatable" || b.bucket === "underwater")
      .reduce((n, b) => n + (b.accounts as number), 0);
    expect(liquidatable).toBeGreaterThanOrEqual(atRisk);

    // The riskiest account is the one with the highest exact margin ratio.
    const exact = Object.values(book.state.accounts).map((a) => {
      const h = exactHealth(marks, a);
      const r = marginRatio(h);
      return { id: a.accountId, r: r === null ? Number.POSITIVE_INFINITY : Number(r) / 1e18 };
    });
    exact.sort((x, y) => y.r - x.r);
    expect(snap.accounts[0]!.account_id).toBe(exact[0]!.id.toString());
    expect(snap.accounts).toHaveLength(10);
    expect(snap.accounts.map((a) => a.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    for (const m of snap.markets) {
      const market = book.state.markets.find((x) => Number(x.marketId) === m.market_id)!;
      const price = book.state.oracle.prices[market.marketId.toString()]!.price;
      const rate =
        Number(fundingNow(market.state, market.params, price, book.timestamp).rate) / 1e18;
      expect(m.funding_rate).toBeCloseTo(rate, 12);
      expect(m.open_interest_usd as number).toBeGreaterThan(0);
    }
  });

  it("ladder buckets add up to the cumulative ladder and cascades cover the standard shocks", () => {
    const { book, rows } = rowsOf(9, 200);
    const snap = computeRiskSnapshot(rows, { ...AT, timestamp: Number(book.timestamp) }, OPTS);
    expect(snap.ladder).toHaveLength(5 * 61);
    for (const marketId of [1, 2, 3, 4, 5]) {
      const bins = snap.ladder.filter((b) => b.market_id === marketId);
      const edge = (move: number) => bins.find((b) => Math.abs((b.move as number) - move) < 1e-9)!;
      const sum = (pred: (m: number) => boolean) =>
        bins
          .filter((b) => pred(b.move as number))
          .reduce((s, b) => s + (b.bucket_notional as number), 0);
      expect(sum((m) => m <= 0)).toBeCloseTo(edge(-0.3).market_notional as number, 3);
      expect(sum((m) => m >= 0)).toBeCloseTo(edge(0.3).market_notional as number, 3);
    }
    expect(snap.cascades.map((c) => c.shock)).toEqual([...STANDARD_SHOCKS]);
    const deep = snap.cascades.find((c) => c.shock === -0.3)!;
    const mild = snap.cascades.find((c) => c.shock === -0.05)!;
    expect(deep.liquidated_notional as number).toBeGreaterThanOrEqual(
      mild.liquidated_notional as number,
    );
    expect(snap.header.amplification_10).toBe(
      snap.cascades.find((c) => c.shock === -0.1)!.amplification,
    );
    for (const c of snap.cascades) {
      expect(c.insurance_fund_start).toBe(250_000);
      expect(c.insurance_coverage as number).toBeGreaterThanOrEqual(0);
      expect(c.insurance_coverage as number).toBeLessThanOrEqual(1);
    }
  });
});
