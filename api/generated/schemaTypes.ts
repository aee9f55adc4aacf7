// Generated from schema.graphql by api/codegen.ts (`npm run codegen`). Do not edit.
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ApiContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An integer of any size, as a decimal string (for example a block number or a count of wei). */
  BigInt: { input: bigint; output: bigint; }
  /**
   * An 18-decimal fixed-point amount as a decimal string, exact to the wei: USD amounts, prices,
   * sizes (in units of the asset, negative for shorts), rates. For example "95000.25" or "-1.5".
   * As input a JSON number is accepted too and read exactly as written.
   */
  Decimal: { input: bigint; output: bigint; }
  /** A 20-byte EVM address as 0x-prefixed hex (any case accepted, lowercase returned). */
  Address: { input: string; output: string; }
  /** A point in time as an ISO-8601 UTC string, for example 2026-01-01T00:00:05.000Z. */
  Timestamp: { input: bigint; output: bigint; }
};

/** The questions an integrator can ask, each answered as of one indexed block. */
export type Query = {
  __typename?: 'Query';
  /** Every exchange this Perpwatch indexes (the ids the other fields' `exchange` argument takes). */
  exchanges: Array<ExchangeInfo>;
  /** All markets of the exchange, ordered by market id. */
  markets: Array<Market>;
  /** One market by id (NOT_FOUND when there is none). */
  market?: Maybe<Market>;
  /**
   * Accounts, filtered and ordered, one page at a time. Equity, margins and margin ratio are
   * computed at the block the first page was served from, for every account.
   */
  accounts: AccountConnection;
  /** One account by id (NOT_FOUND when there is none). */
  account?: Maybe<Account>;
  /** Liquidations, newest first. */
  liquidations: LiquidationConnection;
  /** Auto-deleveraging fills, newest first. */
  adlEvents: AdlEventConnection;
  /** The insurance fund: balance, ledger, and how well it covers the stress grid's bad debt. */
  insuranceFund: InsuranceFund;
  /** Risk summary of one market, or of the whole exchange when `marketId` is omitted. */
  riskSummary: RiskSummary;
  /**
   * How much notional would be liquidated, from how many accounts, with how much bad debt, if
   * this market's price moved by each bin's amount with all other prices fixed. Cumulative: a
   * bin counts every account a move of its size liquidates, those of the smaller moves
   * included. Notional is valued at the bin's own (moved) price; see `LadderBin`.
   */
  liquidationLadder: LiquidationLadder;
  /**
   * Simulate a liquidation cascade: an initial price shock, the forced closes of the accounts it
   * liquidates moving prices through a market-impact model, more liquidations, until a fixed
   * point or the round limit.
   */
  cascade: CascadeResult;
  /** The cascade (or the shock alone) over a grid of shocks, one point per shock. */
  stress: StressGrid;
  /**
   * One-day Monte-Carlo value at risk of bad debt (VaR) and liquidations at risk (LaR), from
   * seeded correlated price paths with jumps. VaR and LaR are reported separately.
   */
  varLar: VarLar;
  /** The mirror's self-check: events checked and every divergence found. */
  mirrorStatus: MirrorStatus;
  /** How far the indexer is behind the chain. */
  indexingStatus: IndexingStatus;
  /**
   * Alerts from the alert worker's store, newest first: episodes (one firing, until its resolve
   * or retraction) that overlap `from`–`to`. Not tied to a block. ALERTS_UNAVAILABLE when no
   * alert worker is configured (PERPWATCH_ALERTS_URL) or it does not answer.
   */
  alerts: Array<Alert>;
  /** Silences in the alert worker's store (see `perpwatch alerts silence`), newest first. */
  silences: Array<Silence>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryMarketsArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryMarketArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryAccountsArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  filter?: InputMaybe<AccountFilter>;
  orderBy?: InputMaybe<AccountOrder>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryAccountArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  id: Scalars['ID']['input'];
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryLiquidationsArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  accountId?: InputMaybe<Scalars['ID']['input']>;
  fromBlock?: InputMaybe<Scalars['BigInt']['input']>;
  toBlock?: InputMaybe<Scalars['BigInt']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryAdlEventsArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  marketId?: InputMaybe<Scalars['ID']['input']>;
  bankruptAccountId?: InputMaybe<Scalars['ID']['input']>;
  counterpartyAccountId?: InputMaybe<Scalars['ID']['input']>;
  fromBlock?: InputMaybe<Scalars['BigInt']['input']>;
  toBlock?: InputMaybe<Scalars['BigInt']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryInsuranceFundArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryRiskSummaryArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  marketId?: InputMaybe<Scalars['ID']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryLiquidationLadderArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  marketId: Scalars['ID']['input'];
  range?: InputMaybe<Scalars['Float']['input']>;
  step?: InputMaybe<Scalars['Float']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryCascadeArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  shock: CascadeShockInput;
  impact?: InputMaybe<ImpactInput>;
  maxRounds?: InputMaybe<Scalars['Int']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryStressArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  shocks?: InputMaybe<Array<Scalars['Float']['input']>>;
  marketId?: InputMaybe<Scalars['ID']['input']>;
  withImpact?: InputMaybe<Scalars['Boolean']['input']>;
  impact?: InputMaybe<ImpactInput>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryVarLarArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  paths?: InputMaybe<Scalars['Int']['input']>;
  seed?: InputMaybe<Scalars['Int']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryMirrorStatusArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryIndexingStatusArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QueryAlertsArgs = {
  state?: InputMaybe<AlertState>;
  rule?: InputMaybe<Scalars['String']['input']>;
  market?: InputMaybe<Scalars['String']['input']>;
  exchange?: InputMaybe<Scalars['ID']['input']>;
  from?: InputMaybe<Scalars['Timestamp']['input']>;
  to?: InputMaybe<Scalars['Timestamp']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** The questions an integrator can ask, each answered as of one indexed block. */
export type QuerySilencesArgs = {
  includeExpired?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Live feeds over server-sent events (`Accept: text/event-stream`). */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * A risk summary after every newly indexed block (server-sent events: send the subscription
   * with `Accept: text/event-stream`). The first event is the current block's summary.
   */
  riskSummary: RiskSummary;
  /** Every liquidation as it is indexed, oldest first (server-sent events). */
  liquidations: Liquidation;
};


/** Live feeds over server-sent events (`Accept: text/event-stream`). */
export type SubscriptionRiskSummaryArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
  marketId?: InputMaybe<Scalars['ID']['input']>;
};


/** Live feeds over server-sent events (`Accept: text/event-stream`). */
export type SubscriptionLiquidationsArgs = {
  exchange?: InputMaybe<Scalars['ID']['input']>;
};

/** A perpetual market and its state at the served block. */
export type Market = {
  __typename?: 'Market';
  /** Market id as assigned by the exchange (1, 2, …). */
  id: Scalars['ID']['output'];
  /** Ticker of the underlying, for example BTC. */
  symbol: Scalars['String']['output'];
  /** Block these figures are as of. */
  block: Scalars['BigInt']['output'];
  /** Risk parameters of the market (the contract's `getMarket(id).params`). */
  params: MarketParams;
  /** Oracle price (USD), the oracle's `getPrice(id)`. */
  price: Scalars['Decimal']['output'];
  /** When the oracle price was published; null before the first price. */
  priceTime?: Maybe<Scalars['Timestamp']['output']>;
  /** Open interest of longs, in units of the asset (`getMarket(id).state.sizeLong`). */
  openInterestLong: Scalars['Decimal']['output'];
  /** Open interest of shorts, in units of the asset, positive (`getMarket(id).state.sizeShort`). */
  openInterestShort: Scalars['Decimal']['output'];
  /** Open interest of both sides in USD at the oracle price: (long + short) × price. */
  openInterestUsd: Scalars['Decimal']['output'];
  /** Net size, longs minus shorts, in units of the asset (`getMarket(id).state.skew`). */
  skew: Scalars['Decimal']['output'];
  /** Skew as a fraction of the skew scale (the premium a new trade pays is about half of it). */
  skewRatio: Scalars['Float']['output'];
  /** Funding now and next. */
  funding: Funding;
  /** Funding history: the last funding update in each bucket of time, oldest first. */
  fundingHistory: Array<FundingPoint>;
  /** Bad debt recorded in this market and not yet absorbed by ADL (USD), `getMarket(id).state.badDebt`. */
  pendingBadDebt: Scalars['Decimal']['output'];
  /** Block of the last event that changed this market. */
  updatedBlock: Scalars['BigInt']['output'];
};


/** A perpetual market and its state at the served block. */
export type MarketFundingHistoryArgs = {
  interval?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['Timestamp']['input']>;
  to?: InputMaybe<Scalars['Timestamp']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** The eleven risk parameters of a market, as the contract holds them. */
export type MarketParams = {
  __typename?: 'MarketParams';
  /** Skew at which the premium and the funding velocity saturate, in units of the asset. */
  skewScale: Scalars['Decimal']['output'];
  /** Change of the daily funding rate per day at full skew. */
  maxFundingVelocity: Scalars['Decimal']['output'];
  /** How fast the initial-margin ratio grows with position size relative to the skew scale. */
  imrScalar: Scalars['Decimal']['output'];
  /** Minimum initial-margin ratio (0.02 = 50x leverage). */
  imrMin: Scalars['Decimal']['output'];
  /** Maintenance margin as a fraction of initial margin. */
  mmScalar: Scalars['Decimal']['output'];
  /** Margin added to every open position (USD). */
  minPositionMargin: Scalars['Decimal']['output'];
  /** Fee on traded notional, paid to the insurance fund. */
  takerFee: Scalars['Decimal']['output'];
  /** Keeper reward as a fraction of liquidated notional. */
  keeperRewardRatio: Scalars['Decimal']['output'];
  /** Cap on the keeper reward per position (USD). */
  maxKeeperReward: Scalars['Decimal']['output'];
  /** Penalty paid to the insurance fund, as a fraction of liquidated notional. */
  liquidationPenaltyRatio: Scalars['Decimal']['output'];
  /** Cap on open interest of each side, in units of the asset. */
  maxOpenInterest: Scalars['Decimal']['output'];
};

/** Funding of a market at the served block: rates are per day, as fractions (0.001 = 0.1% a day). */
export type Funding = {
  __typename?: 'Funding';
  /** The daily funding rate at the block's time, the `currentFundingRate(id)` view (longs pay when positive). */
  rateNow: Scalars['Decimal']['output'];
  /** rateNow × 365. */
  rateAnnualized: Scalars['Decimal']['output'];
  /** The daily rate one hour after the block's time if the skew stays as it is (it drifts by the velocity). */
  ratePredictedNextHour: Scalars['Decimal']['output'];
  /** Daily change of the daily rate implied by the current skew, the `fundingVelocity(id)` view. */
  velocity: Scalars['Decimal']['output'];
  /** Funding index at the block's time (USD per unit of size), the `fundingIndex(id)` view. */
  index: Scalars['Decimal']['output'];
  /** Rate stored at the last checkpoint (`getMarket(id).state.lastFundingRate`). */
  lastRate: Scalars['Decimal']['output'];
  /** Index stored at the last checkpoint (`getMarket(id).state.lastFundingIndex`). */
  lastIndex: Scalars['Decimal']['output'];
  /** Time of the last funding checkpoint (`getMarket(id).state.lastFundingTime`); null before the first. */
  lastCheckpoint?: Maybe<Scalars['Timestamp']['output']>;
};

/** The last funding update within one bucket of time. */
export type FundingPoint = {
  __typename?: 'FundingPoint';
  /** Start of the bucket. */
  time: Scalars['Timestamp']['output'];
  /** Time of the update. */
  updatedAt: Scalars['Timestamp']['output'];
  /** Daily funding rate after the update. */
  rate: Scalars['Decimal']['output'];
  /** Funding velocity after the update (per day, per day). */
  velocity: Scalars['Decimal']['output'];
  /** Funding index after the update (USD per unit of size). */
  index: Scalars['Decimal']['output'];
  /** Oracle price the update used. */
  price: Scalars['Decimal']['output'];
  /** Skew after the update, in units of the asset. */
  skew: Scalars['Decimal']['output'];
  /** Block of the update. */
  blockNumber: Scalars['BigInt']['output'];
};

/** Which accounts to return; every condition given must hold. */
export type AccountFilter = {
  /** true: only accounts liquidatable at the block (maintenance margin above equity); false: only the others. */
  atRisk?: InputMaybe<Scalars['Boolean']['input']>;
  /**
   * Only accounts whose margin ratio (maintenance margin / equity) is at least this. Accounts
   * without margin requirement count as 0, underwater accounts as above every ratio.
   */
  marginRatioMin?: InputMaybe<Scalars['Decimal']['input']>;
  /** Only accounts whose margin ratio is at most this (underwater accounts never are). */
  marginRatioMax?: InputMaybe<Scalars['Decimal']['input']>;
  /** Only accounts with at least this total notional (USD). */
  minNotional?: InputMaybe<Scalars['Decimal']['input']>;
  /** Only accounts with an open position in this market. */
  marketId?: InputMaybe<Scalars['ID']['input']>;
  /** Only accounts of this owner. */
  owner?: InputMaybe<Scalars['Address']['input']>;
};

/** Orders of `accounts`. */
export type AccountOrder =
  /** Closest to liquidation first (underwater accounts first of all). */
  | 'MARGIN_RATIO_DESC'
  /** Safest first. */
  | 'MARGIN_RATIO_ASC'
  /** Largest total notional first. */
  | 'NOTIONAL_DESC'
  /** Smallest total notional first. */
  | 'NOTIONAL_ASC';

/** A page of accounts. */
export type AccountConnection = {
  __typename?: 'AccountConnection';
  /** Block the accounts' figures are computed at (the same on every page of one walk). */
  block: Scalars['BigInt']['output'];
  /** Time of that block. */
  timestamp: Scalars['Timestamp']['output'];
  /** Accounts matching the filter, on all pages together. */
  totalCount: Scalars['Int']['output'];
  /** The accounts of this page, in order. */
  edges: Array<AccountEdge>;
  /** Where the next page starts. */
  pageInfo: PageInfo;
};

/** An account and its position in the list. */
export type AccountEdge = {
  __typename?: 'AccountEdge';
  /** Pass as `after` to start the next page behind this account. */
  cursor: Scalars['String']['output'];
  /** The account. */
  node: Account;
};

/** Where a page ends. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Whether another page follows this one. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Pass this as `after` for the next page; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
};

/** A cross-margin account: one collateral balance backing positions in many markets. */
export type Account = {
  __typename?: 'Account';
  /** Account id as assigned by the exchange (1, 2, …). */
  id: Scalars['ID']['output'];
  /** Owner of the account. */
  owner: Scalars['Address']['output'];
  /** Block the figures below are computed at. */
  block: Scalars['BigInt']['output'];
  /** Collateral: deposits plus realized PnL and funding, minus fees (USD), `getAccount(id).collateral`. */
  collateral: Scalars['Decimal']['output'];
  /** Collateral plus unrealized PnL and funding at the block (USD), `accountHealth(id).equity`. */
  equity: Scalars['Decimal']['output'];
  /** Initial margin of all positions at the block (USD), `accountHealth(id).initialMargin`. */
  initialMargin: Scalars['Decimal']['output'];
  /** Maintenance margin of all positions at the block (USD), `accountHealth(id).maintenanceMargin`. */
  maintenanceMargin: Scalars['Decimal']['output'];
  /** Total notional of all positions at the block (USD), `accountHealth(id).notional`. */
  notional: Scalars['Decimal']['output'];
  /** Equity minus initial margin: what new trades or withdrawals may use (USD, may be negative). */
  freeMargin: Scalars['Decimal']['output'];
  /**
   * Maintenance margin divided by equity, exact to 18 decimals (truncated): liquidatable at 1 or
   * above; null when equity is zero or negative.
   */
  marginRatio?: Maybe<Scalars['Decimal']['output']>;
  /** Whether the account is liquidatable at the block, the `canLiquidate(id)` view. */
  liquidatable: Scalars['Boolean']['output'];
  /** Open positions, by market id. */
  positions: Array<Position>;
  /** Position changes (trades, liquidation closes, ADL fills), newest first. */
  trades: TradeConnection;
  /** Funding paid (positive) or received (negative) over the account's realized history up to the block (USD). */
  fundingPaid: Scalars['Decimal']['output'];
  /** Funding accrued on the open positions since they were last realized: received when positive (USD). */
  unrealizedFunding: Scalars['Decimal']['output'];
  /** Liquidations of this account, newest first. */
  liquidations: LiquidationConnection;
  /** Block the account was created in. */
  createdBlock: Scalars['BigInt']['output'];
  /** Block of the last event that changed the account. */
  updatedBlock: Scalars['BigInt']['output'];
};


/** A cross-margin account: one collateral balance backing positions in many markets. */
export type AccountTradesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};


/** A cross-margin account: one collateral balance backing positions in many markets. */
export type AccountLiquidationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};

