/**
 * A risk snapshot is the API's answer at one block, mapped to the snapshot tables' rows: a
 * handmade answer (the shape schema.graphql gives it) and the rows expected of it; answers
 * whose parts are of different blocks refused; the documents asked valid against
 * schema.graphql and within the API's default limits; and the asking itself (pages of
 * accounts, parts, moved blocks) against a fake API.
 */
import { describe, expect, it } from "vitest";
import { loadApiConfig } from "../../api/config.js";
import { gql } from "../../api/http/graphqlRealm.js";
import { queryCost } from "../../api/limits/queryCost.js";
import { readSchemaFile } from "../../api/schemaFile.js";
import { ApiError } from "../../runtime/apiClient.js";
import { fakeSnapshotApi, syntheticAnswer } from "../../test/dashboards/support/snapshotApi.js";
import {
  accountPageSize,
  accountsPageDocument,
  answerBlock,
  fetchSnapshot,
  HEALTH_BUCKETS,
  probeDocument,
  type SnapshotAnswer,
  SnapshotMovedError,
  snapshotDocuments,
  snapshotRows,
} from "./riskSnapshot.js";

const BLOCK = "1234";
const TIME = "2026-01-01T00:20:34.000Z";
const T = Date.parse(TIME) / 1000;
const AT = { chainId: 7, exchange: "reference-7", snapshotId: "s1" };
const SHOCKS = [-0.1, 0.05];

const bins = (marketNotional: number[], price: number) =>
  marketNotional.map((n, j) => ({
    move: (j - 2) * 0.01,
    price: price * (1 + (j - 2) * 0.01),
    accounts: j,
    liquidatedNotional: 2 * n,
    marketNotional: n,
    badDebt: n / 100,
  }));

/** An answer as the API sends it: 2 markets, a ±2% ladder, 2 shocks, 5 open accounts. */
function handmade(): SnapshotAnswer {
  const account = (
    id: string,
    equity: string,
    mm: string,
    notional: string,
    marginRatio: string | null,
    liquidatable: boolean,
    positions: number,
  ) => ({
    node: {
      id,
      owner: `0x${id.padStart(40, "0")}`,
      collateral: "1000.5",
      equity,
      initialMargin: String(2 * Number(mm)),
      maintenanceMargin: mm,
      notional,
      marginRatio,
      liquidatable,
      positions: Array.from({ length: positions }, () => ({ size: "1" })),
    },
  });
  return {
    riskSummary: {
      block: BLOCK,
      timestamp: TIME,
      openInterestUsd: "123456.5",
      accountsWithPositions: 5,
      accountsAtRisk: 2,
      amplificationAt10: 1.25,
      maxAbsFundingRate: "0.002",
    },
    insuranceFund: { block: BLOCK, balance: "250000.000000000000000001", pendingBadDebt: "12.5" },
    mirrorStatus: { block: BLOCK, divergenceCount: "3" },
    markets: [
      {
        id: "1",
        symbol: "BTC",
        block: BLOCK,
        price: "100000",
        openInterestLong: "2.5",
        openInterestShort: "1",
        openInterestUsd: "350000",
        skew: "1.5",
        skewRatio: 0.0015,
        pendingBadDebt: "12.5",
        funding: { rateNow: "0.001", rateAnnualized: "0.365", velocity: "-0.0001" },
      },
      {
        id: "2",
        symbol: "ETH",
        block: BLOCK,
        price: "4000",
        openInterestLong: "0",
        openInterestShort: "10",
        openInterestUsd: "40000",
        skew: "-10",
        skewRatio: -0.01,
        pendingBadDebt: "0",
        funding: { rateNow: "-0.002", rateAnnualized: "-0.73", velocity: "0" },
      },
    ],
    allAccounts: { block: BLOCK, totalCount: 9 },
    accounts: {
      block: BLOCK,
      edges: [
        account("4", "-50", "100", "5000", null, true, 2),
        account("2", "80", "100", "10000", "1.25", true, 1),
        account("7", "100", "95", "4000", "0.95", false, 2),
        account("1", "1000", "100", "20000", "0.1", false, 1),
        account("3", "1000", "0", "1", "0", false, 1),
      ],
      pageInfo: { hasNextPage: false, endCursor: "x" },
    },
    ladder_1: {
      block: BLOCK,
      market: { id: "1" },
      bins: bins([30, 10, 5, 8, 20], 100000),
      atMark: { accounts: 2 },
      withinDown: { pct1: 1, pct3: 3, pct5: 5, pct10: 10 },
      withinUp: { pct1: 2, pct3: 4, pct5: 6, pct10: 12 },
    },
    ladder_2: {
      block: BLOCK,
      market: { id: "2" },
      bins: bins([0, 0, 0, 0, 0], 4000),
      atMark: { accounts: 0 },
      withinDown: { pct1: 0, pct3: 0, pct5: 0, pct10: 0 },
      withinUp: { pct1: 0, pct3: 0, pct5: 0, pct10: 7 },
    },
    cascade_0: {
      block: BLOCK,
      liquidatedNotional: 5000,
      liquidatedAccounts: 3,
      badDebt: 100,
      insuranceCovered: 100,
      uncoveredBadDebt: 0,
      insuranceCoverage: 1,
      adlTriggered: false,
      amplification: 1.25,
      converged: true,
      rounds: [{ round: 1 }, { round: 2 }],
    },
    cascade_1: {
      block: BLOCK,
      liquidatedNotional: 0,
      liquidatedAccounts: 0,
      badDebt: 0,
      insuranceCovered: 0,
      uncoveredBadDebt: 0,
      insuranceCoverage: 1,
      adlTriggered: false,
      amplification: null,
      converged: true,
      rounds: [{ round: 1 }],
    },
  };
}

