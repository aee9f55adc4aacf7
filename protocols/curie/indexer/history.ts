/**
 * Curie's events as the append-only history tables every protocol shares (position changes,
 * collateral changes, liquidations, funding and price updates, insurance-fund ledger).
 *
 * Why per transaction: a Curie call's meaning is spread over its logs — a liquidation is two
 * `PositionChanged` (trader, liquidator), a `PnlRealized` crediting the insurance fund its half
 * of the penalty, `PositionLiquidated`, and `BadDebtSettled` when the account went under — so the
 * rows are written when the transaction's last log has been applied, from all of them together:
 * a liquidated trader's `PositionChanged` is kind "liquidation", the liquidation row carries the
 * fund's share and the bad debt the fund absorbed.
 */
import {
  collateralChange,
  fundingUpdate,
  insuranceFundUpdate,
  liquidation,
  positionChange,
  priceUpdate,
} from "../../../ponder.schema.js";
import type { Address } from "../../protocol.js";
import type { Db, IndexedEvent } from "./types.js";

const ONE = 10n ** 18n;

/** What the history needs from the mirror, after the transaction's logs were applied. */
export interface HistoryLookup {
  exchange: string;
  accountId(trader: Address): bigint;
  marketId(baseToken: Address): bigint;
  /** The account's taker position in the market and its collateral (D18), now. */
  takerSize(trader: Address, baseToken: Address): bigint;
  collateral(trader: Address): bigint;
  /** The account's value and liquidation margin before the transaction (D18). */
  healthBefore(trader: Address): { equity: bigint; maintenanceMargin: bigint };
  /** Settlement-token amount → D18. */
  toD18(amount: bigint): bigint;
  insuranceFund: Address;
  /** The fund's capacity now (D18). */
  insuranceFundBalance(): bigint;
  /** Aggregator decimals of the market whose aggregator is `address`, and its base token. */
  aggregatorMarket(address: Address): { baseToken: Address; decimals: number } | undefined;
}

type Of<N extends string> = Extract<IndexedEvent, { name: N }>;

const absD = (v: bigint) => (v < 0n ? -v : v);

/** Writes the history rows of one transaction's events (in log order). */
export async function recordTransaction(
  db: Db,
  events: readonly IndexedEvent[],
  h: HistoryLookup,
): Promise<void> {
  const liquidated = new Set<string>();
  for (const e of events) {
    if (e.name === "PositionLiquidated") {
      const a = (e as Of<"PositionLiquidated">).args;
      liquidated.add(`${a.trader}:${a.baseToken}`);
    }
  }
  for (const e of events) await recordOne(db, e, events, liquidated, h);
}

async function recordOne(
  db: Db,
  e: IndexedEvent,
  tx: readonly IndexedEvent[],
  liquidated: ReadonlySet<string>,
  h: HistoryLookup,
): Promise<void> {
  const at = { id: e.id, exchange: h.exchange, blockNumber: e.block.number, logIndex: e.logIndex };
  const when = { timestamp: e.block.timestamp, txHash: e.txHash };
  switch (e.name) {
    case "PositionChanged": {
      const a = (e as Of<"PositionChanged">).args;
      const size = a.exchangedPositionSize;
      await db.insert(positionChange).values({
        ...at,
        ...when,
        accountId: h.accountId(a.trader),
        marketId: h.marketId(a.baseToken),
        kind: liquidated.has(`${a.trader}:${a.baseToken}`) ? "liquidation" : "trade",
        sizeDelta: size,
        newSize: h.takerSize(a.trader, a.baseToken),
        fillPrice: size === 0n ? 0n : (absD(a.exchangedPositionNotional) * ONE) / absD(size),
        realizedPnl: a.realizedPnl,
        realizedFunding: 0n,
        fee: a.fee,
        newCollateral: h.collateral(a.trader),
      });
      return;
    }
    case "Deposited":
    case "Withdrawn": {
      const a = (e as Of<"Deposited">).args;
      const amount = h.toD18(a.amount);
      await db.insert(collateralChange).values({
        ...at,
        ...when,
        accountId: h.accountId(a.trader),
        amountDelta: e.name === "Deposited" ? amount : -amount,
        newCollateral: h.collateral(a.trader),
        sender: a.trader,
      });
      return;
    }
    case "PositionLiquidated":
      await recordLiquidation(db, e as Of<"PositionLiquidated">, tx, h, { ...at, ...when });
      return;
    case "FundingUpdated": {
      const a = (e as Of<"FundingUpdated">).args;
      const rate = a.indexTwap === 0n ? 0n : ((a.marketTwap - a.indexTwap) * ONE) / a.indexTwap;
      await db.insert(fundingUpdate).values({
        ...at,
        marketId: h.marketId(a.baseToken),
        price: a.indexTwap,
        skew: 0n,
        fundingRate: rate,
        fundingVelocity: 0n,
        fundingIndex: 0n,
        timestamp: e.block.timestamp,
      });
      return;
    }
    case "AnswerUpdated": {
      const a = (e as Of<"AnswerUpdated">).args;
      const m = h.aggregatorMarket(e.address);
      if (m === undefined) return;
      await db.insert(priceUpdate).values({
        ...at,
        marketId: h.marketId(m.baseToken),
        price: a.current * 10n ** BigInt(18 - m.decimals),
        publishTime: a.updatedAt,
      });
      return;
    }
    case "Transfer": {
      const a = (e as Of<"Transfer">).args;
      const delta = h.toD18(a.to === h.insuranceFund ? a.value : -a.value);
      await db.insert(insuranceFundUpdate).values({
        ...at,
        ...when,
        delta,
        newBalance: h.insuranceFundBalance(),
        reason: delta > 0n ? "deposit" : "bad_debt_cover",
      });
      return;
    }
    default:
      return;
  }
}

async function recordLiquidation(
  db: Db,
  e: Of<"PositionLiquidated">,
  tx: readonly IndexedEvent[],
  h: HistoryLookup,
  at: {
    id: string;
    exchange: string;
    blockNumber: bigint;
    logIndex: number;
    timestamp: bigint;
    txHash: `0x${string}`;
  },
): Promise<void> {
  const a = e.args;
  // The fund's half of the penalty is credited to it as owed PnL in the same call (none when
  // the account was already under water); bad debt is settled right after, by the Vault.
  const toFund = tx.find(
    (x) =>
      x.name === "PnlRealized" &&
      x.logIndex < e.logIndex &&
      (x as Of<"PnlRealized">).args.trader === h.insuranceFund,
  ) as Of<"PnlRealized"> | undefined;
  const badDebt = tx.find(
    (x) =>
      x.name === "BadDebtSettled" &&
      x.logIndex > e.logIndex &&
      (x as Of<"BadDebtSettled">).args.trader === a.trader,
  ) as Of<"BadDebtSettled"> | undefined;
  const penaltyToInsurance = toFund?.args.amount ?? 0n;
  const debt = badDebt ? h.toD18(badDebt.args.amount) : 0n;
  const before = h.healthBefore(a.trader);
  await db.insert(liquidation).values({
    ...at,
    accountId: h.accountId(a.trader),
    liquidator: a.liquidator,
    equity: before.equity,
    maintenanceMargin: before.maintenanceMargin,
    notional: a.positionNotional,
    keeperReward: a.liquidationFee - penaltyToInsurance,
    penaltyToInsurance,
    insuranceCovered: debt,
    badDebt: debt,
  });
}
