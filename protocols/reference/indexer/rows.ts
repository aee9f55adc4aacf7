/**
 * Conversions between table rows and the exact engine's plain data.
 *
 * Why one file: the tables are the mirror's storage — the engine's `Market`, `Account`,
 * `Position` and `AdlRecord` are loaded from rows before an operation and written back after
 * it — so the mapping between the two must be exact and in one place. Column names follow
 * the contract where they can; the two renamings (`fundingRate`/`fundingIndex`/`fundingTime`
 * for the market's `lastFunding*` checkpoint, and `bad_debt` rows for ADL records) are here.
 */

import type {
  account,
  badDebt,
  exchange,
  market,
  oraclePrice,
  position,
} from "../../../ponder.schema.js";
import {
  type Account,
  type AdlRecord,
  fundingVelocity,
  type Health,
  isLiquidatable,
  type Market,
  type MarketParams,
  marginRatio,
  type OraclePrice,
  type Position,
} from "../engine/index.js";

export type ExchangeRow = typeof exchange.$inferSelect;
export type MarketRow = typeof market.$inferSelect;
export type OraclePriceRow = typeof oraclePrice.$inferSelect;
export type AccountRow = typeof account.$inferSelect;
export type PositionRow = typeof position.$inferSelect;
export type BadDebtRow = typeof badDebt.$inferSelect;

export function paramsOf(r: MarketRow): MarketParams {
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

export function marketFromRow(r: MarketRow): Market {
  return {
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
}

/** The market's row values (all but the key and `createdBlock`) after the engine changed it. */
export function marketValues(m: Market, price: OraclePrice, blockNumber: bigint) {
  const s = m.state;
  return {
    symbol: m.symbol,
    ...m.params,
    price: price.price,
    priceTime: price.publishTime,
    skew: s.skew,
    sizeLong: s.sizeLong,
    sizeShort: s.sizeShort,
    fundingRate: s.lastFundingRate,
    fundingVelocity: fundingVelocity(s.skew, m.params),
    fundingIndex: s.lastFundingIndex,
    fundingTime: s.lastFundingTime,
    badDebt: s.badDebt,
    updatedBlock: blockNumber,
  };
}

export function positionFromRow(r: PositionRow): Position {
  return { size: r.size, lastPrice: r.lastPrice, lastFundingIndex: r.lastFundingIndex };
}

export function adlRecordFromRow(r: BadDebtRow): AdlRecord {
  return { size: r.size, debt: r.debt };
}

/** An engine account from its row and the position / ADL-record rows loaded with it. */
export function accountFromRows(
  r: AccountRow,
  positions: readonly PositionRow[],
  records: readonly BadDebtRow[],
): Account {
  const ps: Record<string, Position> = {};
  for (const p of positions) if (p.size !== 0n) ps[p.marketId.toString()] = positionFromRow(p);
  const rs: Record<string, AdlRecord> = {};
  for (const b of records) {
    if (b.size !== 0n || b.debt !== 0n) rs[b.marketId.toString()] = adlRecordFromRow(b);
  }
  return {
    accountId: r.accountId,
    owner: r.owner.toLowerCase() as Account["owner"],
    collateral: r.collateral,
    openMarkets: r.openMarkets,
    positions: ps,
    adlRecords: rs,
  };
}

/** Health columns of an account row from the engine's `Health` at a block. */
export function healthValues(h: Health, blockNumber: bigint, timestamp: bigint) {
  return {
    equity: h.equity,
    initialMargin: h.initialMargin,
    maintenanceMargin: h.maintenanceMargin,
    notional: h.notional,
    marginRatio: marginRatio(h),
    liquidatable: isLiquidatable(h),
    healthBlock: blockNumber,
    healthTimestamp: timestamp,
  };
}

export const ZERO_HEALTH: Health = {
  equity: 0n,
  initialMargin: 0n,
  maintenanceMargin: 0n,
  notional: 0n,
};