const common = {
  chain_id: 7,
  exchange: "reference-7",
  block_number: 1234,
  block_time: T,
  snapshot_id: "s1",
};

describe("risk snapshot rows from the API's answer", () => {
  const rows = snapshotRows(handmade(), AT, { topAccounts: 3, shocks: SHOCKS, fetchMs: 40 });

  it("header: the API's exchange-wide figures, exact amounts kept exact", () => {
    const { compute_ms, ...header } = rows.header;
    expect(header).toEqual({
      ...common,
      insurance_fund: "250000.000000000000000001",
      pending_bad_debt: "12.5",
      accounts: 9,
      open_accounts: 5,
      positions: 7,
      open_interest_usd: 123456.5,
      accounts_at_risk: 2,
      notional_at_risk: 15000,
      max_abs_funding_rate: 0.002,
      amplification_10: 1.25,
      mirror_divergences: 3,
    });
    expect(compute_ms).toBeGreaterThanOrEqual(40);
  });

  it("markets: state, funding and liquidatable within x% each way from the ladder", () => {
    expect(rows.markets[0]).toEqual({
      ...common,
      market_id: 1,
      symbol: "BTC",
      price: 100000,
      open_interest_long: 2.5,
      open_interest_short: 1,
      open_interest_usd: 350000,
      skew: 1.5,
      skew_ratio: 0.0015,
      funding_rate: 0.001,
      funding_rate_annual: 0.365,
      funding_velocity: -0.0001,
      pending_bad_debt: 12.5,
      accounts_at_risk: 2,
      liquidatable_down_1: 1,
      liquidatable_down_3: 3,
      liquidatable_down_5: 5,
      liquidatable_down_10: 10,
      liquidatable_up_1: 2,
      liquidatable_up_3: 4,
      liquidatable_up_5: 6,
      liquidatable_up_10: 12,
    });
    expect(rows.markets[1]).toMatchObject({ market_id: 2, funding_rate: -0.002, skew: -10 });
    expect(rows.markets[1]!.liquidatable_up_10).toBe(7);
  });

  it("ladder: every bin, with each bin's share of the cumulative notional", () => {
    expect(rows.ladder).toHaveLength(10);
    const btc = rows.ladder.filter((b) => b.market_id === 1);
    expect(btc.map((b) => b.move)).toEqual([-0.02, -0.01, 0, 0.01, 0.02]);
    expect(btc.map((b) => b.market_notional)).toEqual([30, 10, 5, 8, 20]);
    expect(btc.map((b) => b.bucket_notional)).toEqual([20, 5, 5, 3, 12]);
    expect(btc[0]).toEqual({
      ...common,
      market_id: 1,
      symbol: "BTC",
      move: -0.02,
      price: 98000,
      liquidated_notional: 60,
      market_notional: 30,
      bucket_notional: 20,
      accounts: 0,
      bad_debt: 0.3,
    });
  });

  it("cascades: one per shock, undefined amplification as 1, the fund at the block", () => {
    expect(rows.cascades).toEqual([
      {
        ...common,
        shock: -0.1,
        shock_label: "-10%",
        amplification: 1.25,
        liquidated_notional: 5000,
        liquidated_accounts: 3,
        bad_debt: 100,
        insurance_fund_start: 250000,
        insurance_covered: 100,
        uncovered_bad_debt: 0,
        insurance_coverage: 1,
        adl_triggered: 0,
        rounds: 2,
        converged: 1,
      },
      expect.objectContaining({ shock: 0.05, shock_label: "+5%", amplification: 1, rounds: 1 }),
    ]);
  });

  it("health: every open account in one bucket, by the API's ratio and liquidatable flag", () => {
    expect(rows.health.map((b) => b.bucket)).toEqual(HEALTH_BUCKETS.map((b) => b.label));
    const by = Object.fromEntries(rows.health.map((b) => [b.bucket, b]));
    expect(by["< 25%"]).toMatchObject({ accounts: 2, notional: 20001, equity: 2000 });
    expect(by["90–100%"]).toMatchObject({ accounts: 1, notional: 4000, equity: 100 });
    expect(by.liquidatable).toMatchObject({ accounts: 1, notional: 10000, equity: 80 });
    expect(by.underwater).toMatchObject({ accounts: 1, notional: 5000, equity: -50 });
    expect(rows.health.reduce((n, b) => n + (b.accounts as number), 0)).toBe(5);
  });

  it("accounts: the riskiest in the API's order", () => {
    expect(rows.accounts.map((a) => [a.rank, a.account_id])).toEqual([
      [1, "4"],
      [2, "2"],
      [3, "7"],
    ]);
    expect(rows.accounts[0]).toEqual({
      ...common,
      rank: 1,
      account_id: "4",
      owner: `0x${"4".padStart(40, "0")}`,
      collateral: 1000.5,
      equity: -50,
      initial_margin: 200,
      maintenance_margin: 100,
      notional: 5000,
      margin_ratio: null,
      buffer: -0.03,
      liquidatable: 1,
      markets: 2,
    });
    expect(rows.accounts[2]).toMatchObject({
      margin_ratio: 0.95,
      liquidatable: 0,
      buffer: 0.00125,
    });
  });

  it("refuses an answer whose parts are of different blocks", () => {
    const a = handmade();
    expect(answerBlock(a)).toEqual({ block: 1234, timestamp: T });
    a.ladder_2!.block = "1235";
    expect(() => snapshotRows(a, AT, { topAccounts: 3 })).toThrow(SnapshotMovedError);
    const b = handmade();
    delete (b as Partial<SnapshotAnswer>)["ladder_1" as keyof SnapshotAnswer];
    expect(() => answerBlock(b)).toThrow(/ladder_1: no block/);
  });
});

