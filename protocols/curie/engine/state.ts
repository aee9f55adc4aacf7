/**
 * The state of one Curie deployment as the engine mirrors it, and `createCurieState`.
 *
 * Why: every view Curie answers (account value, free collateral, margin requirement, mark and
 * index prices, pending funding) is a pure function of this state and the block time, so the
 * mirror holds exactly the contracts' storage the views read — ClearingHouseConfig's ratios and
 * intervals, MarketRegistry's fee ratios, Exchange's funding growth and tick limit, OrderBook's
 * fee growth, growth-outside tick maps and orders, AccountBalance's taker positions and owed
 * PnL, Vault balances, the pools (pool/) and each index-price feed (ChainlinkPriceFeedV3's cache
 * and its CumulativeTwap ring) — and nothing else. Values are immutable: `applyEvent`
 * (apply.ts) returns a new state sharing what it did not change.
 */
import type { Address } from "viem";
import type { CurieEvent, CurieEventNamed } from "./events.js";
import type { PendingBurn, PendingMint, RemovalDelta } from "./liquidity.js";
import type { PoolState } from "./pool/index.js";
import { IntMap } from "./pool/intMap.js";
import type { PendingSwap } from "./takerTrade.js";

/** ClearingHouseConfig (ratios in 1e6, intervals in seconds). */
export interface CurieConfig {
  imRatio: bigint;
  mmRatio: bigint;
  liquidationPenaltyRatio: bigint;
  partialCloseRatio: bigint;
  maxFundingRate: bigint;
  twapInterval: bigint;
  markPriceMarketTwapInterval: bigint;
  markPricePremiumInterval: bigint;
  maxMarketsPerAccount: number;
  settlementTokenBalanceCap: bigint;
  /** MarketRegistry.getMaxOrdersPerMarket. */
  maxOrdersPerMarket: number;
}

/** Funding.Growth: time-weighted premium, and the same divided by the market's sqrt price. */
export interface FundingGrowth {
  twPremiumX96: bigint;
  twPremiumDivBySqrtPriceX96: bigint;
}

/** Tick.GrowthInfo: OrderBook's own "growth outside" of an initialized tick. */
export interface TickGrowth {
  feeX128: bigint;
  twPremiumX96: bigint;
  twPremiumDivBySqrtPriceX96: bigint;
}

/** CumulativeTwap.Observation of ChainlinkPriceFeedV3. */
export interface FeedObservation {
  price: bigint;
  priceCumulative: bigint;
  timestamp: bigint;
}

/** One Chainlink-style feed behind a BaseToken: the aggregator's last round and the V3 feed's caches. */
export interface PriceFeedState {
  aggregator: Address;
  feed: Address;
  dispatcher: Address;
  /** Aggregator decimals (the V3 feed reports the same; the dispatcher scales to 18). */
  decimals: number;
  /** ChainlinkPriceFeedV3 timeout, seconds. */
  timeout: bigint;
  /** CachedTwap `_interval`. */
  cacheInterval: bigint;
  /** The aggregator's latest round (AnswerUpdated), undefined before the first. */
  latestRound?: { roundId: bigint; answer: bigint; updatedAt: bigint };
  lastValidPrice: bigint;
  lastValidTimestamp: bigint;
  /** CumulativeTwap ring (MAX_OBSERVATION = 1800 slots), by index. */
  observations: IntMap<FeedObservation>;
  currentObservationIndex: number;
  cachedTwap: bigint;
  lastUpdatedAt: bigint;
}

/** BaseToken status. */
export type MarketStatus = "open" | "paused" | "closed";

export interface CurieMarketState {
  baseToken: Address;
  pool: Address;
  /** Undefined until the pool's Initialize event. */
  poolState?: PoolState;
  uniswapFeeRatio: bigint;
  tickSpacing: number;
  exchangeFeeRatio: bigint;
  insuranceFundFeeRatio: bigint;
  maxPriceSpreadRatio: bigint;
  maxTickCrossedWithinBlock: bigint;
  status: MarketStatus;
  /** OrderBook `_feeGrowthGlobalX128Map`. */
  feeGrowthGlobalX128: bigint;
  /** OrderBook `_growthOutsideTickMap`. */
  growthOutside: IntMap<TickGrowth>;
  /** Exchange `_globalFundingGrowthX96Map`, `_lastSettledTimestampMap`, `_firstTradedTimestampMap`. */
  globalFundingGrowth: FundingGrowth;
  lastSettledTimestamp: bigint;
  firstTradedTimestamp: bigint;
  /** Exchange `_lastUpdatedTickMap`, `_lastTickUpdatedTimestampMap`. */
  lastUpdatedTick: number;
  lastTickUpdatedTimestamp: bigint;
  feed: PriceFeedState;
}

/** OpenOrder.Info. */
export interface OpenOrder {
  maker: Address;
  baseToken: Address;
  liquidity: bigint;
  lowerTick: number;
  upperTick: number;
  lastFeeGrowthInsideX128: bigint;
  lastTwPremiumGrowthInsideX96: bigint;
  lastTwPremiumGrowthBelowX96: bigint;
  lastTwPremiumDivBySqrtPriceGrowthInsideX96: bigint;
  baseDebt: bigint;
  quoteDebt: bigint;
}

