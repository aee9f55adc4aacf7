/**
 * A protocol's risk model: the one interface the API, the analytics and the exporter ask
 * "at this block, what is each account's health, each position's terms, each market's
 * funding", over the normalized book (book.ts). Each protocol implements it with its own
 * exact engine (protocols/<name>/riskModel.ts); nothing outside the protocol calls that
 * engine. The values it returns are the small value types every layer shares.
 */
import type { Account, Book, Health, Market } from "./book.js";

/** An account's health at one block, with the two verdicts every consumer wants. */
export interface AccountHealthAt {
  health: Health;
  /** MM·1e18/equity; null when equity ≤ 0 (underwater). */
  marginRatio: bigint | null;
  liquidatable: boolean;
}

/** One open position's terms at one block. */
export interface PositionAt {
  marketId: bigint;
  size: bigint;
  entryPrice: bigint;
  entryFundingIndex: bigint;
  price: bigint;
  fundingIndex: bigint;
  notional: bigint;
  unrealizedPnl: bigint;
  unrealizedFunding: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
}

/** A market's funding at one block, as the exchange's views give it. */
export interface FundingAt {
  /** Daily rate at the block's time. */
  rate: bigint;
  /** Index (USD per unit of size) at the block's time. */
  index: bigint;
  /** From the current skew. */
  velocity: bigint;
  /** Daily rate one hour later if the skew stays. */
  rateInOneHour: bigint;
}

/** How the protocol's backstop and liquidations work, for answers that must not mislead. */
export interface LiquidationMechanics {
  /** Where a liquidation trades: at the oracle price, or against a real pool. */
  executesAt: "oracle" | "pool";
  /** Whether losses beyond the insurance fund are socialized by auto-deleveraging. */
  adlSupported: boolean;
}

/**
 * Per-block precomputation (marks: price and funding index per market) is the model's own
 * type: opaque to callers, computed once per block and passed back.
 */
export interface RiskModel<marks = unknown> {
  readonly mechanics: LiquidationMechanics;
  /** Everything per market that many account evaluations at `timestamp` share. */
  marks(book: Book, timestamp: bigint): marks;
  /** An account's health; throws when the exchange's own view would revert. */
  accountHealth(marks: marks, account: Account): AccountHealthAt;
  /** The account's open positions by ascending market id; throws on a market without marks. */
  positions(marks: marks, book: Book, account: Account): PositionAt[];
  /** A market's funding at `timestamp` with oracle price `price`. */
  funding(market: Market, price: bigint, timestamp: bigint): FundingAt;
  /** The market's funding index at `timestamp` as an affine function of the price P:
   *  `base + perPrice·P/1e18` (what the float analytics move prices with). */
  fundingIndexAffine(market: Market, timestamp: bigint): { base: bigint; perPrice: bigint };
}