/** An open position of an account in one market, at the served block. */
export type Position = {
  __typename?: 'Position';
  /** The market. */
  market: Market;
  /** Signed size in units of the asset: positive long, negative short (`getPosition(id, market).size`). */
  size: Scalars['Decimal']['output'];
  /** Price the position was last realized at, its entry for PnL (`getPosition(id, market).lastPrice`). */
  entryPrice: Scalars['Decimal']['output'];
  /** Funding index the position was last realized at (`getPosition(id, market).lastFundingIndex`). */
  entryFundingIndex: Scalars['Decimal']['output'];
  /** Notional at the oracle price (USD). */
  notional: Scalars['Decimal']['output'];
  /** Unrealized PnL from price at the oracle price: size × (price − entryPrice) (USD). */
  unrealizedPnl: Scalars['Decimal']['output'];
  /** Funding accrued since entry: size × (index − entryFundingIndex), received when positive (USD). */
  unrealizedFunding: Scalars['Decimal']['output'];
  /** Initial margin of this position (USD). */
  initialMargin: Scalars['Decimal']['output'];
  /** Maintenance margin of this position (USD). */
  maintenanceMargin: Scalars['Decimal']['output'];
  /**
   * Price of this market at which the account's liquidation condition flips, all other prices
   * fixed (cross margin: the other positions' PnL and margin count). An estimate. Null when no
   * positive price reaches it.
   */
  liquidationPrice?: Maybe<Scalars['Float']['output']>;
};

