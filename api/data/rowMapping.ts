/**
 * The indexer's current-state table rows (drizzle's shapes) as the API's row types (rows.ts):
 * one place for the mapping, used by the consistent read of the tables (ponderReader.ts) and by
 * the pre-images of Ponder's reorg log (reorgLog.ts), which must come out the same.
 */
import type { Position } from "../../engine/risk/book.js";
import { accountFromRows, marketFromRow, positionFromRow } from "../../engine/risk/readModel.js";
import type * as ponderSchema from "../../ponder.schema.js";
import type { AccountRow, ExchangeRow, MarketRow } from "./rows.js";

type Tables = typeof ponderSchema;
export type ExchangeTableRow = Tables["exchange"]["$inferSelect"];
export type MarketTableRow = Tables["market"]["$inferSelect"];
export type PriceTableRow = Tables["oraclePrice"]["$inferSelect"];
export type PositionTableRow = Tables["position"]["$inferSelect"];
export type AccountTableRow = Pick<
  Tables["account"]["$inferSelect"],
  "accountId" | "owner" | "collateral" | "openMarkets" | "createdBlock" | "updatedBlock"
>;

export function exchangeRowOf(e: ExchangeTableRow): ExchangeRow {
  return {
    id: e.id,
    protocol: e.protocol,
    chainId: e.chainId,
    address: e.address.toLowerCase(),
    maxPriceAge: e.maxPriceAge,
    insuranceFund: e.insuranceFund,
    accountCount: e.accountCount,
    marketCount: e.marketCount,
  };
}

export function marketRowOf(m: MarketTableRow): MarketRow {
  return {
    market: marketFromRow(m),
    price: m.price,
    priceTime: m.priceTime,
    createdBlock: m.createdBlock,
    updatedBlock: m.updatedBlock,
  };
}

/** An account without its positions (the book fills them in). */
export function accountRowOf(a: AccountTableRow): AccountRow {
  return {
    account: accountFromRows(a),
    createdBlock: a.createdBlock,
    updatedBlock: a.updatedBlock,
  };
}

export interface PositionOf {
  accountId: bigint;
  marketId: bigint;
  position: Position;
}

export function positionRowOf(p: PositionTableRow): PositionOf {
  return { accountId: p.accountId, marketId: p.marketId, position: positionFromRow(p) };
}
