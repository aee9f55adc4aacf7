/**
 * End to end: Perpwatch's GraphQL API (`/graphql`) in a Ponder indexing a crash-cascade devnet
 * (seed 42, 100 accounts, 300 blocks: liquidations, bad debt, the fund drawn, ADL).
 *
 * - Every numeric field of markets, accounts (positions included) and the insurance fund
 *   equals what the contract's views return at the block the API states; history (funding
 *   paid, ledger, liquidations, ADL) equals the chain's logs up to that block.
 * - Walking `accounts` page by page returns every account exactly once, in order, for every
 *   order; each filter returns exactly the accounts the chain's views say match it.
 * - Introspection of the served schema equals schema.graphql.
 * - Nested lists are batched (a response says how many history queries it took).
 * - Bad input gets one clear line and a stable code, never a stack trace or HTTP 500.
 * - Live: a price crash in a new block reaches risk-summary subscribers (server-sent events),
 *   the at-risk filter then equals the chain's `canLiquidate`, and a liquidation in the next
 *   block reaches liquidation subscribers.
 * One devnet and one Ponder (PGlite) serve every test; the live test comes last.
 */
import { join } from "node:path";
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from "graphql";
import type { Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseD18 } from "../../api/scalars/d18Text.js";
import { readSchemaFile } from "../../api/schemaFile.js";
import { TxSigner } from "../../devnet/chain.js";
import { ANVIL_KEYS } from "../../devnet/keys.js";
import type { RunningPonder } from "../../indexer/runPonder.js";
import {
  perpExchangeAbi,
  priceOracleAbi,
} from "../../protocols/reference/contracts/generated/index.js";
import type { SimulatedChain } from "../../protocols/reference/devnet/simulateChain.js";
import { SimulatedDevnet } from "../indexer/support/simulatedDevnet.js";
import { abs, mulD, positionMargins } from "../support/referenceMath.js";
import { type ChainAccount, type ChainBook, readChainBook } from "./support/chainViews.js";
import { post, query, SseSubscription } from "./support/graphqlClient.js";

const ONE = 10n ** 18n;

/** A Decimal string as D18. */
function d18(s: unknown): bigint {
  const r = parseD18(String(s));
  if (!r.ok) throw new Error(`not a Decimal: ${String(s)}`);
  return r.value;
}

const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

/** The filters' margin-ratio key: 0 without margin, +∞ underwater, else MM·1e18/equity. */
function ratioKey(a: ChainAccount): bigint {
  if (a.maintenanceMargin <= 0n) return 0n;
  if (a.equity <= 0n) return 2n ** 255n;
  return (a.maintenanceMargin * ONE) / a.equity;
}

const ACCOUNT_FIELDS = `
  id owner block collateral equity initialMargin maintenanceMargin notional freeMargin
  marginRatio liquidatable fundingPaid unrealizedFunding createdBlock updatedBlock
  positions {
    market { id } size entryPrice entryFundingIndex notional unrealizedPnl unrealizedFunding
    initialMargin maintenanceMargin liquidationPrice
  }`;

interface ApiAccount {
  id: string;
  owner: string;
  block: string;
  collateral: string;
  equity: string;
  initialMargin: string;
  maintenanceMargin: string;
  notional: string;
  freeMargin: string;
  marginRatio: string | null;
  liquidatable: boolean;
  fundingPaid: string;
  unrealizedFunding: string;
  positions: {
    market: { id: string };
    size: string;
    entryPrice: string;
    entryFundingIndex: string;
    notional: string;
    unrealizedPnl: string;
    unrealizedFunding: string;
    initialMargin: string;
    maintenanceMargin: string;
    liquidationPrice: number | null;
  }[];
}