/** How a position changed. */
export type PositionChangeKind =
  /** A trade the account made. */
  | 'TRADE'
  /** Closed by the account's liquidation. */
  | 'LIQUIDATION'
  /** Closed by auto-deleveraging. */
  | 'ADL';

/** A page of position changes. */
export type TradeConnection = {
  __typename?: 'TradeConnection';
  /** The changes of this page, newest first. */
  edges: Array<TradeEdge>;
  /** Where the next page starts. */
  pageInfo: PageInfo;
};

/** A position change and its place in the list. */
export type TradeEdge = {
  __typename?: 'TradeEdge';
  /** Pass as `after` to start the next page behind this change. */
  cursor: Scalars['String']['output'];
  /** The change. */
  node: Trade;
};

/** A change of one position: a trade, a liquidation close, or an ADL fill. */
export type Trade = {
  __typename?: 'Trade';
  /** Unique id of the event. */
  id: Scalars['ID']['output'];
  /** What changed the position. */
  kind: PositionChangeKind;
  /** The market. */
  market: Market;
  /** Change of size, in units of the asset. */
  sizeDelta: Scalars['Decimal']['output'];
  /** Size after the change. */
  newSize: Scalars['Decimal']['output'];
  /** Price of the fill (USD). */
  fillPrice: Scalars['Decimal']['output'];
  /** PnL realized by the change (USD). */
  realizedPnl: Scalars['Decimal']['output'];
  /** Funding realized by the change: received when positive, paid when negative (USD). */
  realizedFunding: Scalars['Decimal']['output'];
  /** Fee paid (USD). */
  fee: Scalars['Decimal']['output'];
  /** The account's collateral after the change (USD). */
  newCollateral: Scalars['Decimal']['output'];
  /** Block of the change. */
  blockNumber: Scalars['BigInt']['output'];
  /** Time of that block. */
  timestamp: Scalars['Timestamp']['output'];
  /** Transaction that made the change. */
  transactionHash: Scalars['String']['output'];
};

/** A page of liquidations. */
export type LiquidationConnection = {
  __typename?: 'LiquidationConnection';
  /** The liquidations of this page, newest first. */
  edges: Array<LiquidationEdge>;
  /** Where the next page starts. */
  pageInfo: PageInfo;
};

/** A liquidation and its place in the list. */
export type LiquidationEdge = {
  __typename?: 'LiquidationEdge';
  /** Pass as `after` to start the next page behind this liquidation. */
  cursor: Scalars['String']['output'];
  /** The liquidation. */
  node: Liquidation;
};

/** A whole-account liquidation and its waterfall. */
export type Liquidation = {
  __typename?: 'Liquidation';
  /** Unique id of the event. */
  id: Scalars['ID']['output'];
  /** The liquidated account's id. */
  accountId: Scalars['ID']['output'];
  /** The liquidated account, as it is at the served block. */
  account: Account;
  /** Who called `liquidate`. */
  liquidator: Scalars['Address']['output'];
  /** Equity when liquidated (USD, may be negative). */
  equity: Scalars['Decimal']['output'];
  /** Maintenance margin when liquidated (USD). */
  maintenanceMargin: Scalars['Decimal']['output'];
  /** Total notional closed (USD). */
  notional: Scalars['Decimal']['output'];
  /** Paid to the keeper (USD). */
  keeperReward: Scalars['Decimal']['output'];
  /** Paid to the insurance fund (USD). */
  penaltyToInsurance: Scalars['Decimal']['output'];
  /** Part of the shortfall the insurance fund paid (USD). */
  insuranceCovered: Scalars['Decimal']['output'];
  /** Shortfall the fund could not pay, left for ADL (USD). */
  badDebt: Scalars['Decimal']['output'];
  /** Block of the liquidation. */
  blockNumber: Scalars['BigInt']['output'];
  /** Time of that block. */
  timestamp: Scalars['Timestamp']['output'];
  /** Transaction of the liquidation. */
  transactionHash: Scalars['String']['output'];
};

/** A page of ADL fills. */
export type AdlEventConnection = {
  __typename?: 'AdlEventConnection';
  /** The fills of this page, newest first. */
  edges: Array<AdlEventEdge>;
  /** Where the next page starts. */
  pageInfo: PageInfo;
};

/** An ADL fill and its place in the list. */
export type AdlEventEdge = {
  __typename?: 'AdlEventEdge';
  /** Pass as `after` to start the next page behind this fill. */
  cursor: Scalars['String']['output'];
  /** The fill. */
  node: AdlEvent;
};

/** One counterparty closed against a bankrupt account's position by auto-deleveraging. */
export type AdlEvent = {
  __typename?: 'AdlEvent';
  /** Unique id of the event. */
  id: Scalars['ID']['output'];
  /** The bankrupt account whose bad debt was absorbed. */
  bankruptAccountId: Scalars['ID']['output'];
  /** The profitable counterparty that was closed. */
  counterpartyAccountId: Scalars['ID']['output'];
  /** The market. */
  market: Market;
  /** Change of the counterparty's size, in units of the asset. */
  sizeDelta: Scalars['Decimal']['output'];
  /** Price both sides were closed at (USD). */
  bankruptcyPrice: Scalars['Decimal']['output'];
  /** Bad debt this fill absorbed (USD). */
  lossAbsorbed: Scalars['Decimal']['output'];
  /** Block of the fill. */
  blockNumber: Scalars['BigInt']['output'];
  /** Time of that block. */
  timestamp: Scalars['Timestamp']['output'];
  /** Transaction of the fill. */
  transactionHash: Scalars['String']['output'];
};

/** The insurance fund at the served block. */
export type InsuranceFund = {
  __typename?: 'InsuranceFund';
  /** Block these figures are as of. */
  block: Scalars['BigInt']['output'];
  /** Balance (USD), the `insuranceFund()` view. */
  balance: Scalars['Decimal']['output'];
  /** Bad debt outstanding in all markets, waiting for ADL (USD): the sum of the markets' pendingBadDebt. */
  pendingBadDebt: Scalars['Decimal']['output'];
  /** Ledger of changes, newest first. */
  ledger: InsuranceLedgerConnection;
  /** Coverage of the default stress grid's bad debt by the balance (cascade, square-root impact). */
  coverage: InsuranceCoverage;
};


/** The insurance fund at the served block. */
export type InsuranceFundLedgerArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
};

/** A page of the insurance fund's ledger. */
export type InsuranceLedgerConnection = {
  __typename?: 'InsuranceLedgerConnection';
  /** The entries of this page, newest first. */
  edges: Array<InsuranceLedgerEdge>;
  /** Where the next page starts. */
  pageInfo: PageInfo;
};

/** A ledger entry and its place in the list. */
export type InsuranceLedgerEdge = {
  __typename?: 'InsuranceLedgerEdge';
  /** Pass as `after` to start the next page behind this entry. */
  cursor: Scalars['String']['output'];
  /** The entry. */
  node: InsuranceLedgerEntry;
};

/** Why the insurance fund changed. */
export type InsuranceReason =
  /** A taker fee. */
  | 'FEE'
  /** A liquidation penalty. */
  | 'PENALTY'
  /** A liquidation shortfall the fund paid. */
  | 'BAD_DEBT_COVER'
  /** A deposit into the fund. */
  | 'DEPOSIT';

