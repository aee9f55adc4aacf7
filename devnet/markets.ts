/**
 * The devnet's default markets: three majors and two small, volatile ones, with parameters in
 * the ranges live Synthetix/GMX markets use (50x max on BTC/ETH, 20x on the small caps,
 * size-scaled initial margin, maintenance at half of initial) and the volatility and
 * correlation the simulator gives their prices.
 */
import { parseUnits } from "viem";
import type { MarketParams } from "../engine/exact/types.js";

/** The contract's eleven market parameters: the same plain type the exact engine uses. */
export type { MarketParams };

export interface MarketSpec {
  symbol: string;
  /** Starting oracle price in USD. */
  initialPrice: number;
  /** Annualized volatility of the simulated price. */
  annualVol: number;
  /** Jumps per day and their mean/sd log size, for the simulator. */
  jumpsPerDay: number;
  jumpMean: number;
  jumpSd: number;
  params: MarketParams;
}

const d18 = (v: string | number): bigint => parseUnits(String(v), 18);

export const DEFAULT_MARKETS: readonly MarketSpec[] = [
  {
    symbol: "BTC",
    initialPrice: 95_000,
    annualVol: 0.55,
    jumpsPerDay: 2,
    jumpMean: 0,
    jumpSd: 0.01,
    params: {
      skewScale: d18(10_000),
      maxFundingVelocity: d18(9),
      imrScalar: d18(1),
      imrMin: d18("0.02"),
      mmScalar: d18("0.5"),
      minPositionMargin: d18(50),
      takerFee: d18("0.0005"),
      keeperRewardRatio: d18("0.0005"),
      maxKeeperReward: d18(500),
      liquidationPenaltyRatio: d18("0.005"),
      maxOpenInterest: d18(4_000),
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
      skewScale: d18(250_000),
      maxFundingVelocity: d18(9),
      imrScalar: d18(1),
      imrMin: d18("0.02"),
      mmScalar: d18("0.5"),
      minPositionMargin: d18(50),
      takerFee: d18("0.0005"),
      keeperRewardRatio: d18("0.0005"),
      maxKeeperReward: d18(500),
      liquidationPenaltyRatio: d18("0.005"),
      maxOpenInterest: d18(100_000),
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
      skewScale: d18(2_000_000),
      maxFundingVelocity: d18(12),
      imrScalar: d18("1.5"),
      imrMin: d18("0.03"),
      mmScalar: d18("0.5"),
      minPositionMargin: d18(25),
      takerFee: d18("0.0007"),
      keeperRewardRatio: d18("0.0007"),
      maxKeeperReward: d18(300),
      liquidationPenaltyRatio: d18("0.0075"),
      maxOpenInterest: d18(1_000_000),
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
      skewScale: d18(800_000_000),
      maxFundingVelocity: d18(18),
      imrScalar: d18(2),
      imrMin: d18("0.05"),
      mmScalar: d18("0.5"),
      minPositionMargin: d18(20),
      takerFee: d18("0.001"),
      keeperRewardRatio: d18("0.001"),
      maxKeeperReward: d18(200),
      liquidationPenaltyRatio: d18("0.01"),
      maxOpenInterest: d18(400_000_000),
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
      skewScale: d18(60_000_000),
      maxFundingVelocity: d18(24),
      imrScalar: d18(2),
      imrMin: d18("0.05"),
      mmScalar: d18("0.5"),
      minPositionMargin: d18(20),
      takerFee: d18("0.001"),
      keeperRewardRatio: d18("0.001"),
      maxKeeperReward: d18(200),
      liquidationPenaltyRatio: d18("0.01"),
      maxOpenInterest: d18(30_000_000),
    },
  },
];

/**
 * Correlation of daily log returns, in DEFAULT_MARKETS order (BTC, ETH, SOL, DOGE, WIF):
 * majors move together, small caps follow more loosely. Positive definite by construction.
 */
export const DEFAULT_CORRELATION: readonly (readonly number[])[] = [
  [1.0, 0.85, 0.75, 0.65, 0.55],
  [0.85, 1.0, 0.8, 0.65, 0.55],
  [0.75, 0.8, 1.0, 0.65, 0.6],
  [0.65, 0.65, 0.65, 1.0, 0.6],
  [0.55, 0.55, 0.6, 0.6, 1.0],
];
