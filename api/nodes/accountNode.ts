/**
 * `Account` and `Position`: an account at the served block — the exact engine's health of it
 * (snapshot.ts), its open positions with their liquidation prices (analytics), and its history
 * through the request's DataLoaders.
 */
import { analyticsOf } from "../analytics/bookAnalytics.js";
import type { ArgsOf } from "../args.js";
import type { ApiContext } from "../context.js";
import type { AccountRow } from "../data/rows.js";
import type { PositionAt, Snapshot } from "../data/snapshot.js";
import type { AccountResolvers } from "../generated/schemaTypes.js";
import { decodeCursor, pageSize } from "../pagination/cursor.js";
import { eventConnection } from "./connection.js";
import { liquidationNode, tradeNode } from "./historyNodes.js";
import { MarketNode } from "./marketNode.js";

/** `Account.trades` and `Account.liquidations` take the same page arguments. */
type PageArgs = ArgsOf<AccountResolvers, "trades"> & ArgsOf<AccountResolvers, "liquidations">;

function pageKey(accountId: bigint, args: PageArgs) {
  const limit = pageSize(args.first);
  const afterText = args.after ?? undefined;
  const after = afterText === undefined ? undefined : decodeCursor("event", afterText);
  return { accountId, limit, after, afterText };
}

export class PositionNode {
  constructor(
    private readonly snap: Snapshot,
    private readonly account: AccountRow,
    private readonly p: PositionAt,
  ) {}
  get market() {
    return new MarketNode(this.snap, this.snap.market(this.p.marketId)!);
  }
  get size() {
    return this.p.size;
  }
  get entryPrice() {
    return this.p.entryPrice;
  }
  get entryFundingIndex() {
    return this.p.entryFundingIndex;
  }
  get notional() {
    return this.p.notional;
  }
  get unrealizedPnl() {
    return this.p.unrealizedPnl;
  }
  get unrealizedFunding() {
    return this.p.unrealizedFunding;
  }
  get initialMargin() {
    return this.p.initialMargin;
  }
  get maintenanceMargin() {
    return this.p.maintenanceMargin;
  }
  get liquidationPrice() {
    return analyticsOf(this.snap).liquidationPrice(this.account.account.accountId, this.p.marketId);
  }
}

export class AccountNode {
  constructor(
    readonly snap: Snapshot,
    readonly row: AccountRow,
  ) {}
  private get h() {
    return this.snap.health(this.row);
  }
  get id() {
    return this.row.account.accountId.toString();
  }
  get owner() {
    return this.row.account.owner;
  }
  get block() {
    return this.snap.block;
  }
  get collateral() {
    return this.row.account.collateral;
  }
  get equity() {
    return this.h.health.equity;
  }
  get initialMargin() {
    return this.h.health.initialMargin;
  }
  get maintenanceMargin() {
    return this.h.health.maintenanceMargin;
  }
  get notional() {
    return this.h.health.notional;
  }
  get freeMargin() {
    return this.h.health.equity - this.h.health.initialMargin;
  }
  get marginRatio() {
    return this.h.marginRatio;
  }
  get liquidatable() {
    return this.h.liquidatable;
  }
  get positions() {
    return this.snap.positions(this.row).map((p) => new PositionNode(this.snap, this.row, p));
  }
  get unrealizedFunding() {
    return this.snap.positions(this.row).reduce((s, p) => s + p.unrealizedFunding, 0n);
  }
  get createdBlock() {
    return this.row.createdBlock;
  }
  get updatedBlock() {
    return this.row.updatedBlock;
  }
  async fundingPaid(_args: unknown, ctx: ApiContext) {
    const received = await ctx.api
      .loaders(this.snap)
      .realizedFunding.load(this.row.account.accountId);
    return -received;
  }
  async trades(args: PageArgs, ctx: ApiContext) {
    const key = pageKey(this.row.account.accountId, args);
    const page = await ctx.api.loaders(this.snap).trades.load(key);
    return eventConnection(page, (r) => tradeNode(this.snap, r));
  }
  async liquidations(args: PageArgs, ctx: ApiContext) {
    const key = pageKey(this.row.account.accountId, args);
    const page = await ctx.api.loaders(this.snap).accountLiquidations.load(key);
    return eventConnection(page, (r) => liquidationNode(this.snap, r));
  }
}