/** One change of the insurance fund. */
export type InsuranceLedgerEntry = {
  __typename?: 'InsuranceLedgerEntry';
  /** Unique id of the event. */
  id: Scalars['ID']['output'];
  /** Signed change (USD). */
  delta: Scalars['Decimal']['output'];
  /** Balance after the change (USD). */
  balance: Scalars['Decimal']['output'];
  /** Why it changed. */
  reason: InsuranceReason;
  /** Block of the change. */
  blockNumber: Scalars['BigInt']['output'];
  /** Time of that block. */
  timestamp: Scalars['Timestamp']['output'];
  /** Transaction of the change. */
  transactionHash: Scalars['String']['output'];
};

/** How far the insurance fund covers the bad debt of the default stress grid. */
export type InsuranceCoverage = {
  __typename?: 'InsuranceCoverage';
  /** Block the stress grid was computed at. */
  block: Scalars['BigInt']['output'];
  /** Largest bad debt over the stress grid, before the fund (USD). */
  worstBadDebt: Scalars['Float']['output'];
  /** Shock at which the worst bad debt occurs; null when the grid has no bad debt. */
  worstShock?: Maybe<Scalars['Float']['output']>;
  /** Balance divided by the worst bad debt (1 = exactly covered); null when the grid has no bad debt. */
  coverageRatio?: Maybe<Scalars['Float']['output']>;
  /** Smallest shock (by size) whose bad debt exceeds what the fund can pay; null if none does. */
  firstUncoveredShock?: Maybe<Scalars['Float']['output']>;
};

/** Risk at a glance, for one market or the whole exchange, at one block. */
export type RiskSummary = {
  __typename?: 'RiskSummary';
  /** Block the summary was computed at. */
  block: Scalars['BigInt']['output'];
  /** Time of that block. */
  timestamp: Scalars['Timestamp']['output'];
  /** Market summarized, or null for the whole exchange. */
  market?: Maybe<Market>;
  /** Open interest, both sides, at the oracle prices (USD). */
  openInterestUsd: Scalars['Decimal']['output'];
  /** Accounts with an open position (in the market, or anywhere). */
  accountsWithPositions: Scalars['Int']['output'];
  /** Of those, accounts liquidatable at the block. */
  accountsAtRisk: Scalars['Int']['output'];
  /**
   * Notional of the accounts a move within 1, 3, 5 and 10% (either direction) would liquidate:
   * of this market with the others fixed, or of every market by its beta for the whole exchange.
   */
  liquidatableWithin: LiquidatableWithin;
  /** Insurance fund balance (USD). */
  insuranceFund: Scalars['Decimal']['output'];
  /** Bad debt waiting for ADL (USD). */
  pendingBadDebt: Scalars['Decimal']['output'];
  /** Cascade amplification (final move / initial shock) at a −10% shock; null when undefined. */
  amplificationAt10?: Maybe<Scalars['Float']['output']>;
  /** Notional the −10% cascade liquidates (USD). */
  cascadeLiquidationsAt10: Scalars['Float']['output'];
  /** Bad debt of the −10% cascade, before the insurance fund (USD). */
  cascadeBadDebtAt10: Scalars['Float']['output'];
  /** Whether ADL would trigger in the −10% cascade (bad debt beyond what the fund can pay). */
  adlLikely: Scalars['Boolean']['output'];
  /** Largest absolute daily funding rate among the markets summarized. */
  maxAbsFundingRate: Scalars['Decimal']['output'];
};

/** Liquidatable notional (USD) within a move of each size (in either direction, unless the field holding it names one). */
export type LiquidatableWithin = {
  __typename?: 'LiquidatableWithin';
  /** Within a 1% move. */
  pct1: Scalars['Float']['output'];
  /** Within a 3% move. */
  pct3: Scalars['Float']['output'];
  /** Within a 5% move. */
  pct5: Scalars['Float']['output'];
  /** Within a 10% move. */
  pct10: Scalars['Float']['output'];
};

/**
 * Liquidations as one market's price moves, the others fixed. Each bin is cumulative (every
 * account liquidatable at that move, those of smaller moves included), not a per-bin increment.
 */
export type LiquidationLadder = {
  __typename?: 'LiquidationLadder';
  /** Block the ladder was computed at. */
  block: Scalars['BigInt']['output'];
  /** The market whose price moves. */
  market: Market;
  /** One row per bin, from the largest fall to the largest rise. */
  bins: Array<LadderBin>;
  /** Liquidatable right now (at a move of 0). */
  atMark: LadderBin;
  /**
   * Notional liquidatable within 1/3/5/10% of the oracle price, in either direction (USD at the
   * price of the move, as `LadderBin.liquidatedNotional`).
   */
  within: LiquidatableWithin;
  /**
   * The falls' part of `within`: notional a fall of at most 1/3/5/10% would liquidate (accounts
   * liquidatable right now included).
   */
  withinDown: LiquidatableWithin;
  /**
   * The rises' part of `within`: notional a rise of at most 1/3/5/10% would liquidate (accounts
   * liquidatable right now included).
   */
  withinUp: LiquidatableWithin;
};

/** Liquidations at one move of the market's price. */
export type LadderBin = {
  __typename?: 'LadderBin';
  /** Price move of this bin, as a fraction (−0.05 = 5% down). */
  move: Scalars['Float']['output'];
  /** Price at this move (USD). */
  price: Scalars['Float']['output'];
  /** Accounts liquidatable at this move (cumulative: never fewer than at a smaller move). */
  accounts: Scalars['Int']['output'];
  /**
   * Their whole notional, all markets (USD), valued at this bin's price: what the liquidations
   * would close at that price. A fall shrinks the value of the longs it liquidates, so this can
   * fall from one bin to the next although the accounts only grow. Their notional at the
   * pre-shock mark, which cannot fall, is `liquidatedNotional − marketNotional · move / (1 + move)`
   * (what `perpwatch risk` charts).
   */
  liquidatedNotional: Scalars['Float']['output'];
  /** Their notional in this market alone, what hits its order book (USD, at this bin's price). */
  marketNotional: Scalars['Float']['output'];
  /** Bad debt those liquidations would leave, before the insurance fund (USD). */
  badDebt: Scalars['Float']['output'];
};

/** The initial move of a cascade. */
export type CascadeShockInput = {
  /** Shocked market; omit for a correlated shock of every market by its beta. */
  marketId?: InputMaybe<Scalars['ID']['input']>;
  /** Initial move as a fraction, strictly between −1 and 1 (−0.1 = 10% down). */
  move: Scalars['Float']['input'];
};