describe("the snapshot's documents", () => {
  const schema = gql.buildSchema(readSchemaFile());
  const limits = loadApiConfig({}).limits;
  const opts = { ladderMaxMove: 0.3, ladderStep: 0.01 };
  function check(doc: string, markets: number): void {
    const variables = {
      range: 0.3,
      step: 0.01,
      page: accountPageSize(markets),
      after: null,
      open: "0.000000000000000001",
    };
    const parsed = gql.parse(doc, { maxTokens: limits.maxTokens });
    expect(gql.validate(schema, parsed)).toEqual([]);
    let aliases = 0;
    gql.visit(parsed, {
      Field(node) {
        if (node.alias) aliases++;
      },
    });
    expect(aliases).toBeLessThanOrEqual(limits.maxAliases);
    const cost = queryCost(schema, parsed, variables, undefined, { marketCount: markets });
    expect(cost).toBeLessThanOrEqual(limits.maxCost);
  }

  it("are valid against schema.graphql and within the API's default limits", () => {
    for (const markets of [0, 5, 12, 40]) {
      const ids = Array.from({ length: markets }, (_, i) => String(i + 1));
      const docs = snapshotDocuments(ids, opts);
      expect(docs.length).toBe(markets <= 12 ? 1 : 1 + Math.ceil((markets - 12) / 20));
      for (const doc of docs) check(doc, markets);
      const joined = docs.join("\n");
      for (const id of ids) expect(joined).toContain(`ladder_${id}: liquidationLadder(`);
    }
    check(probeDocument(), 5);
    check(accountsPageDocument(), 5);
  });
});