/** AccountMarket.Info. */
export interface AccountMarket {
  takerPositionSize: bigint;
  takerOpenNotional: bigint;
  lastTwPremiumGrowthGlobalX96: bigint;
}

export interface CurieAccount {
  /** Vault `_balance[trader][settlementToken]`, settlement-token decimals. */
  balance: bigint;
  /** AccountBalance `_owedRealizedPnlMap`, 18 decimals. */
  owedRealizedPnl: bigint;
  /** AccountBalance `_baseTokensMap`, in the contract's order. */
  baseTokens: Address[];
  /** AccountBalance `_accountMarketMap` (absent = all zero). */
  markets: Record<Address, AccountMarket>;
  /** OrderBook `_openOrderIdsMap[trader][baseToken]`, in the contract's order. */
  orderIds: Record<Address, string[]>;
}

/**
 * Addresses of one deployment. The engine keys accounts and markets by address exactly as
 * given: pass these, the events' arguments and the views' arguments in one spelling (all
 * lower-case, as the plugin does, or all checksummed, as viem decodes them). Only the
 * emitting-contract lookup (`roleOf`) ignores case.
 */
export interface CurieAddresses {
  clearingHouse: Address;
  clearingHouseConfig: Address;
  accountBalance: Address;
  exchange: Address;
  orderBook: Address;
  vault: Address;
  insuranceFund: Address;
  collateralManager: Address;
  marketRegistry: Address;
  quoteToken: Address;
  settlementToken: Address;
}

export interface CurieMarketParams {
  baseToken: Address;
  pool: Address;
  aggregator: Address;
  chainlinkPriceFeed: Address;
  priceFeedDispatcher: Address;
  /** Aggregator decimals (8 for Chainlink USD feeds). */
  aggregatorDecimals: number;
  /** ChainlinkPriceFeedV3 constructor: timeout and CachedTwap interval, seconds. */
  priceFeedTimeout: bigint;
  priceFeedTwapInterval: bigint;
  /** Uniswap fee of the pool (pips) and its tick spacing. */
  uniswapFee: number;
  tickSpacing: number;
}

/** What `createCurieState` needs: what the deployment fixed without an event. */
export interface CurieDeploymentParams {
  addresses: CurieAddresses;
  settlementTokenDecimals: number;
  markets: CurieMarketParams[];
}

/**
 * What the transaction being replayed has reported so far but not yet explained (see
 * apply.ts): the pool's Swap waits for its PositionChanged, a Mint or Burn for its
 * LiquidityChanged, a liquidation's PositionChanged pair for PositionLiquidated, removed
 * liquidity for the PositionChanged that turns it into taker position.
 */
export interface PendingTx {
  block: bigint;
  transactionIndex: number;
  swaps: Record<Address, PendingSwap>;
  mints: Record<Address, PendingMint[]>;
  burns: Record<Address, PendingBurn[]>;
  positionChanges: CurieEventNamed<"ClearingHouse", "PositionChanged">[];
  removals: Record<string, RemovalDelta>;
}

export interface CurieState {
  addresses: CurieAddresses;
  settlementTokenDecimals: number;
  config: CurieConfig;
  /** By base token. */
  markets: Record<Address, CurieMarketState>;
  /** Contract role of every address the engine reads events from, lower-case keys. */
  roles: Record<string, { contract: CurieEvent["contract"]; baseToken?: Address }>;
  accounts: Record<Address, CurieAccount>;
  /** OrderBook `_openOrderMap`, by order id (OpenOrder.calcOrderKey). */
  orders: Record<string, OpenOrder>;
  /** Settlement-token wallet balances the engine needs (InsuranceFund, Vault), by lower-case address. */
  wallets: Record<string, bigint>;
  /** Vault `_totalDebt` (deprecated storage: stays 0). */
  totalDebt: bigint;
  pending?: PendingTx;
  /** Time of the last event applied. */
  lastTimestamp: bigint;
}

/** ClearingHouseConfig.initialize defaults and MarketRegistry.initialize's max orders. */
export const DEFAULT_CONFIG: CurieConfig = {
  imRatio: 100_000n,
  mmRatio: 62_500n,
  liquidationPenaltyRatio: 25_000n,
  partialCloseRatio: 0n,
  maxFundingRate: 100_000n,
  twapInterval: 900n,
  markPriceMarketTwapInterval: 1800n,
  markPricePremiumInterval: 900n,
  maxMarketsPerAccount: 255,
  settlementTokenBalanceCap: 0n,
  maxOrdersPerMarket: 255,
};

export const ZERO_GROWTH: FundingGrowth = { twPremiumX96: 0n, twPremiumDivBySqrtPriceX96: 0n };

const key = (a: string) => a.toLowerCase();

export { applyEvent, closeTransaction } from "./apply.js";

