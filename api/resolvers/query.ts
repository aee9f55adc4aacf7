/**
 * The `Query` root: argument checks, then the snapshot (current state, analytics) or the reader
 * (history pages). Every list is bounded (page size ≤ 1000, analytics arguments in range) and
 * every id is checked against the snapshot, so a wrong id is `NOT_FOUND`, not an empty answer.
 */
import {
  ACCOUNT_ORDERS,
  type AccountFilter,
  countMatching,
  keyFromText,
  keyText,
  pageAccounts,
} from "../accounts/accountQuery.js";
import type { ImpactChoice } from "../analytics/bookAnalytics.js";
import { riskSummary } from "../analytics/riskSummary.js";
import { accountById, blockBound, floatIn, intIn, marketById, optionalId } from "../args.js";
import type { ApiContext } from "../context.js";
import type { Snapshot } from "../data/snapshot.js";
import { apiError, badInput, ErrorCode, notFound } from "../errors.js";
import type {
  AccountFilter as AccountFilterInput,
  ImpactInput,
  InputMaybe,
  QueryResolvers,
  Scalars,
} from "../generated/schemaTypes.js";
import { AccountNode } from "../nodes/accountNode.js";
import {
  cascadeNode,
  ladderNode,
  riskSummaryNode,
  stressNode,
  varNode,
} from "../nodes/analyticsNodes.js";
import { eventConnection } from "../nodes/connection.js";
import { adlNode, divergenceNode, liquidationNode } from "../nodes/historyNodes.js";
import { InsuranceFundNode } from "../nodes/insuranceFundNode.js";
import { MarketNode } from "../nodes/marketNode.js";
import { decodeCursor, encodeCursor, pageSize } from "../pagination/cursor.js";
import { alertsQueryResolvers } from "./alertsQuery.js";
import { indexingLive } from "./indexingLive.js";

const SHOCK_RANGE = "a fraction strictly between −1 and 1 (−100% and +100%), such as −0.1";
const MAX_BINS = 2001;

type OptionalId = InputMaybe<Scalars["ID"]["input"]>;

/** The analytics (through admission control) of the exchange a root field reads. */
function analyticsFor(ctx: ApiContext, exchange: OptionalId | undefined) {
  return ctx.api.services(exchange).analytics;
}

function marketIfGiven(snap: Snapshot, arg: string, value: OptionalId | undefined) {
  return value === undefined || value === null ? null : marketById(snap, arg, value);
}

function accountIdIfGiven(
  snap: Snapshot,
  arg: string,
  value: OptionalId | undefined,
): bigint | undefined {
  const id = optionalId(arg, value, "account");
  if (id !== undefined && !snap.account(id)) throw notFound("account", id.toString());
  return id;
}

function eventAfter(value: InputMaybe<string> | undefined) {
  return typeof value === "string" ? decodeCursor("event", value) : undefined;
}

/**
 * The impact choice of a request; without a model, the exchange's own pool where its
 * liquidations trade against one (`mechanics.executesAt`), else the square-root law.
 */
export function parseImpact(
  value: InputMaybe<ImpactInput> | undefined,
  mechanics: { executesAt: "oracle" | "pool" } = { executesAt: "oracle" },
): {
  impact: ImpactChoice;
  spillover: boolean;
} {
  const v: ImpactInput = value ?? {};
  const model = v.model ?? (mechanics.executesAt === "pool" ? "POOL" : "SQUARE_ROOT");
  const scale = v.scale ?? 1;
  if (typeof scale !== "number" || !Number.isFinite(scale) || scale < 0 || scale > 100) {
    throw badInput("impact.scale", "a number from 0 to 100", scale);
  }
  const engineModel =
    model === "LINEAR_DEPTH"
      ? "linear"
      : model === "NONE"
        ? "none"
        : model === "POOL"
          ? "pool"
          : "sqrt";
  return { impact: { model: engineModel, scale }, spillover: v.spillover ?? true };
}

function accountFilter(
  snap: Snapshot,
  value: InputMaybe<AccountFilterInput> | undefined,
): AccountFilter {
  const f: AccountFilterInput = value ?? {};
  const out: AccountFilter = {};
  if (typeof f.atRisk === "boolean") out.atRisk = f.atRisk;
  if (typeof f.marginRatioMin === "bigint") out.marginRatioMin = f.marginRatioMin;
  if (typeof f.marginRatioMax === "bigint") out.marginRatioMax = f.marginRatioMax;
  if (typeof f.minNotional === "bigint") out.minNotional = f.minNotional;
  if (typeof f.owner === "string") out.owner = f.owner;
  if (f.marketId !== undefined && f.marketId !== null) {
    out.marketId = marketById(snap, "filter.marketId", f.marketId).market.marketId;
  }
  return out;
}

