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
import { fundingVelocity, type Market, type OraclePrice } from "../engine/index.js";

export {
  accountFromRows,
  adlRecordFromRow,
  marketFromRow,
  paramsOf,
  positionFromRow,
} from "../../../engine/risk/readModel.js";

export type ExchangeRow = typeof exchange.$inferSelect;
export type MarketRow = typeof market.$inferSelect;
export type OraclePriceRow = typeof oraclePrice.$inferSelect;
export type AccountRow = typeof account.$inferSelect;
export type PositionRow = typeof position.$inferSelect;
export type BadDebtRow = typeof badDebt.$inferSelect;

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
