/**
 * The append-only history tables, written from the chain's events as emitted.
 *
 * Why from the chain and not from the mirror: history is a record of what happened on chain
 * (the mirror's opinion is in `mirror_check`); and writing it needs no state, so it is one
 * insert per log, the same cost as storing the raw log.
 */

import {
  adlEvent,
  badDebtUpdate,
  collateralChange,
  fundingUpdate,
  insuranceFundUpdate,
  liquidation,
  positionChange,
  priceUpdate,
} from "../../../ponder.schema.js";
import { InsuranceReason, PositionChange } from "../engine/index.js";
import type { AnyChainEvent, Db } from "./types.js";

const POSITION_KIND: Record<number, string> = {
  [PositionChange.Trade]: "trade",
  [PositionChange.Liquidation]: "liquidation",
  [PositionChange.Adl]: "adl",
};

const INSURANCE_REASON: Record<number, string> = {
  [InsuranceReason.Fee]: "fee",
  [InsuranceReason.Penalty]: "penalty",
  [InsuranceReason.BadDebtCover]: "bad_debt_cover",
  [InsuranceReason.Deposit]: "deposit",
};

export function positionKindName(kind: number): string {
  return POSITION_KIND[kind] ?? `unknown(${kind})`;
}

export function insuranceReasonName(reason: number): string {
  return INSURANCE_REASON[reason] ?? `unknown(${reason})`;
}

/** Appends the history row of `ev`, if its kind of event has a history table. */
export async function recordHistory(db: Db, ev: AnyChainEvent): Promise<void> {
  const at = { blockNumber: ev.blockNumber, logIndex: ev.logIndex };
  const tx = { timestamp: ev.timestamp, txHash: ev.txHash };
  switch (ev.name) {
    case "PriceUpdated":
      await db.insert(priceUpdate).values({ id: ev.id, exchange: ev.exchange, ...ev.args, ...at });
      return;
    case "FundingUpdated":
      await db
        .insert(fundingUpdate)
        .values({ id: ev.id, exchange: ev.exchange, ...ev.args, ...at });
      return;
    case "PositionModified":
      await db.insert(positionChange).values({
        id: ev.id,
        exchange: ev.exchange,
        ...ev.args,
        kind: positionKindName(ev.args.kind),
        ...at,
        ...tx,
      });
      return;
    case "CollateralModified":
      await db
        .insert(collateralChange)
        .values({ id: ev.id, exchange: ev.exchange, ...ev.args, ...at, ...tx });
      return;
    case "AccountLiquidated":
      await db
        .insert(liquidation)
        .values({ id: ev.id, exchange: ev.exchange, ...ev.args, ...at, ...tx });
      return;
    case "PositionAutoDeleveraged":
      await db
        .insert(adlEvent)
        .values({ id: ev.id, exchange: ev.exchange, ...ev.args, ...at, ...tx });
      return;
    case "BadDebtRecorded":
      await db
        .insert(badDebtUpdate)
        .values({ id: ev.id, exchange: ev.exchange, ...ev.args, ...at, ...tx });
      return;
    case "InsuranceFundUpdated":
      await db.insert(insuranceFundUpdate).values({
        id: ev.id,
        exchange: ev.exchange,
        delta: ev.args.delta,
        newBalance: ev.args.newBalance,
        reason: insuranceReasonName(ev.args.reason),
        ...at,
        ...tx,
      });
      return;
    default:
      return;
  }
}