/**
 * Typed by the generated `QueryResolvers` (api/generated/schemaTypes.ts): each resolver's `args`
 * is its field's arguments as schema.graphql declares them, an argument with a default present
 * (but still null when a client sends null), so the checks below stay.
 */
export const queryResolvers = {
  ...alertsQueryResolvers,

  exchanges(_, _args, ctx) {
    return [...ctx.api.all.values()].map(({ exchange: x }) => ({
      id: x.id,
      protocol: x.protocol,
      chainId: x.chainId,
      adlSupported: x.mechanics.adlSupported,
      liquidationsExecuteAt: x.mechanics.executesAt.toUpperCase(),
    }));
  },

  async markets(_, args, ctx) {
    const snap = await ctx.api.snapshot(args.exchange);
    return snap.markets.map((m) => new MarketNode(snap, m));
  },

  async market(_, args, ctx) {
    const snap = await ctx.api.snapshot(args.exchange);
    return new MarketNode(snap, marketById(snap, "id", args.id));
  },

  async accounts(_, args, ctx) {
    const first = pageSize(args.first);
    const order = args.orderBy;
    if (order === null || !ACCOUNT_ORDERS.includes(order))
      throw badInput("orderBy", ACCOUNT_ORDERS.join(", "), order);
    let snap: Snapshot;
    let after: { key: ReturnType<typeof keyFromText>; id: bigint } | undefined;
    if (typeof args.after === "string") {
      const c = decodeCursor("account", args.after);
      if (c.order !== order) {
        throw badInput("after", `a cursor from a page ordered by ${order}`, c.order);
      }
      const pinned = ctx.api.services(args.exchange).snapshots.pinned(c.checkpoint);
      if (!pinned) {
        throw apiError(
          ErrorCode.CURSOR_EXPIRED,
          `after: the cursor's block is no longer kept (the API keeps the last ${ctx.api.services(args.exchange).config.keptSnapshots} blocks); start again without \`after\``,
        );
      }
      snap = pinned;
      after = { key: keyFromText(c.key), id: c.id };
    } else {
      snap = await ctx.api.snapshot(args.exchange);
    }
    const filter = accountFilter(snap, args.filter);
    const sorted = snap.sorted(order);
    const page = pageAccounts(sorted, filter, first, after);
    const edges = page.items.map((item) => ({
      cursor: encodeCursor({
        kind: "account",
        order,
        checkpoint: snap.at.checkpoint,
        key: keyText(item.key),
        id: item.facts.id,
      }),
      node: new AccountNode(snap, snap.account(item.facts.id)!),
    }));
    return {
      block: snap.block,
      timestamp: snap.timestamp,
      totalCount: () => countMatching(sorted, filter),
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    };
  },

  async account(_, args, ctx) {
    const snap = await ctx.api.snapshot(args.exchange);
    return new AccountNode(snap, accountById(snap, "id", args.id));
  },

  async liquidations(_, args, ctx) {
    const limit = pageSize(args.first);
    const after = eventAfter(args.after);
    const snap = await ctx.api.snapshot(args.exchange);
    const page = await ctx.api.reader(args.exchange).liquidations({
      maxBlock: snap.block,
      accountId: accountIdIfGiven(snap, "accountId", args.accountId),
      fromBlock: blockBound("fromBlock", args.fromBlock),
      toBlock: blockBound("toBlock", args.toBlock),
      after,
      limit,
    });
    return eventConnection(page, (r) => liquidationNode(snap, r));
  },

  async adlEvents(_, args, ctx) {
    const limit = pageSize(args.first);
    const after = eventAfter(args.after);
    const snap = await ctx.api.snapshot(args.exchange);
    const page = await ctx.api.reader(args.exchange).adlEvents({
      maxBlock: snap.block,
      marketId: marketIfGiven(snap, "marketId", args.marketId)?.market.marketId,
      bankruptAccountId: accountIdIfGiven(snap, "bankruptAccountId", args.bankruptAccountId),
      counterpartyAccountId: accountIdIfGiven(
        snap,
        "counterpartyAccountId",
        args.counterpartyAccountId,
      ),
      fromBlock: blockBound("fromBlock", args.fromBlock),
      toBlock: blockBound("toBlock", args.toBlock),
      after,
      limit,
    });
    return eventConnection(page, (r) => adlNode(snap, r));
  },

  async insuranceFund(_, args, ctx) {
    const snap = await ctx.api.snapshot(args.exchange);
    return new InsuranceFundNode(snap);
  },

  async riskSummary(_, args, ctx) {
    const snap = await ctx.api.snapshot(args.exchange);
    const market = marketIfGiven(snap, "marketId", args.marketId);
    return riskSummaryNode(snap, riskSummary(snap, market));
  },

  async liquidationLadder(_, args, ctx) {
    const range = floatIn("range", args.range, 0, 1, "a fraction above 0 and below 1, such as 0.5");
    const step = floatIn(
      "step",
      args.step,
      0,
      range + Number.EPSILON,
      `a fraction above 0 and at most range (${range})`,
    );
    const bins = 2 * Math.round(range / step) + 1;
    if (bins > MAX_BINS) {
      throw badInput("step", `a step giving at most ${MAX_BINS} bins (range/step ≤ 1000)`, step);
    }
    const snap = await ctx.api.snapshot(args.exchange);
    const market = marketById(snap, "marketId", args.marketId);
    const marketId = market.market.marketId;
    const ladder = await analyticsFor(ctx, args.exchange).compute(snap, {
      kind: "ladder",
      marketId,
      range,
      step,
    });
    return ladderNode(snap, market, ladder);
  },

  async cascade(_, args, ctx) {
    const { shock } = args;
    const move = floatIn("shock.move", shock.move, -1, 1, SHOCK_RANGE);
    const maxRounds = intIn("maxRounds", args.maxRounds, 1, 100);
    const { impact, spillover } = parseImpact(
      args.impact,
      ctx.api.services(args.exchange).exchange.mechanics,
    );
    const snap = await ctx.api.snapshot(args.exchange);
    const market = marketIfGiven(snap, "shock.marketId", shock.marketId);
    const result = await analyticsFor(ctx, args.exchange).compute(snap, {
      kind: "cascade",
      marketId: market?.market.marketId,
      move,
      impact,
      maxRounds,
      spillover,
    });
    return cascadeNode(snap, result);
  },

  async stress(_, args, ctx) {
    let shocks: number[] | undefined;
    if (Array.isArray(args.shocks)) {
      if (args.shocks.length < 1 || args.shocks.length > 200) {
        throw badInput("shocks", "1 to 200 shocks", `${args.shocks.length} shocks`);
      }
      shocks = args.shocks.map((x, i) => floatIn(`shocks[${i}]`, x, -1, 1, SHOCK_RANGE));
    }
    const { impact } = parseImpact(args.impact, ctx.api.services(args.exchange).exchange.mechanics);
    const withImpact = args.withImpact !== false;
    const snap = await ctx.api.snapshot(args.exchange);
    const market = marketIfGiven(snap, "marketId", args.marketId);
    const grid = await analyticsFor(ctx, args.exchange).compute(snap, {
      kind: "stress",
      shocks,
      withImpact,
      impact,
      marketId: market?.market.marketId,
    });
    return stressNode(snap, grid, withImpact);
  },

  async varLar(_, args, ctx) {
    const paths = intIn("paths", args.paths, 100, 20_000);
    const seed = intIn("seed", args.seed, 0, 2_147_483_647);
    const snap = await ctx.api.snapshot(args.exchange);
    const figures = await analyticsFor(ctx, args.exchange).compute(snap, {
      kind: "var",
      paths,
      seed,
    });
    return varNode(snap, figures);
  },

  async mirrorStatus(_, args, ctx) {
    const limit = pageSize(args.first);
    const after = eventAfter(args.after);
    const snap = await ctx.api.snapshot(args.exchange);
    const reader = ctx.api.reader(args.exchange);
    const [summary, page] = await Promise.all([
      snap.cached("mirrorSummary", () =>
        reader.mirrorSummary(snap.block).catch((err: unknown) => {
          snap.memo.delete("mirrorSummary");
          throw err;
        }),
      ),
      reader.divergences({ maxBlock: snap.block, after, limit }),
    ]);
    const conn = eventConnection(page, divergenceNode);
    return {
      block: snap.block,
      checkedThroughBlock: summary.checkedThroughBlock,
      eventsChecked: summary.eventsChecked,
      divergenceCount: summary.divergences,
      inSync: summary.divergences === 0n,
      divergences: conn.edges.map((e) => e.node),
      pageInfo: conn.pageInfo,
    };
  },

  async indexingStatus(_, args, ctx) {
    // The chain head moves without the indexer: never replay this from the response cache.
    ctx.api.uncacheable = true;
    const snap = await ctx.api.snapshot(args.exchange);
    const { chain, reader } = ctx.api.services(args.exchange);
    const [head, ready] = await Promise.all([
      chain ? chain.latest() : Promise.resolve({ number: snap.block, timestamp: snap.timestamp }),
      reader.isReady(),
    ]);
    const headBlock =
      head.number > snap.block ? head : { number: snap.block, timestamp: snap.timestamp };
    const lagBlocks = headBlock.number - snap.block;
    const lagSeconds = Math.max(0, Number(headBlock.timestamp - snap.timestamp));
    return {
      chainHead: headBlock.number,
      chainHeadTime: headBlock.timestamp,
      indexedBlock: snap.block,
      indexedTime: snap.timestamp,
      lagBlocks,
      lagSeconds,
      live: indexingLive(ready, lagBlocks, lagSeconds),
    };
  },
} satisfies QueryResolvers;
