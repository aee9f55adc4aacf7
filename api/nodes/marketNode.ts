/**
 * `Market`, `MarketParams`, `Funding` and `FundingPoint`: a market at the served block.
 *
 * Each GraphQL type is a class whose getters and methods are its fields (graphql-js's default
 * resolver reads a property or calls a method with `(args, context)`), so a field is computed
 * only when selected and every figure sits next to the one it is derived from.
 */
import { mulD } from "../../engine/analytics/d18.js";
import { type ArgsOf, intIn } from "../args.js";
import type { ApiContext } from "../context.js";
import type { FundingPointRow, MarketRow } from "../data/rows.js";
import type { Snapshot } from "../data/snapshot.js";
import { badInput } from "../errors.js";
import type { MarketResolvers } from "../generated/schemaTypes.js";

const WEEK = 604_800;

export class FundingNode {
  constructor(
    private readonly snap: Snapshot,
    private readonly row: MarketRow,
  ) {}
  private get f() {
    return this.snap.funding(this.row);
  }
  get rateNow() {
    return this.f.rate;
  }
  get rateAnnualized() {
    return this.f.rate * 365n;
  }
  get ratePredictedNextHour() {
    return this.f.rateInOneHour;
  }
  get velocity() {
    return this.f.velocity;
  }
  get index() {
    return this.f.index;
  }
  get lastRate() {
    return this.row.market.state.lastFundingRate;
  }
  get lastIndex() {
    return this.row.market.state.lastFundingIndex;
  }
  get lastCheckpoint() {
    const t = this.row.market.state.lastFundingTime;
    return t === 0n ? null : t;
  }
}

export function fundingPoint(r: FundingPointRow) {
  return {
    time: r.bucketStart,
    updatedAt: r.timestamp,
    rate: r.fundingRate,
    velocity: r.fundingVelocity,
    index: r.fundingIndex,
    price: r.price,
    skew: r.skew,
    blockNumber: r.blockNumber,
  };
}

export class MarketNode {
  constructor(
    readonly snap: Snapshot,
    readonly row: MarketRow,
  ) {}
  private get id_() {
    return this.row.market.marketId;
  }
  get id() {
    return this.id_.toString();
  }
  get symbol() {
    return this.row.market.symbol;
  }
  get block() {
    return this.snap.block;
  }
  get params() {
    return this.row.market.params;
  }
  get price() {
    return this.snap.price(this.id_);
  }
  get priceTime() {
    const t = this.snap.publishTime(this.id_);
    return t === 0n ? null : t;
  }
  get openInterestLong() {
    return this.row.market.state.sizeLong;
  }
  get openInterestShort() {
    return this.row.market.state.sizeShort;
  }
  get openInterestUsd() {
    const s = this.row.market.state;
    return mulD(s.sizeLong + s.sizeShort, this.price);
  }
  get skew() {
    return this.row.market.state.skew;
  }
  get skewRatio() {
    const scale = this.row.market.params.skewScale;
    return scale === 0n ? 0 : Number(this.row.market.state.skew) / Number(scale);
  }
  get funding() {
    return new FundingNode(this.snap, this.row);
  }
  get pendingBadDebt() {
    return this.row.market.state.badDebt;
  }
  get updatedBlock() {
    return this.row.updatedBlock;
  }
  async fundingHistory(args: ArgsOf<MarketResolvers, "fundingHistory">, ctx: ApiContext) {
    const interval = intIn("interval", args.interval, 1, WEEK);
    const last = intIn("last", args.last, 1, 1000);
    const from = args.from ?? undefined;
    const to = args.to ?? undefined;
    if (from !== undefined && to !== undefined && to <= from) {
      throw badInput("to", "a time after `from`", String(to));
    }
    const rows = await ctx.api
      .loaders(this.snap)
      .fundingHistory.load({ marketId: this.id_, interval, from, to, last });
    return rows.map(fundingPoint);
  }
}