/** Market-impact model and its parameters; per-market liquidity comes from the market model. */
export type ImpactInput = {
  /**
   * The impact law. Default: POOL on an exchange whose liquidations trade against its own pool
   * (`Exchange.liquidationsExecuteAt`: POOL, e.g. Perpetual Protocol v2), SQUARE_ROOT elsewhere.
   */
  model?: InputMaybe<ImpactModel>;
  /** Scale of every market's impact, 0 to 100 (0 turns impact off). */
  scale?: InputMaybe<Scalars['Float']['input']>;
  /** Let each market's impact move the others through correlation. */
  spillover?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Impact laws. */
export type ImpactModel =
  /** Δp/p = Y·σ·√(Q/V): Y, daily volatility σ and daily volume V per market. */
  | 'SQUARE_ROOT'
  /** Δp/p = Q / depth per 1%: order-book depth per market. */
  | 'LINEAR_DEPTH'
  /** No impact: the shock's liquidations only. */
  | 'NONE'
  /**
   * The exchange's own pool: each market's price moves exactly as trading the net liquidated
   * base size through its concentrated liquidity would, tick by tick (`scale` only turns it off
   * at 0). A market without a pool falls back to SQUARE_ROOT.
   */
  | 'POOL';

/** A simulated liquidation cascade. */
export type CascadeResult = {
  __typename?: 'CascadeResult';
  /** Block the cascade was computed at. */
  block: Scalars['BigInt']['output'];
  /** Rounds, until a fixed point or the round limit. */
  rounds: Array<CascadeRound>;
  /** Liquidated notional over all rounds, at the prices of liquidation (USD). */
  liquidatedNotional: Scalars['Float']['output'];
  /** Accounts liquidated over all rounds. */
  liquidatedAccounts: Scalars['Int']['output'];
  /** Bad debt over all rounds, before the insurance fund (USD). */
  badDebt: Scalars['Float']['output'];
  /** Part of the bad debt the insurance fund (with the cascade's penalties) paid (USD). */
  insuranceCovered: Scalars['Float']['output'];
  /** Bad debt left for ADL (USD). */
  uncoveredBadDebt: Scalars['Float']['output'];
  /** Share of the bad debt the fund covered (1 when there is none). */
  insuranceCoverage: Scalars['Float']['output'];
  /** Whether bad debt exceeds what the fund can pay, so that ADL would trigger. */
  adlTriggered: Scalars['Boolean']['output'];
  /** Final move over initial shock (for a correlated shock, open-interest weighted); null when undefined. */
  amplification?: Maybe<Scalars['Float']['output']>;
  /** Whether the iteration reached a fixed point before the round limit. */
  converged: Scalars['Boolean']['output'];
  /** Final price move of every market. */
  finalMoves: Array<MarketMove>;
};

/** One round of a cascade. */
export type CascadeRound = {
  __typename?: 'CascadeRound';
  /** Round number, from 1. */
  round: Scalars['Int']['output'];
  /** Price move of every market after this round's impact. */
  moves: Array<MarketMove>;
  /** Notional liquidated this round (USD). */
  liquidatedNotional: Scalars['Float']['output'];
  /** Accounts liquidated this round. */
  liquidatedAccounts: Scalars['Int']['output'];
  /** Bad debt of this round, before the insurance fund (USD). */
  badDebt: Scalars['Float']['output'];
  /** Insurance fund balance after the round (USD). */
  insuranceFund: Scalars['Float']['output'];
};

/** A market's move in a cascade. */
export type MarketMove = {
  __typename?: 'MarketMove';
  /** The market. */
  market: Market;
  /** Move as a fraction of the oracle price. */
  move: Scalars['Float']['output'];
  /** Price after the move (USD). */
  price: Scalars['Float']['output'];
};

/** A stress grid: one cascade (or bare shock) per shock. */
export type StressGrid = {
  __typename?: 'StressGrid';
  /** Block the grid was computed at. */
  block: Scalars['BigInt']['output'];
  /** Whether market impact was included. */
  withImpact: Scalars['Boolean']['output'];
  /** One point per shock, in the order given. */
  points: Array<StressPoint>;
  /** Smallest fall whose point has bad debt; null if none. */
  firstBadDebtDown?: Maybe<Scalars['Float']['output']>;
  /** Smallest rise whose point has bad debt; null if none. */
  firstBadDebtUp?: Maybe<Scalars['Float']['output']>;
  /** Smallest fall whose point triggers ADL; null if none. */
  firstAdlDown?: Maybe<Scalars['Float']['output']>;
  /** Smallest rise whose point triggers ADL; null if none. */
  firstAdlUp?: Maybe<Scalars['Float']['output']>;
};

/** The result of one shock of a stress grid. */
export type StressPoint = {
  __typename?: 'StressPoint';
  /** The shock, as a fraction. */
  shock: Scalars['Float']['output'];
  /** Final move (the shock times the amplification). */
  finalMove?: Maybe<Scalars['Float']['output']>;
  /** Notional liquidated (USD). */
  liquidatedNotional: Scalars['Float']['output'];
  /** Accounts liquidated. */
  liquidatedAccounts: Scalars['Int']['output'];
  /** Bad debt, before the insurance fund (USD). */
  badDebt: Scalars['Float']['output'];
  /** Bad debt above what the insurance fund can pay, what ADL would absorb (USD). */
  uncoveredBadDebt: Scalars['Float']['output'];
  /** Whether ADL would trigger. */
  adlTriggered: Scalars['Boolean']['output'];
  /** Final move over the shock; null when undefined. */
  amplification?: Maybe<Scalars['Float']['output']>;
};

/** One-day VaR of bad debt and LaR of liquidations, kept apart. */
export type VarLar = {
  __typename?: 'VarLar';
  /** Block the book was taken at. */
  block: Scalars['BigInt']['output'];
  /** Paths simulated. */
  paths: Scalars['Int']['output'];
  /** Seed of the paths. */
  seed: Scalars['Int']['output'];
  /** Steps per path (an account is liquidated at the first step it is liquidatable at). */
  steps: Scalars['Int']['output'];
  /** Value at risk of one-day bad debt at 95% (USD). */
  badDebtVar95: Scalars['Float']['output'];
  /** Value at risk of one-day bad debt at 99% (USD). */
  badDebtVar99: Scalars['Float']['output'];
  /** Mean bad debt of the worst 5% of paths (USD). */
  badDebtExpectedShortfall95: Scalars['Float']['output'];
  /** Mean bad debt of the worst 1% of paths (USD). */
  badDebtExpectedShortfall99: Scalars['Float']['output'];
  /** Liquidations at risk: one-day liquidated notional at 95% (USD). */
  liquidationsLar95: Scalars['Float']['output'];
  /** Liquidations at risk: one-day liquidated notional at 99% (USD). */
  liquidationsLar99: Scalars['Float']['output'];
  /** Mean one-day bad debt over the paths (USD). */
  meanBadDebt: Scalars['Float']['output'];
  /** Mean one-day liquidated notional over the paths (USD). */
  meanLiquidations: Scalars['Float']['output'];
  /** Share of paths with bad debt. */
  probabilityOfBadDebt: Scalars['Float']['output'];
  /** Share of paths with at least one liquidation. */
  probabilityOfLiquidation: Scalars['Float']['output'];
};

/** The mirror compares every event's emitted post-state with the exact engine's. */
export type MirrorStatus = {
  __typename?: 'MirrorStatus';
  /** Block this status is as of. */
  block: Scalars['BigInt']['output'];
  /** Last block the mirror applied; null before the first. */
  checkedThroughBlock?: Maybe<Scalars['BigInt']['output']>;
  /** State-changing events checked field by field up to the block. */
  eventsChecked: Scalars['BigInt']['output'];
  /** Divergences found up to the block (0 when the mirror is exact). */
  divergenceCount: Scalars['BigInt']['output'];
  /** Whether no divergence was found. */
  inSync: Scalars['Boolean']['output'];
  /** Divergences, newest first (one page). */
  divergences: Array<MirrorDivergence>;
  /** Where the next page of divergences starts. */
  pageInfo: PageInfo;
};

/** A field where the mirror's event differed from the chain's. */
export type MirrorDivergence = {
  __typename?: 'MirrorDivergence';
  /** Unique id of the divergence. */
  id: Scalars['ID']['output'];
  /** Event whose post-state disagreed. */
  event: Scalars['String']['output'];
  /** The field. */
  field: Scalars['String']['output'];
  /** What the chain emitted. */
  chainValue: Scalars['String']['output'];
  /** What the mirror computed. */
  mirrorValue: Scalars['String']['output'];
  /** Block of the event. */
  blockNumber: Scalars['BigInt']['output'];
  /** Log index of the event. */
  logIndex: Scalars['Int']['output'];
  /** Transaction of the event. */
  transactionHash: Scalars['String']['output'];
};

/** An indexed exchange: which protocol, where, and what backs its losses. */
export type ExchangeInfo = {
  __typename?: 'ExchangeInfo';
  /** The configured id (`exchanges[].id`). */
  id: Scalars['ID']['output'];
  /** The protocol plugin that indexes it (`protocols/<name>/`). */
  protocol: Scalars['String']['output'];
  /** EVM chain id. */
  chainId: Scalars['Int']['output'];
  /** Whether losses beyond the insurance fund are socialized by auto-deleveraging. */
  adlSupported: Scalars['Boolean']['output'];
  /** Where its liquidations trade: ORACLE (at the oracle price) or POOL (against a real pool). */
  liquidationsExecuteAt: Scalars['String']['output'];
};

/** The indexer's progress. */
export type IndexingStatus = {
  __typename?: 'IndexingStatus';
  /** Latest block of the chain. */
  chainHead: Scalars['BigInt']['output'];
  /** Time of the chain's latest block. */
  chainHeadTime: Scalars['Timestamp']['output'];
  /** Latest block the indexer has processed (the block the API serves). */
  indexedBlock: Scalars['BigInt']['output'];
  /** Time of that block. */
  indexedTime: Scalars['Timestamp']['output'];
  /** chainHead − indexedBlock. */
  lagBlocks: Scalars['BigInt']['output'];
  /** Seconds between the chain head's time and the indexed block's. */
  lagSeconds: Scalars['Int']['output'];
  /**
   * Whether the indexer has finished its historical backfill and the served block has caught up
   * with the chain: at most 2 blocks or 5 seconds of chain time behind the head.
   */
  live: Scalars['Boolean']['output'];
};

/** Where an alert is in its life. */
export type AlertState =
  /** The condition holds but not yet for the rule's `for`: nobody is notified. */
  | 'PENDING'
  /** Firing now: receivers were notified. */
  | 'FIRING'
  /** Fired, then the condition stopped holding. */
  | 'RESOLVED'
  /** Fired on a block a reorg removed: receivers heard it was never real. */
  | 'RETRACTED';

/** A label or annotation of an alert. */
export type AlertLabel = {
  __typename?: 'AlertLabel';
  /** The label's name, e.g. `severity`. */
  name: Scalars['String']['output'];
  /** Its value, e.g. `critical`. */
  value: Scalars['String']['output'];
};

/** One alert episode: one firing of one alert instance (fingerprint), until it ended. */
export type Alert = {
  __typename?: 'Alert';
  /** Identifies the alert instance (rule + labels); the same across its episodes. */
  fingerprint: Scalars['ID']['output'];
  /** The rule (its `alertname`). */
  rule: Scalars['String']['output'];
  /** Pending, firing, resolved or retracted. */
  state: AlertState;
  /** critical, warning or info. */
  severity: Scalars['String']['output'];
  /** The exchange it is about (`exchanges[].id`), when it names one. */
  exchange?: Maybe<Scalars['ID']['output']>;
  /** The market it is about (its `market` label), when it names one. */
  market?: Maybe<Scalars['String']['output']>;
  /** The account it is about, when it names one. */
  account?: Maybe<Scalars['String']['output']>;
  /** One line for people: the closing event's when it ended (it says why), else the firing's. */
  summary?: Maybe<Scalars['String']['output']>;
  /** Every label (routing: severity, market, exchange, …). */
  labels: Array<AlertLabel>;
  /** Every annotation (summary, description, evidence, dashboard links, …). */
  annotations: Array<AlertLabel>;
  /** The measured value that fired it (pending: the latest evaluated). */
  value?: Maybe<Scalars['Float']['output']>;
  /** The rule's threshold. */
  threshold?: Maybe<Scalars['Float']['output']>;
  /** When it fired (pending: since when the condition holds). */
  startsAt: Scalars['Timestamp']['output'];
  /** When it resolved or was retracted; null while firing or pending. */
  endsAt?: Maybe<Scalars['Timestamp']['output']>;
  /** The block it fired on (null while pending). */
  block?: Maybe<Scalars['BigInt']['output']>;
};

/** Whether a silence mutes now. */
export type SilenceState =
  /** Starts later. */
  | 'PENDING'
  /** Mutes matching alerts now. */
  | 'ACTIVE'
  /** Ended (or expired by hand). */
  | 'EXPIRED';

/** A silence: while active, notifications of alerts matching every matcher are held back. */
export type Silence = {
  __typename?: 'Silence';
  /** Its id (for `perpwatch alerts silence expire <id>`). */
  id: Scalars['ID']['output'];
  /** Alertmanager-style matchers, e.g. `severity="critical"`. */
  matchers: Array<Scalars['String']['output']>;
  /** Whether it mutes now. */
  state: SilenceState;
  /** When it starts muting. */
  startsAt: Scalars['Timestamp']['output'];
  /** When it stops muting. */
  endsAt: Scalars['Timestamp']['output'];
  /** Who added it. */
  createdBy: Scalars['String']['output'];
  /** Why. */
  comment: Scalars['String']['output'];
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  BigInt: ResolverTypeWrapper<unknown>;
  Decimal: ResolverTypeWrapper<unknown>;
  Address: ResolverTypeWrapper<unknown>;
  Timestamp: ResolverTypeWrapper<unknown>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<unknown>;
  Int: ResolverTypeWrapper<unknown>;
  String: ResolverTypeWrapper<unknown>;
  Float: ResolverTypeWrapper<unknown>;
  Boolean: ResolverTypeWrapper<unknown>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Market: ResolverTypeWrapper<unknown>;
  MarketParams: ResolverTypeWrapper<unknown>;
  Funding: ResolverTypeWrapper<unknown>;
  FundingPoint: ResolverTypeWrapper<unknown>;
  AccountFilter: ResolverTypeWrapper<unknown>;
  AccountOrder: ResolverTypeWrapper<unknown>;
  AccountConnection: ResolverTypeWrapper<unknown>;
  AccountEdge: ResolverTypeWrapper<unknown>;
  PageInfo: ResolverTypeWrapper<unknown>;
  Account: ResolverTypeWrapper<unknown>;
  Position: ResolverTypeWrapper<unknown>;
  PositionChangeKind: ResolverTypeWrapper<unknown>;
  TradeConnection: ResolverTypeWrapper<unknown>;
  TradeEdge: ResolverTypeWrapper<unknown>;
  Trade: ResolverTypeWrapper<unknown>;
  LiquidationConnection: ResolverTypeWrapper<unknown>;
  LiquidationEdge: ResolverTypeWrapper<unknown>;
  Liquidation: ResolverTypeWrapper<unknown>;
  AdlEventConnection: ResolverTypeWrapper<unknown>;
  AdlEventEdge: ResolverTypeWrapper<unknown>;
  AdlEvent: ResolverTypeWrapper<unknown>;
  InsuranceFund: ResolverTypeWrapper<unknown>;
  InsuranceLedgerConnection: ResolverTypeWrapper<unknown>;
  InsuranceLedgerEdge: ResolverTypeWrapper<unknown>;
  InsuranceReason: ResolverTypeWrapper<unknown>;
  InsuranceLedgerEntry: ResolverTypeWrapper<unknown>;
  InsuranceCoverage: ResolverTypeWrapper<unknown>;
  RiskSummary: ResolverTypeWrapper<unknown>;
  LiquidatableWithin: ResolverTypeWrapper<unknown>;
  LiquidationLadder: ResolverTypeWrapper<unknown>;
  LadderBin: ResolverTypeWrapper<unknown>;
  CascadeShockInput: ResolverTypeWrapper<unknown>;
  ImpactInput: ResolverTypeWrapper<unknown>;
  ImpactModel: ResolverTypeWrapper<unknown>;
  CascadeResult: ResolverTypeWrapper<unknown>;
  CascadeRound: ResolverTypeWrapper<unknown>;
  MarketMove: ResolverTypeWrapper<unknown>;
  StressGrid: ResolverTypeWrapper<unknown>;
  StressPoint: ResolverTypeWrapper<unknown>;
  VarLar: ResolverTypeWrapper<unknown>;
  MirrorStatus: ResolverTypeWrapper<unknown>;
  MirrorDivergence: ResolverTypeWrapper<unknown>;
  ExchangeInfo: ResolverTypeWrapper<unknown>;
  IndexingStatus: ResolverTypeWrapper<unknown>;
  AlertState: ResolverTypeWrapper<unknown>;
  AlertLabel: ResolverTypeWrapper<unknown>;
  Alert: ResolverTypeWrapper<unknown>;
  SilenceState: ResolverTypeWrapper<unknown>;
  Silence: ResolverTypeWrapper<unknown>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  BigInt: unknown;
  Decimal: unknown;
  Address: unknown;
  Timestamp: unknown;
  Query: Record<PropertyKey, never>;
  ID: unknown;
  Int: unknown;
  String: unknown;
  Float: unknown;
  Boolean: unknown;
  Subscription: Record<PropertyKey, never>;
  Market: unknown;
  MarketParams: unknown;
  Funding: unknown;
  FundingPoint: unknown;
  AccountFilter: unknown;
  AccountConnection: unknown;
  AccountEdge: unknown;
  PageInfo: unknown;
  Account: unknown;
  Position: unknown;
  TradeConnection: unknown;
  TradeEdge: unknown;
  Trade: unknown;
  LiquidationConnection: unknown;
  LiquidationEdge: unknown;
  Liquidation: unknown;
  AdlEventConnection: unknown;
  AdlEventEdge: unknown;
  AdlEvent: unknown;
  InsuranceFund: unknown;
  InsuranceLedgerConnection: unknown;
  InsuranceLedgerEdge: unknown;
  InsuranceLedgerEntry: unknown;
  InsuranceCoverage: unknown;
  RiskSummary: unknown;
  LiquidatableWithin: unknown;
  LiquidationLadder: unknown;
  LadderBin: unknown;
  CascadeShockInput: unknown;
  ImpactInput: unknown;
  CascadeResult: unknown;
  CascadeRound: unknown;
  MarketMove: unknown;
  StressGrid: unknown;
  StressPoint: unknown;
  VarLar: unknown;
  MirrorStatus: unknown;
  MirrorDivergence: unknown;
  ExchangeInfo: unknown;
  IndexingStatus: unknown;
  AlertLabel: unknown;
  Alert: unknown;
  Silence: unknown;
};

export interface BigIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['BigInt'], any> {
  name: 'BigInt';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export interface AddressScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Address'], any> {
  name: 'Address';
}

export interface TimestampScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Timestamp'], any> {
  name: 'Timestamp';
}

