/**
 * The devnet's default markets: three majors and two small, volatile ones, with the contract's
 * parameters in D18 and the volatility and correlation the simulator gives their prices.
 *
 * Why: the deployer and the simulator want the parameters as the contract takes them (D18
 * bigints). The table itself lives in engine/analytics/defaultMarkets.ts — one source for the
 * devnet, the synthetic books and the analytics' default market model — and is converted here,
 * each decimal parsed exactly (`parseUnits` of its decimal string, no float rounding).
 */
import { parseUnits } from "viem";
import {
  DEFAULT_CORRELATION as ENGINE_CORRELATION,
  DEFAULT_MARKETS as ENGINE_MARKETS,
} from "../../../engine/analytics/defaultMarkets.js";
import type { MarketParams } from "../engine/types.js";

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

const d18 = (v: number): bigint => parseUnits(String(v), 18);

export const DEFAULT_MARKETS: readonly MarketSpec[] = ENGINE_MARKETS.map((m) => ({
  symbol: m.symbol,
  initialPrice: m.initialPrice,
  annualVol: m.annualVol,
  jumpsPerDay: m.jumpsPerDay,
  jumpMean: m.jumpMean,
  jumpSd: m.jumpSd,
  params: {
    skewScale: d18(m.params.skewScale),
    maxFundingVelocity: d18(m.params.maxFundingVelocity),
    imrScalar: d18(m.params.imrScalar),
    imrMin: d18(m.params.imrMin),
    mmScalar: d18(m.params.mmScalar),
    minPositionMargin: d18(m.params.minPositionMargin),
    takerFee: d18(m.params.takerFee),
    keeperRewardRatio: d18(m.params.keeperRewardRatio),
    maxKeeperReward: d18(m.params.maxKeeperReward),
    liquidationPenaltyRatio: d18(m.params.liquidationPenaltyRatio),
    maxOpenInterest: d18(m.params.maxOpenInterest),
  },
}));

/**
 * Correlation of daily log returns, in DEFAULT_MARKETS order (BTC, ETH, SOL, DOGE, WIF):
 * majors move together, small caps follow more loosely. Positive definite by construction.
 */
export const DEFAULT_CORRELATION: readonly (readonly number[])[] = ENGINE_CORRELATION;