describe("asking the API for a snapshot", () => {
  const markets = [
    { id: "1", symbol: "BTC" },
    { id: "2", symbol: "ETH" },
  ];
  const spec = { block: 50, timestamp: 1_767_225_650, markets, accounts: 250, seed: 4 };
  const opts = { ladderMaxMove: 0.3, ladderStep: 0.01, maxAliases: 4 };

  it("gathers every part and every page of accounts, all of one block", async () => {
    const api = fakeSnapshotApi(syntheticAnswer(spec), { pageSize: 100 });
    const answer = await fetchSnapshot(api, ["1", "2"], opts);
    expect(api.operations).toEqual([
      "PerpwatchSnapshot",
      "PerpwatchSnapshotPart1",
      "PerpwatchSnapshotPart2",
      "PerpwatchSnapshotAccounts",
      "PerpwatchSnapshotAccounts",
    ]);
    expect(answer.accounts.edges.map((e) => e.node.id)).toEqual(
      api.answer.accounts.edges.map((e) => e.node.id),
    );
    expect(answerBlock(answer)).toEqual({ block: 50, timestamp: 1_767_225_650 });
    const rows = snapshotRows(answer, AT, { topAccounts: 25 });
    expect(rows.cascades).toHaveLength(7);
    expect(rows.ladder).toHaveLength(2 * 61);
    expect(rows.accounts).toHaveLength(25);
    expect(rows.health.reduce((n, b) => n + (b.accounts as number), 0)).toBe(250);
  });

  it("says the API moved when a part, a page or the markets are of another block", async () => {
    const api = fakeSnapshotApi(syntheticAnswer(spec), { pageSize: 100 });
    const query = api.query.bind(api);
    let n = 0;
    api.query = async <T>(doc: string, vars?: Record<string, unknown>) => {
      const out = (await query(doc, vars)) as { accounts?: { block: string } };
      if (doc.includes("PerpwatchSnapshotAccounts") && ++n === 2) out.accounts!.block = "51";
      return out as T;
    };
    await expect(fetchSnapshot(api, ["1", "2"], opts)).rejects.toThrow(SnapshotMovedError);

    api.query = async <T>(doc: string, vars?: Record<string, unknown>) => {
      if (doc.includes("PerpwatchSnapshotAccounts")) {
        throw new ApiError(
          "API: the cursor's block is no longer kept",
          "graphql",
          "CURSOR_EXPIRED",
        );
      }
      return query<T>(doc, vars);
    };
    await expect(fetchSnapshot(api, ["1", "2"], opts)).rejects.toThrow(
      /^accounts: API: the cursor's block is no longer kept$/,
    );

    const fresh = fakeSnapshotApi(syntheticAnswer(spec));
    await expect(fetchSnapshot(fresh, ["1"], opts)).rejects.toThrow(/markets: 1,2, not 1/);
  });
});