export type QueryResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  exchanges?: Resolver<Array<ResolversTypes['ExchangeInfo']>, ParentType, ContextType>;
  markets?: Resolver<Array<ResolversTypes['Market']>, ParentType, ContextType, Partial<QueryMarketsArgs>>;
  market?: Resolver<Maybe<ResolversTypes['Market']>, ParentType, ContextType, RequireFields<QueryMarketArgs, 'id'>>;
  accounts?: Resolver<ResolversTypes['AccountConnection'], ParentType, ContextType, RequireFields<QueryAccountsArgs, 'orderBy' | 'first'>>;
  account?: Resolver<Maybe<ResolversTypes['Account']>, ParentType, ContextType, RequireFields<QueryAccountArgs, 'id'>>;
  liquidations?: Resolver<ResolversTypes['LiquidationConnection'], ParentType, ContextType, RequireFields<QueryLiquidationsArgs, 'first'>>;
  adlEvents?: Resolver<ResolversTypes['AdlEventConnection'], ParentType, ContextType, RequireFields<QueryAdlEventsArgs, 'first'>>;
  insuranceFund?: Resolver<ResolversTypes['InsuranceFund'], ParentType, ContextType, Partial<QueryInsuranceFundArgs>>;
  riskSummary?: Resolver<ResolversTypes['RiskSummary'], ParentType, ContextType, Partial<QueryRiskSummaryArgs>>;
  liquidationLadder?: Resolver<ResolversTypes['LiquidationLadder'], ParentType, ContextType, RequireFields<QueryLiquidationLadderArgs, 'marketId' | 'range' | 'step'>>;
  cascade?: Resolver<ResolversTypes['CascadeResult'], ParentType, ContextType, RequireFields<QueryCascadeArgs, 'shock' | 'maxRounds'>>;
  stress?: Resolver<ResolversTypes['StressGrid'], ParentType, ContextType, RequireFields<QueryStressArgs, 'withImpact'>>;
  varLar?: Resolver<ResolversTypes['VarLar'], ParentType, ContextType, RequireFields<QueryVarLarArgs, 'paths' | 'seed'>>;
  mirrorStatus?: Resolver<ResolversTypes['MirrorStatus'], ParentType, ContextType, RequireFields<QueryMirrorStatusArgs, 'first'>>;
  indexingStatus?: Resolver<ResolversTypes['IndexingStatus'], ParentType, ContextType, Partial<QueryIndexingStatusArgs>>;
  alerts?: Resolver<Array<ResolversTypes['Alert']>, ParentType, ContextType, RequireFields<QueryAlertsArgs, 'first'>>;
  silences?: Resolver<Array<ResolversTypes['Silence']>, ParentType, ContextType, RequireFields<QuerySilencesArgs, 'includeExpired'>>;
};

