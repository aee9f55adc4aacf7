/**
 * A `RiskObservation`: everything the rules look at, as plain data at one indexed block of one
 * exchange (each exchange has its own chain, blocks and observations).
 *
 * Why a type of our own rather than the API's answers: the evaluator is a pure function of
 * this value, so rules are tested without a server, recorded observations can be replayed,
 * and when the GraphQL schema moves only `source/` (which builds this from API answers)
 * changes. Sections are optional because each evaluation asks the API only for what its due
 * rules need (a cron run of the stress rules does not fetch accounts); a rule whose section
 * is missing reports "no data" and its alerts keep their state.
 *
 * Figures are float64: thresholds are risk estimates, not ledger entries (exact amounts stay
 * in the API as decimal strings).
 */

export interface BlockRef {
  number: bigint;
  /** Block hash when the source knows it (used to retract alerts raised on reorged blocks). */
  hash: string | null;
  /** Block timestamp, unix seconds. */
  timestamp: number;
}

export interface LiquidatableWithin {
  pct1: number;
  pct3: number;
  pct5: number;
  pct10: number;
}

export interface CascadeOutcome {
  /** The initial shock, as a fraction (−0.1 = 10% down). */
  shock: number;
  amplification: number;
  liquidatedNotional: number;
  liquidatedAccounts: number;
  badDebt: number;
  adlTriggered: boolean;
}

export interface MarketObservation {
  id: string;
  symbol: string;
  price: number;
  /** Oracle publish time, unix seconds (null before the first price). */
  priceTime: number | null;
  openInterestUsd: number;
  skewRatio: number;
  /** Daily funding rate and its daily velocity, as fractions. */
  fundingRate: number;
  fundingVelocity: number;
  pendingBadDebt: number;
  /** Per-market liquidatable notional (riskSummary(marketId)), when asked for. */
  liquidatableWithin?: LiquidatableWithin;
  /** This market shocked alone, one outcome per shock asked for. */
  cascades?: CascadeOutcome[];
}

export interface ExchangeObservation {
  openInterestUsd: number;
  accountsAtRisk: number;
  insuranceFund: number;
  pendingBadDebt: number;
  amplificationAt10: number;
  adlLikely: boolean;
  maxAbsFundingRate: number;
  liquidatableWithin: LiquidatableWithin;
}

export interface LiquidationObservation {
  id: string;
  accountId: string;
  notional: number;
  badDebt: number;
  insuranceCovered: number;
  blockNumber: bigint;
  /** Unix seconds. */
  timestamp: number;
}

export interface AccountObservation {
  id: string;
  /** Maintenance margin / equity; null when equity ≤ 0 (underwater). */
  marginRatio: number | null;
  notional: number;
  equity: number;
  liquidatable: boolean;
  positions: { marketId: string; notional: number }[];
}

export interface StressObservation {
  withImpact: boolean;
  points: {
    shock: number;
    liquidatedNotional: number;
    badDebt: number;
    uncoveredBadDebt: number;
    amplification: number;
  }[];
}

export interface VarObservation {
  paths: number;
  seed: number;
  badDebtVar95: number;
  badDebtVar99: number;
  liquidationsLar95: number;
  liquidationsLar99: number;
}

export interface IndexingObservation {
  chainHead: bigint;
  indexedBlock: bigint;
  lagBlocks: number;
  lagSeconds: number;
  live: boolean;
}

export interface RiskObservation {
  /** The exchange observed (the API's `exchanges[].id`); `block` is that exchange's chain's. */
  exchangeId: string;
  /**
   * Every exchange the worker watches, in the API's order (alerts name their exchange in the
   * summary when there are several).
   */
  watchedExchanges: readonly string[];
  block: BlockRef;
  /** Wall-clock time the observation was taken (ms since epoch). */
  observedAtMs: number;
  indexing?: IndexingObservation;
  markets?: MarketObservation[];
  exchange?: ExchangeObservation;
  /** Correlated shocks of every market by beta, when asked for. */
  correlatedCascades?: CascadeOutcome[];
  /** Liquidations newest first, back to at least the longest window asked for. */
  liquidations?: LiquidationObservation[];
  /** Largest accounts by notional, when asked for. */
  topAccounts?: AccountObservation[];
  mirror?: { eventsChecked: number; divergenceCount: number };
  stress?: StressObservation;
  varLar?: VarObservation;
}

/** What one evaluation needs from the source: the union over its due rules. */
export interface ObservationNeeds {
  indexing: boolean;
  markets: boolean;
  exchange: boolean;
  marketRisk: boolean;
  /** Shocks to run per market (each market alone). */
  marketShocks: number[];
  /** Correlated shocks (every market by its beta). */
  correlatedShocks: number[];
  /** Liquidations back this far (ms of chain time); 0 = none. */
  liquidationWindowMs: number;
  /** Top accounts by notional; 0 = none. */
  topAccounts: number;
  mirror: boolean;
  stress: { shocks: number[]; withImpact: boolean } | null;
  varLar: { paths: number; seed: number } | null;
}

export function emptyNeeds(): ObservationNeeds {
  return {
    indexing: false,
    markets: false,
    exchange: false,
    marketRisk: false,
    marketShocks: [],
    correlatedShocks: [],
    liquidationWindowMs: 0,
    topAccounts: 0,
    mirror: false,
    stress: null,
    varLar: null,
  };
}

/** One sample of the block path kept in memory for window rules (oracle jump, drawdown). */
export interface HistorySample {
  blockNumber: bigint;
  /** Chain time, unix seconds. */
  timestamp: number;
  prices: Record<string, number>;
  insuranceFund: number | null;
}

/**
 * What block `obs` showed that the window rules read later: its prices and the fund (`fund`
 * when the observation has no exchange summary). Null when it shows neither. A rule set that
 * reads only the fund observes no markets: its samples must be kept all the same.
 */
export function historySample(
  obs: RiskObservation,
  fund: number | undefined = obs.exchange?.insuranceFund,
): HistorySample | null {
  if (!obs.markets && fund === undefined) return null;
  return {
    blockNumber: obs.block.number,
    timestamp: obs.block.timestamp,
    prices: Object.fromEntries((obs.markets ?? []).map((m) => [m.id, m.price])),
    insuranceFund: fund ?? null,
  };
}
