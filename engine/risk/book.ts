/**
 * The normalized book: markets, oracle prices and cross-margin accounts as the indexer's
 * tables hold them (ponder.schema.ts), whatever the protocol. Plain data, D18 bigints.
 *
 * Why here and not in a protocol: the API, the analytics and the exporter read this shape
 * and nothing else; a protocol maps its own state onto it (its exact engine keeps its own
 * types, which for the reference exchange coincide field for field, since the reference was
 * designed on this model). The margin parameters are the normalized ones every protocol
 * expresses its rules in: `imr = imrMin + |size|/skewScale·imrScalar`, `mmr = imr·mmScalar`,
 * plus a minimum margin per position (a flat-ratio protocol sets imrScalar to 0).
 */
import type { LiquidityCurve } from "./liquidityCurve.js";

export type Address = `0x${string}`;

export interface MarketParams {
  skewScale: bigint;
  maxFundingVelocity: bigint;
  imrScalar: bigint;
  imrMin: bigint;
  mmScalar: bigint;
  minPositionMargin: bigint;
  takerFee: bigint;
  keeperRewardRatio: bigint;
  maxKeeperReward: bigint;
  liquidationPenaltyRatio: bigint;
  maxOpenInterest: bigint;
}

/** Skew, open interest per side, the funding checkpoint and bad debt awaiting ADL. */
export interface MarketState {
  skew: bigint;
  sizeLong: bigint;
  sizeShort: bigint;
  lastFundingRate: bigint;
  lastFundingIndex: bigint;
  lastFundingTime: bigint;
  badDebt: bigint;
  /** The protocol's own funding growth at the book's block, when it has one (Perp v2:
   *  the global `twPremiumX96`, exact, where the normalized index is a D18 approximation). */
  fundingGrowth?: bigint;
}

export interface Market {
  marketId: bigint;
  symbol: string;
  params: MarketParams;
  state: MarketState;
  /** The pool its liquidations trade against, when there is one (liquidityCurve.ts). */
  venue?: LiquidityCurve;
}

/** An open position: signed size, the price and funding index it was last realized at. */
export interface Position {
  size: bigint;
  lastPrice: bigint;
  lastFundingIndex: bigint;
  /**
   * For protocols that account a position by its quote balance (Perp v2: unrealized PnL =
   * size·price + quoteBalance, exactly as its views round it), that balance, D18; `lastPrice`
   * is then the entry price derived from it, for display. Absent for the reference exchange.
   */
  quoteBalance?: bigint;
  /**
   * The protocol's own funding growth the position last settled at, when its funding is not
   * the normalized index's (Perp v2: `lastTwPremiumGrowthGlobalX96`); see MarketState.
   */
  fundingGrowth?: bigint;
}

/** Bad debt a bankrupt account left in one market: the closed (bankrupt-side) size and debt. */
export interface AdlRecord {
  size: bigint;
  debt: bigint;
}

export interface Account {
  accountId: bigint;
  owner: Address;
  collateral: bigint;
  /** Bitmap of markets with an open position: bit `marketId - 1`. */
  openMarkets: bigint;
  /** Open positions only (size ≠ 0), keyed by decimal market id. */
  positions: Readonly<Record<string, Position>>;
  /**
   * Non-zero ADL records of this account as the bankrupt side, one per market and side, keyed
   * `"<market id>:long"` / `"<market id>:short"`.
   */
  adlRecords: Readonly<Record<string, AdlRecord>>;
}

export interface OraclePrice {
  price: bigint;
  publishTime: bigint;
}

/** One exchange's book at one block: what a risk model computes every figure from. */
export interface Book {
  /** `markets[i]` is market id `i + 1`. */
  markets: readonly Market[];
  accounts: Readonly<Record<string, Account>>;
  /** Keyed by decimal market id; prices may exist for ids no market has yet. */
  prices: Readonly<Record<string, OraclePrice>>;
  insuranceFund: bigint;
  maxPriceAge: bigint;
  accountCount: bigint;
}

/** Equity and margins at current prices and funding (the exchange's health view). */
export interface Health {
  equity: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
  notional: bigint;
}