export type SubscriptionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  riskSummary?: SubscriptionResolver<ResolversTypes['RiskSummary'], "riskSummary", ParentType, ContextType, Partial<SubscriptionRiskSummaryArgs>>;
  liquidations?: SubscriptionResolver<ResolversTypes['Liquidation'], "liquidations", ParentType, ContextType, Partial<SubscriptionLiquidationsArgs>>;
};

export type MarketResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Market'] = ResolversParentTypes['Market']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  symbol?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  params?: Resolver<ResolversTypes['MarketParams'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  priceTime?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  openInterestLong?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  openInterestShort?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  openInterestUsd?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  skew?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  skewRatio?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  funding?: Resolver<ResolversTypes['Funding'], ParentType, ContextType>;
  fundingHistory?: Resolver<Array<ResolversTypes['FundingPoint']>, ParentType, ContextType, RequireFields<MarketFundingHistoryArgs, 'interval' | 'last'>>;
  pendingBadDebt?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  updatedBlock?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
};

export type MarketParamsResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['MarketParams'] = ResolversParentTypes['MarketParams']> = {
  skewScale?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  maxFundingVelocity?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  imrScalar?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  imrMin?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  mmScalar?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  minPositionMargin?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  takerFee?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  keeperRewardRatio?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  maxKeeperReward?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  liquidationPenaltyRatio?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  maxOpenInterest?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type FundingResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Funding'] = ResolversParentTypes['Funding']> = {
  rateNow?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  rateAnnualized?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  ratePredictedNextHour?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  velocity?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  lastRate?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  lastIndex?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  lastCheckpoint?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
};

export type FundingPointResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['FundingPoint'] = ResolversParentTypes['FundingPoint']> = {
  time?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  rate?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  velocity?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  skew?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  blockNumber?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
};

export type AccountConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['AccountConnection'] = ResolversParentTypes['AccountConnection']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes['AccountEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type AccountEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['AccountEdge'] = ResolversParentTypes['AccountEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Account'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type AccountResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Account'] = ResolversParentTypes['Account']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  owner?: Resolver<ResolversTypes['Address'], ParentType, ContextType>;
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  collateral?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  equity?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  initialMargin?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  maintenanceMargin?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  notional?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  freeMargin?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  marginRatio?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  liquidatable?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  positions?: Resolver<Array<ResolversTypes['Position']>, ParentType, ContextType>;
  trades?: Resolver<ResolversTypes['TradeConnection'], ParentType, ContextType, RequireFields<AccountTradesArgs, 'first'>>;
  fundingPaid?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  unrealizedFunding?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  liquidations?: Resolver<ResolversTypes['LiquidationConnection'], ParentType, ContextType, RequireFields<AccountLiquidationsArgs, 'first'>>;
  createdBlock?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  updatedBlock?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
};

export type PositionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Position'] = ResolversParentTypes['Position']> = {
  market?: Resolver<ResolversTypes['Market'], ParentType, ContextType>;
  size?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  entryPrice?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  entryFundingIndex?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  notional?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  unrealizedPnl?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  unrealizedFunding?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  initialMargin?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  maintenanceMargin?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  liquidationPrice?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type TradeConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['TradeConnection'] = ResolversParentTypes['TradeConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TradeEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type TradeEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['TradeEdge'] = ResolversParentTypes['TradeEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Trade'], ParentType, ContextType>;
};

export type TradeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Trade'] = ResolversParentTypes['Trade']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['PositionChangeKind'], ParentType, ContextType>;
  market?: Resolver<ResolversTypes['Market'], ParentType, ContextType>;
  sizeDelta?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  newSize?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  fillPrice?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  realizedPnl?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  realizedFunding?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  fee?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  newCollateral?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  blockNumber?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  transactionHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LiquidationConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LiquidationConnection'] = ResolversParentTypes['LiquidationConnection']> = {
  edges?: Resolver<Array<ResolversTypes['LiquidationEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type LiquidationEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LiquidationEdge'] = ResolversParentTypes['LiquidationEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Liquidation'], ParentType, ContextType>;
};

export type LiquidationResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Liquidation'] = ResolversParentTypes['Liquidation']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  accountId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  account?: Resolver<ResolversTypes['Account'], ParentType, ContextType>;
  liquidator?: Resolver<ResolversTypes['Address'], ParentType, ContextType>;
  equity?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  maintenanceMargin?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  notional?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  keeperReward?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  penaltyToInsurance?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  insuranceCovered?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  badDebt?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  blockNumber?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  transactionHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type AdlEventConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['AdlEventConnection'] = ResolversParentTypes['AdlEventConnection']> = {
  edges?: Resolver<Array<ResolversTypes['AdlEventEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type AdlEventEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['AdlEventEdge'] = ResolversParentTypes['AdlEventEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['AdlEvent'], ParentType, ContextType>;
};

export type AdlEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['AdlEvent'] = ResolversParentTypes['AdlEvent']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  bankruptAccountId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  counterpartyAccountId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  market?: Resolver<ResolversTypes['Market'], ParentType, ContextType>;
  sizeDelta?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  bankruptcyPrice?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  lossAbsorbed?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  blockNumber?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  transactionHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type InsuranceFundResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['InsuranceFund'] = ResolversParentTypes['InsuranceFund']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  balance?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  pendingBadDebt?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  ledger?: Resolver<ResolversTypes['InsuranceLedgerConnection'], ParentType, ContextType, RequireFields<InsuranceFundLedgerArgs, 'first'>>;
  coverage?: Resolver<ResolversTypes['InsuranceCoverage'], ParentType, ContextType>;
};

