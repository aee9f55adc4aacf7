/**
 * Oracle prices as correlated geometric random walks with jumps. Log returns of all markets
 * share one Cholesky-correlated Gaussian draw per step; each market also has its own Poisson
 * jumps. Scenarios steer the walk with an overlay (volatility scale, drift, forced jumps), so
 * a crash is part of the same process rather than a separate script.
 */
import { cholesky } from "../../engine/analytics/cholesky.js";
import type { SeededRandom } from "../../engine/seededRandom.js";

export interface PriceMarket {
  initialPrice: number;
  annualVol: number;
  jumpsPerDay: number;
  jumpMean: number;
  jumpSd: number;
}

/** What a scenario adds to one step: all log-return terms, per market. */
export interface PriceOverlay {
  volScale: number;
  drift: readonly number[];
  jump: readonly number[];
}

const SECONDS_PER_YEAR = 365 * 86_400;
const SECONDS_PER_DAY = 86_400;

export class PriceModel {
  /** Cholesky factor of the correlation, n×n row-major. */
  private readonly chol: Float64Array;
  private logPrices: number[];
  /** Price history, newest last, for strategies that look back (trend followers). */
  readonly history: number[][];
  private readonly maxHistory = 600;

  constructor(
    readonly markets: readonly PriceMarket[],
    correlation: readonly (readonly number[])[],
    private readonly rng: SeededRandom,
  ) {
    if (correlation.length !== markets.length) {
      throw new Error(
        `PriceModel: ${markets.length} markets but a ${correlation.length}x? correlation`,
      );
    }
    this.chol = cholesky(correlation.flat(), markets.length);
    this.logPrices = markets.map((m) => Math.log(m.initialPrice));
    this.history = [this.prices()];
  }

  prices(): number[] {
    return this.logPrices.map((lp) => Math.exp(lp));
  }

  /** Price `lookback` steps ago (or the oldest kept). */
  pastPrice(market: number, lookback: number): number {
    const idx = Math.max(0, this.history.length - 1 - lookback);
    return this.history[idx]![market]!;
  }

  /** Advances `dtSeconds` and returns the new prices. */
  step(dtSeconds: number, overlay?: PriceOverlay): number[] {
    const n = this.markets.length;
    const eps = Array.from({ length: n }, () => this.rng.normal());
    const volScale = overlay?.volScale ?? 1;
    for (let i = 0; i < n; i++) {
      const m = this.markets[i]!;
      let z = 0;
      for (let k = 0; k <= i; k++) z += this.chol[i * n + k]! * eps[k]!;
      const sigma = m.annualVol * volScale * Math.sqrt(dtSeconds / SECONDS_PER_YEAR);
      let r = -0.5 * sigma * sigma + sigma * z;
      if (this.rng.chance((m.jumpsPerDay * dtSeconds) / SECONDS_PER_DAY)) {
        r += m.jumpMean + m.jumpSd * this.rng.normal();
      }
      r += (overlay?.drift[i] ?? 0) + (overlay?.jump[i] ?? 0);
      this.logPrices[i] = this.logPrices[i]! + r;
    }
    const prices = this.prices();
    this.history.push(prices);
    if (this.history.length > this.maxHistory) this.history.shift();
    return prices;
  }
}
