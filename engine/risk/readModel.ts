/**
 * The read model: the indexer's normalized table rows (ponder.schema.ts) as the normalized
 * book's values (book.ts). One place for the mapping, used by a mirror reloading itself from
 * the tables and by the API reading them; the row types are the columns each needs, so a
 * drizzle row of the table fits as it is.
 */
import type { Account, Address, AdlRecord, Market, MarketParams, Position } from "./book.js";
import { decodeCurve } from "./liquidityCurve.js";

/** The `market` table's columns the book needs. */
export interface MarketTableRow extends MarketParams {
  marketId: bigint;
  symbol: string;
  skew: bigint;
  sizeLong: bigint;
  sizeShort: bigint;
  fundingRate: bigint;
  fundingIndex: bigint;
  fundingTime: bigint;
  badDebt: bigint;
  fundingGrowth?: bigint | null;
  liquidity?: string | null;
}

/** The `account` table's columns the book needs. */
export interface AccountTableRow {
  accountId: bigint;
  owner: string;
  collateral: bigint;
  openMarkets: bigint;
}

export interface PositionTableRow {
  marketId: bigint;
  size: bigint;
  lastPrice: bigint;
  lastFundingIndex: bigint;
  quoteBalance?: bigint | null;
  fundingGrowth?: bigint | null;
}

export interface BadDebtTableRow {
  marketId: bigint;
  /** The bankrupt side of the record (one record per market and side). */
  isLong: boolean;
  size: bigint;
  debt: bigint;
}

export function paramsOf(r: MarketParams): MarketParams {
  return {
    skewScale: r.skewScale,
    maxFundingVelocity: r.maxFundingVelocity,
    imrScalar: r.imrScalar,
    imrMin: r.imrMin,
    mmScalar: r.mmScalar,
    minPositionMargin: r.minPositionMargin,
    takerFee: r.takerFee,
    keeperRewardRatio: r.keeperRewardRatio,
    maxKeeperReward: r.maxKeeperReward,
    liquidationPenaltyRatio: r.liquidationPenaltyRatio,
    maxOpenInterest: r.maxOpenInterest,
  };
}

export function marketFromRow(r: MarketTableRow): Market {
  const market: Market = {
    marketId: r.marketId,
    symbol: r.symbol,
    params: paramsOf(r),
    state: {
      skew: r.skew,
      sizeLong: r.sizeLong,
      sizeShort: r.sizeShort,
      lastFundingRate: r.fundingRate,
      lastFundingIndex: r.fundingIndex,
      lastFundingTime: r.fundingTime,
      badDebt: r.badDebt,
    },
  };
  if (r.fundingGrowth !== undefined && r.fundingGrowth !== null) {
    market.state.fundingGrowth = r.fundingGrowth;
  }
  if (typeof r.liquidity === "string") market.venue = decodeCurve(r.liquidity);
  return market;
}

export function positionFromRow(r: PositionTableRow): Position {
  const p: Position = {
    size: r.size,
    lastPrice: r.lastPrice,
    lastFundingIndex: r.lastFundingIndex,
  };
  if (r.quoteBalance !== undefined && r.quoteBalance !== null) p.quoteBalance = r.quoteBalance;
  if (r.fundingGrowth !== undefined && r.fundingGrowth !== null) p.fundingGrowth = r.fundingGrowth;
  return p;
}

export function adlRecordFromRow(r: BadDebtTableRow): AdlRecord {
  return { size: r.size, debt: r.debt };
}

/** An account from its row and its position / bad-debt rows (open and non-zero ones kept). */
export function accountFromRows(
  r: AccountTableRow,
  positions: readonly PositionTableRow[] = [],
  records: readonly BadDebtTableRow[] = [],
): Account {
  const ps: Record<string, Position> = {};
  for (const p of positions) if (p.size !== 0n) ps[p.marketId.toString()] = positionFromRow(p);
  const rs: Record<string, AdlRecord> = {};
  for (const b of records) {
    // keyed as the reference engine's adlKey: "<market id>:long" / "<market id>:short"
    const key = `${b.marketId}:${b.isLong ? "long" : "short"}`;
    if (b.size !== 0n || b.debt !== 0n) rs[key] = adlRecordFromRow(b);
  }
  return {
    accountId: r.accountId,
    owner: r.owner.toLowerCase() as Address,
    collateral: r.collateral,
    openMarkets: r.openMarkets,
    positions: ps,
    adlRecords: rs,
  };
}
