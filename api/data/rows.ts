/**
 * The rows the API reads from the indexer's tables, as plain data.
 *
 * Why a file of its own: the reader (ponderReader.ts) produces these, the snapshot and the
 * resolvers consume them, and none of them should depend on how a row came out of the
 * database (a drizzle select, or raw SQL with snake_case columns and numbers as strings).
 */
import type { Account, Market, OraclePrice, Position } from "../../engine/risk/book.js";

/** Where the indexer is: the latest block it has fully indexed. */
export interface IndexedBlock {
  /** Ponder's checkpoint string: changes whenever the indexed state does (reorgs included). */
  checkpoint: string;
  block: bigint;
  timestamp: bigint;
}

export interface ExchangeRow {
  /** The exchange's configured id (`exchanges[].id`), which every row of it names. */
  id: string;
  /** The protocol plugin that indexes it (protocols/<name>/). */
  protocol: string;
  chainId: number;
  /** The exchange contract, lowercase. */
  address: string;
  maxPriceAge: bigint;
  insuranceFund: bigint;
  accountCount: bigint;
  marketCount: bigint;
}

/** A market: the exact engine's shape plus what only the table has. */
export interface MarketRow {
  market: Market;
  /** The market table's copy of the oracle price and its publish time. */
  price: bigint;
  priceTime: bigint;
  createdBlock: bigint;
  updatedBlock: bigint;
}

/** An account: the exact engine's shape (open positions only) plus bookkeeping. */
export interface AccountRow {
  account: Account;
  createdBlock: bigint;
  updatedBlock: bigint;
}

/** The indexer's `mirror_cursor`: the last block whose logs are in the tables. */
export interface MirrorCursor {
  block: bigint;
  hash: string;
}

/** Everything current-state: one consistent read at one indexed block. */
export interface BookRows {
  at: IndexedBlock;
  cursor: MirrorCursor | null;
  exchange: ExchangeRow | null;
  /** By market id ascending (market i + 1 at index i). */
  markets: MarketRow[];
  prices: Record<string, OraclePrice>;
  /** By account id ascending. */
  accounts: AccountRow[];
}

/**
 * What changed since block `since`: the current-state rows written after it (their
 * `updated_block` is later), as one consistent read at `at`. Positions include closed ones
 * (size 0), so that they can be removed.
 */
export interface BookChanges {
  since: bigint;
  at: IndexedBlock;
  cursor: MirrorCursor | null;
  exchange: ExchangeRow | null;
  markets: MarketRow[];
  prices: Record<string, OraclePrice>;
  /** Changed accounts, positions not filled in (see `positions`). */
  accounts: AccountRow[];
  positions: { accountId: bigint; marketId: bigint; position: Position }[];
}

/** History rows share their position in the chain: the keyset of every history page. */
export interface EventPosition {
  id: string;
  blockNumber: bigint;
  logIndex: number;
}

export interface TradeRow extends EventPosition {
  accountId: bigint;
  marketId: bigint;
  kind: string;
  sizeDelta: bigint;
  newSize: bigint;
  fillPrice: bigint;
  realizedPnl: bigint;
  realizedFunding: bigint;
  fee: bigint;
  newCollateral: bigint;
  timestamp: bigint;
  txHash: string;
}

export interface LiquidationRow extends EventPosition {
  accountId: bigint;
  liquidator: string;
  equity: bigint;
  maintenanceMargin: bigint;
  notional: bigint;
  keeperReward: bigint;
  penaltyToInsurance: bigint;
  insuranceCovered: bigint;
  badDebt: bigint;
  timestamp: bigint;
  txHash: string;
}

export interface AdlRow extends EventPosition {
  bankruptAccountId: bigint;
  counterpartyAccountId: bigint;
  marketId: bigint;
  sizeDelta: bigint;
  bankruptcyPrice: bigint;
  lossAbsorbed: bigint;
  timestamp: bigint;
  txHash: string;
}

export interface LedgerRow extends EventPosition {
  delta: bigint;
  newBalance: bigint;
  reason: string;
  timestamp: bigint;
  txHash: string;
}

export interface DivergenceRow extends EventPosition {
  eventId: string;
  eventName: string;
  field: string;
  chainValue: string;
  mirrorValue: string;
  txHash: string;
}

export interface FundingPointRow {
  marketId: bigint;
  /** Bucket start, unix seconds. */
  bucketStart: bigint;
  price: bigint;
  skew: bigint;
  fundingRate: bigint;
  fundingVelocity: bigint;
  fundingIndex: bigint;
  timestamp: bigint;
  blockNumber: bigint;
}

/** A page of history: up to `limit` rows and whether more follow. */
export interface Page<T> {
  rows: T[];
  hasMore: boolean;
}
