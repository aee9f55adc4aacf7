/**
 * History rows as GraphQL objects: `Trade`, `Liquidation`, `AdlEvent`, `InsuranceLedgerEntry`,
 * `MirrorDivergence`. Plain objects of the row's values; links to current objects (`market`,
 * `account`) are resolved from the same snapshot, in memory.
 */
import type { AdlRow, DivergenceRow, LedgerRow, LiquidationRow, TradeRow } from "../data/rows.js";
import type { Snapshot } from "../data/snapshot.js";
import { AccountNode } from "./accountNode.js";
import { MarketNode } from "./marketNode.js";

function marketOf(snap: Snapshot, id: bigint): MarketNode {
  const m = snap.market(id);
  if (!m) throw new Error(`market ${id} of a history row is not in the snapshot at ${snap.block}`);
  return new MarketNode(snap, m);
}

export function tradeNode(snap: Snapshot, r: TradeRow) {
  return {
    id: r.id,
    kind: r.kind.toUpperCase(),
    market: () => marketOf(snap, r.marketId),
    sizeDelta: r.sizeDelta,
    newSize: r.newSize,
    fillPrice: r.fillPrice,
    realizedPnl: r.realizedPnl,
    realizedFunding: r.realizedFunding,
    fee: r.fee,
    newCollateral: r.newCollateral,
    blockNumber: r.blockNumber,
    timestamp: r.timestamp,
    transactionHash: r.txHash,
  };
}

export function liquidationNode(snap: Snapshot, r: LiquidationRow) {
  return {
    id: r.id,
    accountId: r.accountId.toString(),
    account: () => {
      const a = snap.account(r.accountId);
      if (!a) throw new Error(`liquidated account ${r.accountId} is not in the snapshot`);
      return new AccountNode(snap, a);
    },
    liquidator: r.liquidator,
    equity: r.equity,
    maintenanceMargin: r.maintenanceMargin,
    notional: r.notional,
    keeperReward: r.keeperReward,
    penaltyToInsurance: r.penaltyToInsurance,
    insuranceCovered: r.insuranceCovered,
    badDebt: r.badDebt,
    blockNumber: r.blockNumber,
    timestamp: r.timestamp,
    transactionHash: r.txHash,
  };
}

export function adlNode(snap: Snapshot, r: AdlRow) {
  return {
    id: r.id,
    bankruptAccountId: r.bankruptAccountId.toString(),
    counterpartyAccountId: r.counterpartyAccountId.toString(),
    market: () => marketOf(snap, r.marketId),
    sizeDelta: r.sizeDelta,
    bankruptcyPrice: r.bankruptcyPrice,
    lossAbsorbed: r.lossAbsorbed,
    blockNumber: r.blockNumber,
    timestamp: r.timestamp,
    transactionHash: r.txHash,
  };
}

export function ledgerNode(r: LedgerRow) {
  return {
    id: r.id,
    delta: r.delta,
    balance: r.newBalance,
    reason: r.reason.toUpperCase(),
    blockNumber: r.blockNumber,
    timestamp: r.timestamp,
    transactionHash: r.txHash,
  };
}

export function divergenceNode(r: DivergenceRow) {
  return {
    id: r.id,
    event: r.eventName,
    field: r.field,
    chainValue: r.chainValue,
    mirrorValue: r.mirrorValue,
    blockNumber: r.blockNumber,
    logIndex: r.logIndex,
    transactionHash: r.txHash,
  };
}
