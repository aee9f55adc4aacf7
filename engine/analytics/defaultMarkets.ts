/**
 * The default markets — three majors and two small, volatile ones — with the contract's eleven
 * parameters, the starting price, and the volatility, jumps and correlation their prices have.
 *
 * Why: the devnet deploys these markets and simulates their prices (devnet/markets.ts converts
 * them to D18), the synthetic books of tests and benchmarks copy them, and the analytics'
 * default market model assumes their volatility and correlation. One table, here in engine/
 * (which imports nothing outside engine and which devnet may import), so the three cannot
 * drift apart. Parameters are in the ranges live Synthetix/GMX markets use (50x max on
 * BTC/ETH, 20x on the small caps, size-scaled initial margin, maintenance at half of initial).
 * Every value is a plain decimal number, written so that `String(value)` is its exact decimal:
 * devnet parses that string to D18, so the chain gets exactly these values.
 */

/** The contract's eleven market parameters, as decimal numbers (D18 on chain). */
export interface DecimalMarketParams {
  skewScale: number;
  maxFundingVelocity: number;
  imrScalar: number;
  imrMin: number;
  mmScalar: number;
  minPositionMargin: number;
  takerFee: number;
  keeperRewardRatio: number;
  maxKeeperReward: number;
  liquidationPenaltyRatio: number;
  maxOpenInterest: number;
}

export interface DefaultMarket {
  symbol: string;
  /** Starting oracle price, USD. */
  initialPrice: number;
  /** Annualized volatility of the price (the simulator's and the analytics' default). */
  annualVol: number;
  /** Jumps per day and the mean / sd of their log size. */
  jumpsPerDay: number;
  jumpMean: number;
  jumpSd: number;
  params: Readonly<DecimalMarketParams>;
}

export const DEFAULT_MARKETS: readonly Readonly<DefaultMarket>[] = [
  {
    symbol: "BTC",
    initialPrice: 95_000,
    annualVol: 0.55,
    jumpsPerDay: 2,
    jumpMean: 0,
    jumpSd: 0.01,
    params: {
      skewScale: 10_000,
      maxFundingVelocity: 9,
      imrScalar: 1,
      imrMin: 0.02,
      mmScalar: 0.5,
      minPositionMargin: 50,
      takerFee: 0.0005,
      keeperRewardRatio: 0.0005,
      maxKeeperReward: 500,
      liquidationPenaltyRatio: 0.005,
      maxOpenInterest: 4_000,
    },
  },
  {
    symbol: "ETH",
    initialPrice: 3_400,
    annualVol: 0.7,
    jumpsPerDay: 2,
    jumpMean: 0,
    jumpSd: 0.012,
    params: {
      skewScale: 250_000,
      maxFundingVelocity: 9,
      imrScalar: 1,
      imrMin: 0.02,
      mmScalar: 0.5,
      minPositionMargin: 50,
      takerFee: 0.0005,
      keeperRewardRatio: 0.0005,
      maxKeeperReward: 500,
      liquidationPenaltyRatio: 0.005,
      maxOpenInterest: 100_000,
    },
  },
  {
    symbol: "SOL",
    initialPrice: 180,
    annualVol: 0.9,
    jumpsPerDay: 3,
    jumpMean: 0,
    jumpSd: 0.015,
    params: {
      skewScale: 2_000_000,
      maxFundingVelocity: 12,
      imrScalar: 1.5,
      imrMin: 0.03,
      mmScalar: 0.5,
      minPositionMargin: 25,
      takerFee: 0.0007,
      keeperRewardRatio: 0.0007,
      maxKeeperReward: 300,
      liquidationPenaltyRatio: 0.0075,
      maxOpenInterest: 1_000_000,
    },
  },
  {
    symbol: "DOGE",
    initialPrice: 0.25,
    annualVol: 1.1,
    jumpsPerDay: 4,
    jumpMean: 0,
    jumpSd: 0.025,
    params: {
      skewScale: 800_000_000,
      maxFundingVelocity: 18,
      imrScalar: 2,
      imrMin: 0.05,
      mmScalar: 0.5,
      minPositionMargin: 20,
      takerFee: 0.001,
      keeperRewardRatio: 0.001,
      maxKeeperReward: 200,
      liquidationPenaltyRatio: 0.01,
      maxOpenInterest: 400_000_000,
    },
  },
  {
    symbol: "WIF",
    initialPrice: 2.5,
    annualVol: 1.5,
    jumpsPerDay: 6,
    jumpMean: 0,
    jumpSd: 0.035,
    params: {
      skewScale: 60_000_000,
      maxFundingVelocity: 24,
      imrScalar: 2,
      imrMin: 0.05,
      mmScalar: 0.5,
      minPositionMargin: 20,
      takerFee: 0.001,
      keeperRewardRatio: 0.001,
      maxKeeperReward: 200,
      liquidationPenaltyRatio: 0.01,
      maxOpenInterest: 30_000_000,
    },
  },
];

/**
 * Correlation of daily log returns, in DEFAULT_MARKETS order (BTC, ETH, SOL, DOGE, WIF):
 * majors move together, small caps follow more loosely. Positive definite.
 */
export const DEFAULT_CORRELATION: readonly (readonly number[])[] = [
  [1.0, 0.85, 0.75, 0.65, 0.55],
  [0.85, 1.0, 0.8, 0.65, 0.55],
  [0.75, 0.8, 1.0, 0.65, 0.6],
  [0.65, 0.65, 0.65, 1.0, 0.6],
  [0.55, 0.55, 0.6, 0.6, 1.0],
];

/** The default market of `symbol`, if there is one. */
export function defaultMarket(symbol: string): Readonly<DefaultMarket> | undefined {
  return DEFAULT_MARKETS.find((m) => m.symbol === symbol);
}