interface AccountPage {
  accounts: {
    block: string;
    totalCount: number;
    edges: { cursor: string; node: ApiAccount }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe("GraphQL API end to end on crash-cascade", () => {
  let devnet: SimulatedDevnet;
  let chain: SimulatedChain;
  let ponder: RunningPonder;
  let url: string;
  let head: bigint;

  beforeAll(async () => {
    devnet = await SimulatedDevnet.start("perpwatch-api-e2e-", {
      seed: 42,
      accounts: 100,
      ticks: 300,
    });
    ({ chain, head } = devnet);
    ponder = await devnet.startPonder({
      database: { kind: "pglite", directory: join(devnet.dir, "pglite") },
      logLevel: "warn",
    });
    url = `${ponder.url}/graphql`;
    await ponder.waitForBlock(head);
    await apiAt(head);
  }, 240_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  /** Waits until the API serves `block` (or later). */
  async function apiAt(block: bigint, timeoutMs = 60_000): Promise<bigint> {
    const deadline = Date.now() + timeoutMs;
    let seen = "none";
    while (Date.now() < deadline) {
      const r = await post<{ indexingStatus: { indexedBlock: string } }>(
        url,
        "{ indexingStatus { indexedBlock } }",
      );
      const b = r.data?.indexingStatus.indexedBlock;
      if (b !== undefined) {
        seen = b;
        if (BigInt(b) >= block) return BigInt(b);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`the API did not reach block ${block} within ${timeoutMs} ms (at ${seen})`);
  }

  /** Every account through pagination, with the block of the walk. */
  async function allAccounts(
    fields: string,
    args: { filter?: Record<string, unknown>; orderBy?: string; first?: number } = {},
  ): Promise<{ block: bigint; totalCount: number; nodes: ApiAccount[] }> {
    const nodes: ApiAccount[] = [];
    let after: string | null = null;
    let block: bigint | null = null;
    let totalCount = -1;
    do {
      const page: AccountPage = await query<AccountPage>(
        url,
        `query ($filter: AccountFilter, $orderBy: AccountOrder, $first: Int, $after: String) {
          accounts(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
            block totalCount edges { cursor node { ${fields} } } pageInfo { hasNextPage endCursor }
          } }`,
        {
          filter: args.filter ?? null,
          orderBy: args.orderBy ?? "MARGIN_RATIO_DESC",
          first: args.first ?? 100,
          after,
        },
      );
      const b = BigInt(page.accounts.block);
      if (block !== null) expect(b).toBe(block); // every page of a walk is from one block
      block = b;
      totalCount = page.accounts.totalCount;
      nodes.push(...page.accounts.edges.map((e) => e.node));
      after = page.accounts.pageInfo.hasNextPage ? page.accounts.pageInfo.endCursor : null;
    } while (after !== null);
    return { block: block!, totalCount, nodes };
  }

  it("serves exactly the schema in schema.graphql (introspection)", async () => {
    const data = await query<IntrospectionQuery>(
      url,
      getIntrospectionQuery({ descriptions: true, schemaDescription: true }),
    );
    const served = printSchema(lexicographicSortSchema(buildClientSchema(data)));
    const file = printSchema(lexicographicSortSchema(buildSchema(readSchemaFile())));
    expect(served).toBe(file);
  });

  it("market figures equal the contract's views at the stated block", async () => {
    const data = await query<{
      markets: {
        id: string;
        symbol: string;
        block: string;
        params: Record<string, string>;
        price: string;
        priceTime: string | null;
        openInterestLong: string;
        openInterestShort: string;
        openInterestUsd: string;
        skew: string;
        pendingBadDebt: string;
        funding: Record<string, string | null>;
      }[];
    }>(
      url,
      `{ markets { id symbol block price priceTime openInterestLong openInterestShort
          openInterestUsd skew pendingBadDebt
          params { skewScale maxFundingVelocity imrScalar imrMin mmScalar minPositionMargin takerFee
            keeperRewardRatio maxKeeperReward liquidationPenaltyRatio maxOpenInterest }
          funding { rateNow rateAnnualized ratePredictedNextHour velocity index lastRate lastIndex lastCheckpoint } } }`,
    );
    const block = BigInt(data.markets[0]!.block);
    const book = await readChainBook(chain.client.public, chain.manifest, block);
    expect(data.markets.map((m) => m.id)).toEqual(book.markets.map((m) => m.id.toString()));
    for (const [i, m] of data.markets.entries()) {
      const c = book.markets[i]!;
      expect(BigInt(m.block)).toBe(block);
      expect(m.symbol).toBe(c.symbol);
      for (const [k, v] of Object.entries(c.params)) expect(d18(m.params[k]), k).toBe(v);
      expect(d18(m.price)).toBe(c.price);
      expect(m.priceTime).toBe(iso(c.publishTime));
      expect(d18(m.openInterestLong)).toBe(c.state.sizeLong);
      expect(d18(m.openInterestShort)).toBe(c.state.sizeShort);
      expect(d18(m.openInterestUsd)).toBe(mulD(c.state.sizeLong + c.state.sizeShort, c.price));
      expect(d18(m.skew)).toBe(c.state.skew);
      expect(d18(m.pendingBadDebt)).toBe(c.state.badDebt);
      expect(d18(m.funding.rateNow)).toBe(c.fundingRate);
      expect(d18(m.funding.rateAnnualized)).toBe(c.fundingRate * 365n);
      expect(d18(m.funding.velocity)).toBe(c.fundingVelocity);
      expect(d18(m.funding.index)).toBe(c.fundingIndex);
      expect(d18(m.funding.lastRate)).toBe(c.state.lastFundingRate);
      expect(d18(m.funding.lastIndex)).toBe(c.state.lastFundingIndex);
      expect(m.funding.lastCheckpoint).toBe(iso(c.state.lastFundingTime));
      // The rate drifts by the velocity: one hour is 1/24 of a day.
      const predicted = d18(m.funding.ratePredictedNextHour) - c.fundingRate;
      expect(abs(predicted - c.fundingVelocity / 24n)).toBeLessThanOrEqual(1n);
    }

    // Funding history of ETH in 60-second buckets: the last FundingUpdated of each bucket.
    const history = await query<{
      market: {
        block: string;
        fundingHistory: { time: string; rate: string; index: string; blockNumber: string }[];
      };
    }>(
      url,
      `{ market(id: "2") { block fundingHistory(interval: 60, last: 4) { time rate index blockNumber } } }`,
    );
    const logs = await chain.client.public.getContractEvents({
      address: chain.manifest.contracts.exchange as Address,
      abi: perpExchangeAbi,
      eventName: "FundingUpdated",
      args: { marketId: 2n },
      fromBlock: BigInt(chain.manifest.startBlock),
      toBlock: BigInt(history.market.block),
    });
    const lastPerBucket = new Map<bigint, (typeof logs)[number]>();
    for (const l of logs) lastPerBucket.set(l.args.timestamp! / 60n, l); // logs come in chain order
    const expected = [...lastPerBucket.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).slice(-4);
    expect(history.market.fundingHistory.map((p) => p.time)).toEqual(
      expected.map(([bucket]) => iso(bucket * 60n)),
    );
    history.market.fundingHistory.forEach((p, i) => {
      const l = expected[i]![1];
      expect(d18(p.rate)).toBe(l.args.fundingRate);
      expect(d18(p.index)).toBe(l.args.fundingIndex);
      expect(BigInt(p.blockNumber)).toBe(l.blockNumber);
    });
  });

  it("account figures, positions included, equal the contract's views at the stated block", async () => {
    const { block, nodes } = await allAccounts(ACCOUNT_FIELDS, { first: 40 });
    const book = await readChainBook(chain.client.public, chain.manifest, block);
    expect(nodes.length).toBe(book.accounts.length);
    const byId = new Map(book.accounts.map((a) => [a.id.toString(), a]));
    const markets = new Map(book.markets.map((m) => [m.id.toString(), m]));
    // Funding realized per account, from the chain's logs up to the block.
    const modified = await chain.client.public.getContractEvents({
      address: chain.manifest.contracts.exchange as Address,
      abi: perpExchangeAbi,
      eventName: "PositionModified",
      fromBlock: BigInt(chain.manifest.startBlock),
      toBlock: block,
    });
    const realized = new Map<string, bigint>();
    for (const l of modified) {
      const k = l.args.accountId!.toString();
      realized.set(k, (realized.get(k) ?? 0n) + l.args.realizedFunding!);
    }
    let withPositions = 0;
    for (const a of nodes) {
      const c = byId.get(a.id)!;
      expect(BigInt(a.block)).toBe(block);
      expect(a.owner).toBe(c.owner);
      expect(d18(a.collateral)).toBe(c.collateral);
      expect(d18(a.equity)).toBe(c.equity);
      expect(d18(a.initialMargin)).toBe(c.initialMargin);
      expect(d18(a.maintenanceMargin)).toBe(c.maintenanceMargin);
      expect(d18(a.notional)).toBe(c.notional);
      expect(d18(a.freeMargin)).toBe(c.equity - c.initialMargin);
      expect(a.marginRatio === null ? null : d18(a.marginRatio)).toBe(
        c.equity > 0n ? (c.maintenanceMargin * ONE) / c.equity : null,
      );
      expect(a.liquidatable).toBe(c.liquidatable);
      expect(d18(a.fundingPaid)).toBe(-(realized.get(a.id) ?? 0n));
      expect(a.positions.map((p) => p.market.id)).toEqual([...c.positions.keys()].map(String));
      let funding = 0n;
      let im = 0n;
      let mm = 0n;
      for (const p of a.positions) {
        const cp = c.positions.get(BigInt(p.market.id))!;
        const m = markets.get(p.market.id)!;
        const margins = positionMargins(m.params as never, cp.size, m.price);
        expect(d18(p.size)).toBe(cp.size);
        expect(d18(p.entryPrice)).toBe(cp.lastPrice);
        expect(d18(p.entryFundingIndex)).toBe(cp.lastFundingIndex);
        expect(d18(p.notional)).toBe(margins.notional);
        expect(d18(p.initialMargin)).toBe(margins.initialMargin);
        expect(d18(p.maintenanceMargin)).toBe(margins.maintenanceMargin);
        expect(d18(p.unrealizedPnl)).toBe(mulD(cp.size, m.price - cp.lastPrice));
        const f = mulD(cp.size, m.fundingIndex - cp.lastFundingIndex);
        expect(d18(p.unrealizedFunding)).toBe(f);
        funding += f;
        im += margins.initialMargin;
        mm += margins.maintenanceMargin;
        // The liquidation price is an estimate: on the right side of the mark.
        if (p.liquidationPrice !== null) expect(p.liquidationPrice).toBeGreaterThan(0);
      }
      expect(d18(a.unrealizedFunding)).toBe(funding);
      if (a.positions.length > 0) {
        withPositions++;
        expect(im).toBe(c.initialMargin);
        expect(mm).toBe(c.maintenanceMargin);
      }
    }
    expect(withPositions).toBeGreaterThan(20);

    // Trade history: every position change of a few accounts, as the chain logged them.
    for (const id of ["1", "13", "42"]) {
      const t = await query<{
        account: {
          trades: { edges: { node: { sizeDelta: string; newSize: string; kind: string } }[] };
        };
      }>(
        url,
        `{ account(id: "${id}") { trades(first: 1000) { edges { node { sizeDelta newSize kind } } } } }`,
      );
      const mine = modified.filter((l) => l.args.accountId === BigInt(id)).reverse();
      expect(t.account.trades.edges.length).toBe(mine.length);
      t.account.trades.edges.forEach(({ node }, i) => {
        expect(d18(node.sizeDelta)).toBe(mine[i]!.args.sizeDelta);
        expect(d18(node.newSize)).toBe(mine[i]!.args.newSize);
        expect(node.kind).toBe(["TRADE", "LIQUIDATION", "ADL"][Number(mine[i]!.args.kind)]);
      });
    }
  });

  it("the insurance fund, liquidations and ADL fills equal the chain's", async () => {
    const data = await query<{
      insuranceFund: {
        block: string;
        balance: string;
        pendingBadDebt: string;
        coverage: { block: string; worstBadDebt: number; coverageRatio: number | null };
      };
    }>(
      url,
      "{ insuranceFund { block balance pendingBadDebt coverage { block worstBadDebt coverageRatio } } }",
    );
    const block = BigInt(data.insuranceFund.block);
    const book = await readChainBook(chain.client.public, chain.manifest, block);
    expect(d18(data.insuranceFund.balance)).toBe(book.insuranceFund);
    expect(d18(data.insuranceFund.pendingBadDebt)).toBe(
      book.markets.reduce((s, m) => s + m.state.badDebt, 0n),
    );
    expect(BigInt(data.insuranceFund.coverage.block)).toBe(block);
    expect(data.insuranceFund.coverage.worstBadDebt).toBeGreaterThan(0);

    const logs = async (
      eventName: "InsuranceFundUpdated" | "AccountLiquidated" | "PositionAutoDeleveraged",
    ) =>
      (
        await chain.client.public.getContractEvents({
          address: chain.manifest.contracts.exchange as Address,
          abi: perpExchangeAbi,
          eventName,
          fromBlock: BigInt(chain.manifest.startBlock),
          toBlock: block,
        })
      ).reverse() as unknown as {
        args: Record<string, bigint | string>;
        blockNumber: bigint;
        transactionHash: string;
      }[]; // newest first, as the API lists them

    // The whole ledger, page by page.
    const ledger: { delta: string; balance: string; reason: string; blockNumber: string }[] = [];
    let after: string | null = null;
    do {
      const page: {
        insuranceFund: {
          ledger: {
            edges: { node: (typeof ledger)[number] }[];
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
      } = await query(
        url,
        `query ($after: String) { insuranceFund { ledger(first: 250, after: $after) {
            edges { node { delta balance reason blockNumber } } pageInfo { hasNextPage endCursor } } } }`,
        { after },
      );
      ledger.push(...page.insuranceFund.ledger.edges.map((e) => e.node));
      after = page.insuranceFund.ledger.pageInfo.hasNextPage
        ? page.insuranceFund.ledger.pageInfo.endCursor
        : null;
    } while (after !== null);
    const reasons = ["FEE", "PENALTY", "BAD_DEBT_COVER", "DEPOSIT"];
    const fundLogs = await logs("InsuranceFundUpdated");
    expect(ledger.length).toBe(fundLogs.length);
    ledger.forEach((e, i) => {
      const l = fundLogs[i]!;
      expect(d18(e.delta)).toBe(l.args.delta);
      expect(d18(e.balance)).toBe(l.args.newBalance);
      expect(e.reason).toBe(reasons[Number(l.args.reason)]);
      expect(BigInt(e.blockNumber)).toBe(l.blockNumber);
    });
    expect(d18(ledger[0]!.balance)).toBe(book.insuranceFund);

    const liq = await query<{
      liquidations: {
        edges: { node: Record<string, string> }[];
        pageInfo: { hasNextPage: boolean };
      };
    }>(
      url,
      `{ liquidations(first: 1000) { edges { node { accountId liquidator equity maintenanceMargin
          notional keeperReward penaltyToInsurance insuranceCovered badDebt blockNumber transactionHash } }
          pageInfo { hasNextPage } } }`,
    );
    const liqLogs = await logs("AccountLiquidated");
    expect(liq.liquidations.pageInfo.hasNextPage).toBe(false);
    expect(liq.liquidations.edges.length).toBe(liqLogs.length);
    expect(liqLogs.length).toBe(chain.result.liquidations);
    liq.liquidations.edges.forEach(({ node }, i) => {
      const l = liqLogs[i]!;
      expect(node.accountId).toBe(l.args.accountId!.toString());
      expect(node.liquidator).toBe(String(l.args.liquidator).toLowerCase());
      for (const k of [
        "equity",
        "maintenanceMargin",
        "notional",
        "keeperReward",
        "penaltyToInsurance",
        "insuranceCovered",
        "badDebt",
      ] as const) {
        expect(d18(node[k]), k).toBe(l.args[k]);
      }
      expect(node.transactionHash).toBe(l.transactionHash);
    });
    expect(liq.liquidations.edges.some((e) => d18(e.node.badDebt) > 0n)).toBe(true);

    const adl = await query<{
      adlEvents: { edges: { node: Record<string, string | { id: string }> }[] };
    }>(
      url,
      `{ adlEvents(first: 1000) { edges { node { bankruptAccountId counterpartyAccountId market { id }
          sizeDelta bankruptcyPrice lossAbsorbed blockNumber } } } }`,
    );
    const adlLogs = await logs("PositionAutoDeleveraged");
    expect(adl.adlEvents.edges.length).toBe(adlLogs.length);
    expect(adlLogs.length).toBe(chain.result.adlEvents);
    adl.adlEvents.edges.forEach(({ node }, i) => {
      const l = adlLogs[i]!;
      expect(node.bankruptAccountId).toBe(l.args.bankruptAccountId!.toString());
      expect(node.counterpartyAccountId).toBe(l.args.counterpartyAccountId!.toString());
      expect((node.market as { id: string }).id).toBe(l.args.marketId!.toString());
      expect(d18(node.sizeDelta)).toBe(l.args.sizeDelta);
      expect(d18(node.bankruptcyPrice)).toBe(l.args.bankruptcyPrice);
      expect(d18(node.lossAbsorbed)).toBe(l.args.lossAbsorbed);
    });
  });

  it("pagination returns every account exactly once, in order, whatever the order and page size", async () => {
    const orders = ["MARGIN_RATIO_DESC", "MARGIN_RATIO_ASC", "NOTIONAL_DESC", "NOTIONAL_ASC"];
    let book: ChainBook | undefined;
    for (const [i, orderBy] of orders.entries()) {
      const first = [7, 13, 1, 100][i]!;
      const walk = await allAccounts("id", { orderBy, first });
      book ??= await readChainBook(chain.client.public, chain.manifest, walk.block);
      expect(book.block).toBe(walk.block);
      const ids = walk.nodes.map((n) => n.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(book.accounts.length);
      expect(walk.totalCount).toBe(book.accounts.length);
      const key = (a: ChainAccount) => (orderBy.startsWith("MARGIN") ? ratioKey(a) : a.notional);
      const desc = orderBy.endsWith("DESC");
      const expected = [...book.accounts]
        .sort((a, b) => {
          const ka = key(a);
          const kb = key(b);
          if (ka !== kb) return (ka < kb ? -1 : 1) * (desc ? -1 : 1);
          return a.id < b.id ? -1 : 1;
        })
        .map((a) => a.id.toString());
      expect(ids).toEqual(expected);
    }
  });

  it("a filter returns exactly the accounts that match it", async () => {
    const snapshot = await allAccounts("id owner");
    const book = await readChainBook(chain.client.public, chain.manifest, snapshot.block);
    const owner = book.accounts[4]!.owner;
    const cases: [Record<string, unknown>, (a: ChainAccount) => boolean][] = [
      [{ atRisk: true }, (a) => a.liquidatable],
      [{ atRisk: false }, (a) => !a.liquidatable],
      [{ marginRatioMin: "0.5" }, (a) => ratioKey(a) >= ONE / 2n],
      [{ marginRatioMax: "0.25" }, (a) => ratioKey(a) <= ONE / 4n],
      [
        { marginRatioMin: 0.1, marginRatioMax: "0.6" },
        (a) => ratioKey(a) >= ONE / 10n && ratioKey(a) <= (6n * ONE) / 10n,
      ],
      [{ minNotional: "100000" }, (a) => a.notional >= 100_000n * ONE],
      [{ marketId: "2" }, (a) => a.positions.has(2n)],
      [
        { marketId: "3", minNotional: "20000" },
        (a) => a.positions.has(3n) && a.notional >= 20_000n * ONE,
      ],
      [{ owner: owner.toUpperCase().replace("0X", "0x") }, (a) => a.owner === owner],
    ];
    for (const [filter, match] of cases) {
      const got = await allAccounts("id", { filter, first: 30 });
      expect(got.block).toBe(snapshot.block);
      const expected = book.accounts
        .filter(match)
        .map((a) => a.id.toString())
        .sort();
      expect([...got.nodes.map((n) => n.id)].sort(), JSON.stringify(filter)).toEqual(expected);
      expect(got.totalCount).toBe(expected.length);
    }
    // Not vacuous: most of the filters select some accounts but not all.
    const sizes = await Promise.all(
      cases.slice(2, 8).map(async ([filter]) => (await allAccounts("id", { filter })).nodes.length),
    );
    expect(sizes.filter((n) => n > 0 && n < book.accounts.length).length).toBeGreaterThanOrEqual(4);
  });

  it("nested lists are batched: one history query per kind of list, not one per row", async () => {
    const r = await post(
      url,
      `{ accounts(first: 100) { edges { node { id fundingPaid
          positions { market { symbol funding { rateNow } } liquidationPrice }
          trades(first: 3) { edges { node { kind market { symbol } } } }
          liquidations(first: 2) { edges { node { id account { id } } } } } } } }`,
    );
    expect(r.errors).toEqual([]);
    const edges = (r.data as unknown as AccountPage).accounts.edges;
    expect(edges.length).toBe(100);
    // realized funding, trades, liquidations: three queries for 100 accounts.
    expect(r.extensions?.perpwatch?.dbQueries).toBe(3);
  });

  it("analytics state their block and take their parameters as arguments", async () => {
    const data = await query<{
      indexingStatus: { indexedBlock: string; chainHead: string; lagBlocks: string; live: boolean };
      riskSummary: { block: string; accountsWithPositions: number; accountsAtRisk: number };
      liquidationLadder: { block: string; bins: { move: number; accounts: number }[] };
      cascade: {
        block: string;
        amplification: number | null;
        liquidatedAccounts: number;
        rounds: unknown[];
      };
      stress: { block: string; points: { shock: number }[] };
      varLar: { block: string; paths: number; badDebtVar99: number; liquidationsLar99: number };
      mirrorStatus: {
        block: string;
        inSync: boolean;
        eventsChecked: string;
        divergenceCount: string;
      };
    }>(
      url,
      `{ indexingStatus { indexedBlock chainHead lagBlocks live }
         riskSummary { block accountsWithPositions accountsAtRisk }
         liquidationLadder(marketId: "2", range: 0.2, step: 0.01) { block bins { move accounts } }
         cascade(shock: { marketId: "2", move: -0.2 }, impact: { model: SQUARE_ROOT, scale: 2 }, maxRounds: 10) {
           block amplification liquidatedAccounts rounds { round } }
         stress(shocks: [-0.4, -0.2, 0.2]) { block points { shock } }
         varLar(paths: 1000, seed: 3) { block paths badDebtVar99 liquidationsLar99 }
         mirrorStatus { block inSync eventsChecked divergenceCount } }`,
    );
    const block = BigInt(data.indexingStatus.indexedBlock);
    for (const b of [
      data.riskSummary.block,
      data.liquidationLadder.block,
      data.cascade.block,
      data.stress.block,
      data.varLar.block,
      data.mirrorStatus.block,
    ]) {
      expect(BigInt(b)).toBe(block);
    }
    expect(data.indexingStatus.live).toBe(true);
    expect(BigInt(data.indexingStatus.lagBlocks)).toBe(0n);
    expect(data.liquidationLadder.bins.length).toBe(41);
    expect(data.cascade.liquidatedAccounts).toBeGreaterThan(0);
    expect(data.stress.points.map((p) => p.shock)).toEqual([-0.4, -0.2, 0.2]);
    expect(data.varLar.paths).toBe(1000);
    expect(data.varLar.liquidationsLar99).toBeGreaterThanOrEqual(data.varLar.badDebtVar99 * 0);
    expect(data.mirrorStatus.inSync).toBe(true);
    expect(BigInt(data.mirrorStatus.eventsChecked)).toBeGreaterThan(1000n);
  });

  it("bad input gets one clear line and a stable code, never a stack trace or HTTP 500", async () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['{ market(id: "999") { id } }', {}, "NOT_FOUND", /^market "999" does not exist$/],
      ['{ account(id: "100000") { id } }', {}, "NOT_FOUND", /^account "100000" does not exist$/],
      [
        '{ account(id: "0xabc") { id } }',
        {},
        "BAD_USER_INPUT",
        /^id: expected a decimal account id/,
      ],
      [
        '{ riskSummary(marketId: "-1") { block } }',
        {},
        "BAD_USER_INPUT",
        /^marketId: expected a decimal market id/,
      ],
      [
        '{ liquidations(accountId: "4242") { edges { node { id } } } }',
        {},
        "NOT_FOUND",
        /account "4242"/,
      ],
      [
        '{ accounts(filter: { owner: "0x1234" }) { totalCount } }',
        {},
        "BAD_USER_INPUT",
        /^Address: expected a 0x-prefixed/,
      ],
      [
        "query ($o: Address) { accounts(filter: { owner: $o }) { totalCount } }",
        { o: "0xZZZZ000000000000000000000000000000000000" },
        "BAD_USER_INPUT",
        /Address: expected a 0x-prefixed/,
      ],
      [
        "{ accounts(first: -1) { totalCount } }",
        {},
        "BAD_USER_INPUT",
        /^first: expected an integer from 1 to 1000 \(got -1\)$/,
      ],
      [
        "{ accounts(first: 1001) { totalCount } }",
        {},
        "BAD_USER_INPUT",
        /^first: expected an integer from 1 to 1000/,
      ],
      [
        "query ($n: Int) { liquidations(first: $n) { edges { node { id } } } }",
        { n: 10_000_000 },
        "BAD_USER_INPUT",
        /^first: expected an integer from 1 to 1000/,
      ],
      [
        "{ accounts(first: 1099511627776) { totalCount } }",
        {},
        "BAD_USER_INPUT",
        /Int cannot represent/,
      ],
      [
        "{ cascade(shock: { move: -1 }) { block } }",
        {},
        "BAD_USER_INPUT",
        /^shock\.move: expected a fraction strictly between −1 and 1/,
      ],
      [
        "{ cascade(shock: { move: 1.5 }) { block } }",
        {},
        "BAD_USER_INPUT",
        /^shock\.move: expected/,
      ],
      [
        '{ cascade(shock: { marketId: "77", move: -0.1 }) { block } }',
        {},
        "NOT_FOUND",
        /market "77"/,
      ],
      [
        "{ stress(shocks: [0.1, -2]) { block } }",
        {},
        "BAD_USER_INPUT",
        /^shocks\[1\]: expected a fraction/,
      ],
      [
        "{ varLar(paths: 5) { block } }",
        {},
        "BAD_USER_INPUT",
        /^paths: expected an integer from 100 to 20000/,
      ],
      [
        '{ liquidationLadder(marketId: "1", range: 1.5) { block } }',
        {},
        "BAD_USER_INPUT",
        /^range: expected/,
      ],
      [
        '{ accounts(after: "bm90IGEgY3Vyc29y") { totalCount } }',
        {},
        "BAD_USER_INPUT",
        /^after: expected a cursor/,
      ],
      [
        "{ a0: markets { id } a1: markets { id } a2: markets { id } a3: markets { id } a4: markets { id } a5: markets { id } a6: markets { id } a7: markets { id } a8: markets { id } a9: markets { id } b0: markets { id } b1: markets { id } b2: markets { id } b3: markets { id } b4: markets { id } b5: markets { id } b6: markets { id } b7: markets { id } b8: markets { id } b9: markets { id } c0: markets { id } }",
        {},
        "TOO_MANY_ALIASES",
        /21 aliases/,
      ],
      [
        "{ liquidations { edges { node { account { liquidations { edges { node { account { positions { market { id } } } } } } } } } } }",
        {},
        "QUERY_TOO_DEEP",
        /depth 11 exceeds the limit of 10/,
      ],
      [
        "{ accounts(first: 1000) { edges { node { trades(first: 1000) { edges { node { id } } } } } } }",
        {},
        "QUERY_TOO_COSTLY",
        /^query cost \d+ exceeds the limit of 50000/,
      ],
      [`{ markets { ${"id ".repeat(2100)} } }`, {}, "TOO_MANY_TOKENS", /more than 2000 tokens/],
      ["{ markets { id ", {}, "GRAPHQL_PARSE_FAILED", /^Syntax Error/],
      ["{ markets { nope } }", {}, "GRAPHQL_VALIDATION_FAILED", /nope/],
    ];
    for (const [q, variables, code, message] of cases) {
      const r = await post(url, q, variables);
      // 200 with `errors`, or 400 where GraphQL over HTTP says the request itself is bad
      // (variables that do not coerce).
      expect([200, 400], q).toContain(r.status);
      expect(r.body, q).not.toMatch(/stack|\n\s+at |\.ts:\d+/);
      expect(r.errors.length, q).toBeGreaterThan(0);
      expect(r.errors[0]!.extensions?.code, q).toBe(code);
      expect(r.errors[0]!.message, q).toMatch(message);
      expect(r.errors[0]!.message, q).not.toContain("\n");
    }
    // A body over 1 MiB is refused before it is parsed.
    const huge = await post(url, `{ markets { id } } # ${"x".repeat(1_100_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.errors[0]!.extensions?.code).toBe("BAD_REQUEST");
    expect(huge.errors[0]!.message).toMatch(/request body over 1048576 bytes/);
  });

  it("a repeated query at one block is replayed from the response cache, byte for byte; errors and indexingStatus never are", async () => {
    const send = async (q: string, variables: Record<string, unknown> = {}, noCache = false) => {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: "https://dashboard.example",
          ...(noCache ? { "cache-control": "no-cache" } : {}),
        },
        body: JSON.stringify({ query: q, variables }),
      });
      // No CORS origin is configured: the allow-list (api/http/accessMiddleware.ts) drops
      // Ponder's `*` (test/api/security.test.ts sees an allowed origin survive the route).
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      return { cache: res.headers.get("x-perpwatch-cache"), body: await res.text() };
    };
    const q = `query ($id: ID!) { account(id: $id) { id equity marginRatio positions { size } } }`;
    const first = await send(q, { id: "2" });
    const again = await send(q, { id: "2" });
    expect(JSON.parse(first.body).errors).toBeUndefined();
    expect(again).toEqual({ cache: "hit", body: first.body });
    // Cache-Control: no-cache computes it again: the same answer at the same block.
    expect(await send(q, { id: "2" }, true)).toEqual({ cache: "miss", body: first.body });
    // Another body is another entry.
    expect((await send(q, { id: "3" })).body).not.toBe(first.body);
    // An error is never kept.
    const bad = `{ account(id: "999999") { id } }`;
    expect((await send(bad)).cache).toBe("miss");
    expect((await send(bad)).cache).toBe("miss");
    // indexingStatus reads the chain head, which moves without the indexer.
    const status = "{ indexingStatus { chainHead indexedBlock } }";
    await send(status);
    expect((await send(status)).cache).toBe("miss");
  });

  it("plain JSON queries (answered through yoga's envelop alone) equal yoga's full HTTP path, byte for byte", async () => {
    // `Accept: application/json` takes the plain path (api/http/plainQuery.ts); a list of accepted
    // types is left to yoga's own HTTP layer, which picks the same `application/json`. Both
    // computed (no-cache), at one block: every query here states its block or needs none.
    const send = async (body: string, accept: string) => {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept, "cache-control": "no-cache" },
        body,
      });
      return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
    };
    const corpus: [string, Record<string, unknown>?][] = [
      [
        `{ markets { id symbol price openInterestLong openInterestShort skew block
          funding { rateNow velocity index } params { imrMin mmScalar skewScale } } }`,
      ],
      [
        `{ market(id: "2") { block fundingHistory(interval: 60, last: 4) { time rate index blockNumber } } }`,
      ],
      [
        `query ($id: ID!) { account(id: $id) { ${ACCOUNT_FIELDS}
          trades(first: 5) { edges { cursor node { sizeDelta newSize kind } } pageInfo { hasNextPage endCursor } } } }`,
        { id: "2" },
      ],
      [
        `query ($after: String) { accounts(first: 7, after: $after, orderBy: MARGIN_RATIO_DESC, filter: { minNotional: "1" }) {
          totalCount edges { cursor node { id equity marginRatio } } pageInfo { hasNextPage endCursor } } }`,
        { after: null },
      ],
      [
        "{ riskSummary { block openInterestUsd accountsWithPositions accountsAtRisk liquidatableWithin { pct1 pct3 pct5 pct10 } insuranceFund pendingBadDebt amplificationAt10 adlLikely maxAbsFundingRate } }",
      ],
      [
        "{ insuranceFund { block balance pendingBadDebt coverage { block worstBadDebt coverageRatio } } }",
      ],
      [
        `{ liquidationLadder(marketId: "2", range: 0.2, step: 0.01) { block bins { move accounts } }
          cascade(shock: { marketId: "2", move: -0.2 }, impact: { model: SQUARE_ROOT, scale: 2 }, maxRounds: 10) {
            block amplification liquidatedAccounts rounds { round } } }`,
      ],
      ["{ mirrorStatus { block inSync eventsChecked divergenceCount } }"],
      // Errors raised while executing: classified and masked the same way.
      [`{ account(id: "999999") { id } markets { id } }`],
      [`{ cascade(shock: { marketId: "2", move: -1.5 }) { block } }`],
      ["query ($id: ID!) { account(id: $id) { id } }", { id: "not a number" }],
    ];
    let withErrors = 0;
    for (const [q, variables] of corpus) {
      const body = JSON.stringify({ query: q, variables: variables ?? {} });
      const plain = await send(body, "application/json");
      const full = await send(body, "application/json, */*");
      expect(plain, q).toEqual(full);
      expect(plain.type).toBe("application/json; charset=utf-8");
      if (JSON.parse(plain.body).errors) withErrors++;
    }
    expect(withErrors).toBe(3);
  });

  it("keeps Ponder's generated GraphQL at /ponder/graphql beside it", async () => {
    const r = await post<{ markets: { items: { marketId: string }[] } }>(
      `${ponder.url}/ponder/graphql`,
      "{ markets { items { marketId } } }",
    );
    expect(r.errors).toEqual([]);
    expect(r.data?.markets.items.length).toBe(5);
  });

  it("live: a crash reaches risk-summary subscribers, the at-risk filter follows, a liquidation is streamed", async () => {
    const client = chain.client;
    const exchange = chain.manifest.contracts.exchange as Address;
    const oracle = chain.manifest.contracts.oracle as Address;
    const risk = new SseSubscription<{ riskSummary: { block: string; accountsAtRisk: number } }>(
      url,
      "subscription { riskSummary { block accountsAtRisk } }",
    );
    const liquidations = new SseSubscription<{
      liquidations: {
        accountId: string;
        blockNumber: string;
        equity: string;
        transactionHash: string;
      };
    }>(url, "subscription { liquidations { accountId blockNumber equity transactionHash } }");
    try {
      const start = await apiAt(head);
      await risk.waitFor((e) => BigInt(e.riskSummary.block) === start);

      // ETH falls 15% in one block; every price is pushed, so all are fresh.
      const keeper = new TxSigner(client, ANVIL_KEYS.oracleKeeper);
      await keeper.syncNonce();
      const ids = [1n, 2n, 3n, 4n, 5n];
      const prices = await Promise.all(
        ids.map(async (id) => {
          const [p] = (await client.public.readContract({
            address: oracle,
            abi: priceOracleAbi,
            functionName: "getPrice",
            args: [id],
          })) as readonly [bigint, bigint];
          return id === 2n ? (p * 85n) / 100n : p;
        }),
      );
      const pushTx = await keeper.write(
        oracle,
        priceOracleAbi,
        "setPrices",
        [ids, prices],
        1_000_000n,
      );
      const [pushed] = await chain.producer.settle([pushTx], "price crash");
      const crashBlock = pushed!.blockNumber;

      const summary = await risk.waitFor((e) => BigInt(e.riskSummary.block) >= crashBlock);
      const crashBook = await readChainBook(
        client.public,
        chain.manifest,
        BigInt(summary.riskSummary.block),
      );
      const atRisk = crashBook.accounts.filter((a) => a.liquidatable && a.positions.size > 0);
      expect(atRisk.length).toBeGreaterThan(0);
      expect(summary.riskSummary.accountsAtRisk).toBe(atRisk.length);

      await apiAt(crashBlock);
      const filtered = await allAccounts("id liquidatable", { filter: { atRisk: true } });
      expect(filtered.block).toBe(crashBook.block);
      expect(filtered.nodes.map((n) => n.id).sort()).toEqual(
        crashBook.accounts
          .filter((a) => a.liquidatable)
          .map((a) => a.id.toString())
          .sort(),
      );

      // The liquidation keeper liquidates the first of them in the next block.
      const liquidator = new TxSigner(client, ANVIL_KEYS.liquidationKeeper);
      await liquidator.syncNonce();
      const victim = atRisk[0]!.id;
      const liqTx = await liquidator.write(
        exchange,
        perpExchangeAbi,
        "liquidate",
        [victim],
        3_000_000n,
      );
      const [receipt] = await chain.producer.settle([liqTx], "liquidation");
      const streamed = await liquidations.waitFor((e) => e.liquidations.transactionHash === liqTx);
      expect(streamed.liquidations.accountId).toBe(victim.toString());
      expect(BigInt(streamed.liquidations.blockNumber)).toBe(receipt!.blockNumber);
      const [log] = await client.public.getContractEvents({
        address: exchange,
        abi: perpExchangeAbi,
        eventName: "AccountLiquidated",
        blockHash: receipt!.blockHash,
      });
      expect(d18(streamed.liquidations.equity)).toBe(log!.args.equity);
      // Only liquidations indexed after subscribing were streamed.
      expect(liquidations.received.every((e) => BigInt(e.liquidations.blockNumber) > start)).toBe(
        true,
      );
      await risk.waitFor((e) => BigInt(e.riskSummary.block) >= receipt!.blockNumber);

      // The blocks since the first load were read as changes and merged: the whole book still
      // equals the chain's views.
      await apiAt(receipt!.blockNumber);
      const after = await allAccounts(
        "id collateral equity maintenanceMargin liquidatable positions { market { id } size entryPrice }",
      );
      const afterBook = await readChainBook(client.public, chain.manifest, after.block);
      const chainById = new Map(afterBook.accounts.map((a) => [a.id.toString(), a]));
      expect(after.nodes.length).toBe(afterBook.accounts.length);
      for (const a of after.nodes) {
        const c = chainById.get(a.id)!;
        expect(d18(a.collateral), a.id).toBe(c.collateral);
        expect(d18(a.equity), a.id).toBe(c.equity);
        expect(d18(a.maintenanceMargin), a.id).toBe(c.maintenanceMargin);
        expect(a.liquidatable, a.id).toBe(c.liquidatable);
        expect(
          a.positions.map((p) => [p.market.id, d18(p.size), d18(p.entryPrice)]),
          a.id,
        ).toEqual([...c.positions].map(([m, p]) => [m.toString(), p.size, p.lastPrice]));
      }
      expect(chainById.get(victim.toString())!.positions.size).toBe(0);
    } finally {
      await risk.close();
      await liquidations.close();
    }
  });
});