export type InsuranceLedgerConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['InsuranceLedgerConnection'] = ResolversParentTypes['InsuranceLedgerConnection']> = {
  edges?: Resolver<Array<ResolversTypes['InsuranceLedgerEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type InsuranceLedgerEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['InsuranceLedgerEdge'] = ResolversParentTypes['InsuranceLedgerEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['InsuranceLedgerEntry'], ParentType, ContextType>;
};

export type InsuranceLedgerEntryResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['InsuranceLedgerEntry'] = ResolversParentTypes['InsuranceLedgerEntry']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  delta?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  balance?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['InsuranceReason'], ParentType, ContextType>;
  blockNumber?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  transactionHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type InsuranceCoverageResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['InsuranceCoverage'] = ResolversParentTypes['InsuranceCoverage']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  worstBadDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  worstShock?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  coverageRatio?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  firstUncoveredShock?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type RiskSummaryResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['RiskSummary'] = ResolversParentTypes['RiskSummary']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  market?: Resolver<Maybe<ResolversTypes['Market']>, ParentType, ContextType>;
  openInterestUsd?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  accountsWithPositions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  accountsAtRisk?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  liquidatableWithin?: Resolver<ResolversTypes['LiquidatableWithin'], ParentType, ContextType>;
  insuranceFund?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  pendingBadDebt?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  amplificationAt10?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  cascadeLiquidationsAt10?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  cascadeBadDebtAt10?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  adlLikely?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  maxAbsFundingRate?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type LiquidatableWithinResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LiquidatableWithin'] = ResolversParentTypes['LiquidatableWithin']> = {
  pct1?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  pct3?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  pct5?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  pct10?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type LiquidationLadderResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LiquidationLadder'] = ResolversParentTypes['LiquidationLadder']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  market?: Resolver<ResolversTypes['Market'], ParentType, ContextType>;
  bins?: Resolver<Array<ResolversTypes['LadderBin']>, ParentType, ContextType>;
  atMark?: Resolver<ResolversTypes['LadderBin'], ParentType, ContextType>;
  within?: Resolver<ResolversTypes['LiquidatableWithin'], ParentType, ContextType>;
  withinDown?: Resolver<ResolversTypes['LiquidatableWithin'], ParentType, ContextType>;
  withinUp?: Resolver<ResolversTypes['LiquidatableWithin'], ParentType, ContextType>;
};

export type LadderBinResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['LadderBin'] = ResolversParentTypes['LadderBin']> = {
  move?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  accounts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  liquidatedNotional?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  marketNotional?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  badDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type CascadeResultResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['CascadeResult'] = ResolversParentTypes['CascadeResult']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  rounds?: Resolver<Array<ResolversTypes['CascadeRound']>, ParentType, ContextType>;
  liquidatedNotional?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  liquidatedAccounts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  badDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  insuranceCovered?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  uncoveredBadDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  insuranceCoverage?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  adlTriggered?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  amplification?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  converged?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  finalMoves?: Resolver<Array<ResolversTypes['MarketMove']>, ParentType, ContextType>;
};

export type CascadeRoundResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['CascadeRound'] = ResolversParentTypes['CascadeRound']> = {
  round?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  moves?: Resolver<Array<ResolversTypes['MarketMove']>, ParentType, ContextType>;
  liquidatedNotional?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  liquidatedAccounts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  badDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  insuranceFund?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type MarketMoveResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['MarketMove'] = ResolversParentTypes['MarketMove']> = {
  market?: Resolver<ResolversTypes['Market'], ParentType, ContextType>;
  move?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type StressGridResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['StressGrid'] = ResolversParentTypes['StressGrid']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  withImpact?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  points?: Resolver<Array<ResolversTypes['StressPoint']>, ParentType, ContextType>;
  firstBadDebtDown?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  firstBadDebtUp?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  firstAdlDown?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  firstAdlUp?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type StressPointResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['StressPoint'] = ResolversParentTypes['StressPoint']> = {
  shock?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  finalMove?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  liquidatedNotional?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  liquidatedAccounts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  badDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  uncoveredBadDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  adlTriggered?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  amplification?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type VarLarResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['VarLar'] = ResolversParentTypes['VarLar']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  paths?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  steps?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  badDebtVar95?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  badDebtVar99?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  badDebtExpectedShortfall95?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  badDebtExpectedShortfall99?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  liquidationsLar95?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  liquidationsLar99?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanBadDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  meanLiquidations?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  probabilityOfBadDebt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  probabilityOfLiquidation?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type MirrorStatusResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['MirrorStatus'] = ResolversParentTypes['MirrorStatus']> = {
  block?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  checkedThroughBlock?: Resolver<Maybe<ResolversTypes['BigInt']>, ParentType, ContextType>;
  eventsChecked?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  divergenceCount?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  inSync?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  divergences?: Resolver<Array<ResolversTypes['MirrorDivergence']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type MirrorDivergenceResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['MirrorDivergence'] = ResolversParentTypes['MirrorDivergence']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  event?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  chainValue?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  mirrorValue?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  blockNumber?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  logIndex?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  transactionHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ExchangeInfoResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['ExchangeInfo'] = ResolversParentTypes['ExchangeInfo']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  protocol?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  chainId?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  adlSupported?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  liquidationsExecuteAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type IndexingStatusResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['IndexingStatus'] = ResolversParentTypes['IndexingStatus']> = {
  chainHead?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  chainHeadTime?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  indexedBlock?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  indexedTime?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  lagBlocks?: Resolver<ResolversTypes['BigInt'], ParentType, ContextType>;
  lagSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  live?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type AlertLabelResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['AlertLabel'] = ResolversParentTypes['AlertLabel']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type AlertResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Alert'] = ResolversParentTypes['Alert']> = {
  fingerprint?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rule?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['AlertState'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  exchange?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  market?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  account?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  summary?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  labels?: Resolver<Array<ResolversTypes['AlertLabel']>, ParentType, ContextType>;
  annotations?: Resolver<Array<ResolversTypes['AlertLabel']>, ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  threshold?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  startsAt?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  endsAt?: Resolver<Maybe<ResolversTypes['Timestamp']>, ParentType, ContextType>;
  block?: Resolver<Maybe<ResolversTypes['BigInt']>, ParentType, ContextType>;
};

export type SilenceResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Silence'] = ResolversParentTypes['Silence']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  matchers?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['SilenceState'], ParentType, ContextType>;
  startsAt?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  endsAt?: Resolver<ResolversTypes['Timestamp'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  comment?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = ApiContext> = {
  BigInt?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Address?: GraphQLScalarType;
  Timestamp?: GraphQLScalarType;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Market?: MarketResolvers<ContextType>;
  MarketParams?: MarketParamsResolvers<ContextType>;
  Funding?: FundingResolvers<ContextType>;
  FundingPoint?: FundingPointResolvers<ContextType>;
  AccountConnection?: AccountConnectionResolvers<ContextType>;
  AccountEdge?: AccountEdgeResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Account?: AccountResolvers<ContextType>;
  Position?: PositionResolvers<ContextType>;
  TradeConnection?: TradeConnectionResolvers<ContextType>;
  TradeEdge?: TradeEdgeResolvers<ContextType>;
  Trade?: TradeResolvers<ContextType>;
  LiquidationConnection?: LiquidationConnectionResolvers<ContextType>;
  LiquidationEdge?: LiquidationEdgeResolvers<ContextType>;
  Liquidation?: LiquidationResolvers<ContextType>;
  AdlEventConnection?: AdlEventConnectionResolvers<ContextType>;
  AdlEventEdge?: AdlEventEdgeResolvers<ContextType>;
  AdlEvent?: AdlEventResolvers<ContextType>;
  InsuranceFund?: InsuranceFundResolvers<ContextType>;
  InsuranceLedgerConnection?: InsuranceLedgerConnectionResolvers<ContextType>;
  InsuranceLedgerEdge?: InsuranceLedgerEdgeResolvers<ContextType>;
  InsuranceLedgerEntry?: InsuranceLedgerEntryResolvers<ContextType>;
  InsuranceCoverage?: InsuranceCoverageResolvers<ContextType>;
  RiskSummary?: RiskSummaryResolvers<ContextType>;
  LiquidatableWithin?: LiquidatableWithinResolvers<ContextType>;
  LiquidationLadder?: LiquidationLadderResolvers<ContextType>;
  LadderBin?: LadderBinResolvers<ContextType>;
  CascadeResult?: CascadeResultResolvers<ContextType>;
  CascadeRound?: CascadeRoundResolvers<ContextType>;
  MarketMove?: MarketMoveResolvers<ContextType>;
  StressGrid?: StressGridResolvers<ContextType>;
  StressPoint?: StressPointResolvers<ContextType>;
  VarLar?: VarLarResolvers<ContextType>;
  MirrorStatus?: MirrorStatusResolvers<ContextType>;
  MirrorDivergence?: MirrorDivergenceResolvers<ContextType>;
  ExchangeInfo?: ExchangeInfoResolvers<ContextType>;
  IndexingStatus?: IndexingStatusResolvers<ContextType>;
  AlertLabel?: AlertLabelResolvers<ContextType>;
  Alert?: AlertResolvers<ContextType>;
  Silence?: SilenceResolvers<ContextType>;
};

