/**
 * Test support: plain `RiskObservation`s of a small five-market exchange, calm by default,
 * with helpers to push one figure at a time into alert territory. The exchange is the devnet's
 * default (`DEFAULT_EXCHANGE`), the only one watched, unless `over` says otherwise.
 */
import type {
  CascadeOutcome,
  MarketObservation,
  RiskObservation,
} from "../../../alerts/observation.js";

export const SYMBOLS = ["BTC", "ETH", "SOL", "DOGE", "WIF"] as const;

/** The id of the single devnet exchange (`<protocol>-<chain id>`). */
export const DEFAULT_EXCHANGE = "reference-31337";

export function cascade(shock: number, amplification = 1, liquidatedNotional = 0): CascadeOutcome {
  return {
    shock,
    amplification,
    liquidatedNotional,
    liquidatedAccounts: liquidatedNotional > 0 ? 3 : 0,
    badDebt: 0,
    adlTriggered: false,
  };
}

export function market(i: number, over: Partial<MarketObservation> = {}): MarketObservation {
  return {
    id: String(i + 1),
    symbol: SYMBOLS[i]!,
    price: [95_000, 3_400, 170, 0.23, 2.3][i]!,
    priceTime: 1_700_000_000,
    openInterestUsd: 1_000_000,
    skewRatio: 0.05,
    fundingRate: 0.0001,
    fundingVelocity: 0.01,
    pendingBadDebt: 0,
    liquidatableWithin: { pct1: 0, pct3: 10_000, pct5: 20_000, pct10: 50_000 },
    cascades: [cascade(-0.1)],
    ...over,
  };
}

export function observation(block = 100, over: Partial<RiskObservation> = {}): RiskObservation {
  return {
    exchangeId: DEFAULT_EXCHANGE,
    watchedExchanges: [DEFAULT_EXCHANGE],
    block: {
      number: BigInt(block),
      hash: `0x${block.toString(16).padStart(64, "0")}`,
      timestamp: 1_700_000_000 + block - 100,
    },
    observedAtMs: 1_700_000_000_000 + (block - 100) * 1000,
    indexing: {
      chainHead: BigInt(block),
      indexedBlock: BigInt(block),
      lagBlocks: 0,
      lagSeconds: 0,
      live: true,
    },
    markets: SYMBOLS.map((_, i) => market(i)),
    exchange: {
      openInterestUsd: 5_000_000,
      accountsAtRisk: 0,
      insuranceFund: 50_000,
      pendingBadDebt: 0,
      amplificationAt10: 1,
      adlLikely: false,
      maxAbsFundingRate: 0.0001,
      liquidatableWithin: { pct1: 0, pct3: 50_000, pct5: 100_000, pct10: 250_000 },
    },
    correlatedCascades: [cascade(-0.1)],
    liquidations: [],
    topAccounts: [],
    mirror: { eventsChecked: 1000, divergenceCount: 0 },
    ...over,
  };
}

/** The observation with market `symbol` changed. */
export function withMarket(
  obs: RiskObservation,
  symbol: string,
  over: Partial<MarketObservation>,
): RiskObservation {
  return {
    ...obs,
    markets: obs.markets?.map((m) => (m.symbol === symbol ? { ...m, ...over } : m)),
  };
}