/** The state right after deployment, before any event (replay the deployment's blocks next). */
export function createCurieState(p: CurieDeploymentParams): CurieState {
  const a = p.addresses;
  const roles: CurieState["roles"] = {
    [key(a.clearingHouse)]: { contract: "ClearingHouse" },
    [key(a.clearingHouseConfig)]: { contract: "ClearingHouseConfig" },
    [key(a.accountBalance)]: { contract: "AccountBalance" },
    [key(a.exchange)]: { contract: "Exchange" },
    [key(a.vault)]: { contract: "Vault" },
    [key(a.insuranceFund)]: { contract: "InsuranceFund" },
    [key(a.collateralManager)]: { contract: "CollateralManager" },
    [key(a.marketRegistry)]: { contract: "MarketRegistry" },
    [key(a.settlementToken)]: { contract: "SettlementToken" },
  };
  const markets: Record<Address, CurieMarketState> = {};
  for (const m of p.markets) {
    roles[key(m.baseToken)] = { contract: "BaseToken", baseToken: m.baseToken };
    roles[key(m.pool)] = { contract: "Pool", baseToken: m.baseToken };
    roles[key(m.aggregator)] = { contract: "Aggregator", baseToken: m.baseToken };
    roles[key(m.chainlinkPriceFeed)] = { contract: "PriceFeed", baseToken: m.baseToken };
    roles[key(m.priceFeedDispatcher)] = { contract: "PriceFeedDispatcher", baseToken: m.baseToken };
    markets[m.baseToken] = {
      baseToken: m.baseToken,
      pool: m.pool,
      uniswapFeeRatio: BigInt(m.uniswapFee),
      tickSpacing: m.tickSpacing,
      exchangeFeeRatio: BigInt(m.uniswapFee),
      insuranceFundFeeRatio: 0n,
      maxPriceSpreadRatio: 100_000n,
      maxTickCrossedWithinBlock: 0n,
      status: "open",
      feeGrowthGlobalX128: 0n,
      growthOutside: IntMap.empty(),
      globalFundingGrowth: ZERO_GROWTH,
      lastSettledTimestamp: 0n,
      firstTradedTimestamp: 0n,
      lastUpdatedTick: 0,
      lastTickUpdatedTimestamp: 0n,
      feed: {
        aggregator: m.aggregator,
        feed: m.chainlinkPriceFeed,
        dispatcher: m.priceFeedDispatcher,
        decimals: m.aggregatorDecimals,
        timeout: m.priceFeedTimeout,
        cacheInterval: m.priceFeedTwapInterval,
        lastValidPrice: 0n,
        lastValidTimestamp: 0n,
        observations: IntMap.empty(),
        currentObservationIndex: 0,
        cachedTwap: 0n,
        lastUpdatedAt: 0n,
      },
    };
  }
  return {
    addresses: a,
    settlementTokenDecimals: p.settlementTokenDecimals,
    config: DEFAULT_CONFIG,
    markets,
    roles,
    accounts: {},
    orders: {},
    wallets: {},
    totalDebt: 0n,
    lastTimestamp: 0n,
  };
}

/** The contract role of `address` in this deployment (to decode its logs), or undefined. */
export function roleOf(s: CurieState, address: string) {
  return s.roles[key(address)];
}

export const EMPTY_ACCOUNT: CurieAccount = {
  balance: 0n,
  owedRealizedPnl: 0n,
  baseTokens: [],
  markets: {},
  orderIds: {},
};
export const EMPTY_ACCOUNT_MARKET: AccountMarket = {
  takerPositionSize: 0n,
  takerOpenNotional: 0n,
  lastTwPremiumGrowthGlobalX96: 0n,
};

export function accountOf(s: CurieState, trader: Address): CurieAccount {
  return s.accounts[trader] ?? EMPTY_ACCOUNT;
}
export function accountMarketOf(s: CurieState, trader: Address, base: Address): AccountMarket {
  return s.accounts[trader]?.markets[base] ?? EMPTY_ACCOUNT_MARKET;
}
export function marketOf(s: CurieState, base: Address): CurieMarketState {
  const m = s.markets[base];
  if (!m) throw new Error(`curie engine: ${base} is not a market of this deployment`);
  return m;
}
/** The market's pool state; throws if the pool was not initialised yet. */
export function poolOf(m: CurieMarketState): PoolState {
  if (!m.poolState)
    throw new Error(`curie engine: pool ${m.pool} of ${m.baseToken} is not initialised`);
  return m.poolState;
}

/** Thrown when an event's own figures differ from what the mirror computed. */
export class MirrorMismatch extends Error {
  constructor(
    readonly event: string,
    readonly field: string,
    readonly expected: unknown,
    readonly actual: unknown,
  ) {
    super(
      `curie mirror mismatch: ${event} ${field} is ${String(actual)} on chain, the mirror computed ${String(expected)}`,
    );
    this.name = "MirrorMismatch";
  }
}

/** A view or call the contract would revert (a SafeCast overflow, an underflow), with its reason. */
export class ContractRevert extends Error {
  constructor(readonly reason: string) {
    super(`curie: the contract reverts (${reason})`);
    this.name = "ContractRevert";
  }
}
