/**
 * Seeded Monte-Carlo price paths: correlated geometric Brownian motion with Poisson jumps,
 * per market, over a horizon cut into steps, as relative moves from the mark.
 *
 * Why: one-day VaR of bad debt and liquidations depends on the joint tail of all markets —
 * crypto falls together — and on jumps, which a Gaussian day misses; and a liquidation happens
 * when the path crosses a threshold, not only where it ends, hence intraday steps. The model is
 * the devnet simulator's (one Cholesky-correlated Gaussian draw per step, idiosyncratic jumps
 * per market), made martingale (drifts compensate the convexity and the jumps' mean), plus an
 * optional common jump that hits every market by its beta (a market-wide crash).
 */

import { SeededRandom } from "../seededRandom.js";
import { cholesky } from "./cholesky.js";
import { type MarketModel, shockBetas, validateMarketModel } from "./marketModel.js";

export interface PathOptions {
  /** Steps per path (default 24: hourly over one day). */
  steps?: number;
  /** Horizon in days (default 1). */
  horizonDays?: number;
  /** A jump every market takes together, scaled by its beta on market 0 (default: none). */
  commonJump?: { perDay: number; mean: number; sd: number; betas?: ArrayLike<number> };
}

export class PricePaths {
  readonly steps: number;
  readonly horizonDays: number;
  readonly marketCount: number;
  private readonly rng: SeededRandom;
  private readonly chol: Float64Array;
  private readonly drift: Float64Array;
  private readonly vol: Float64Array;
  private readonly jumpRate: Float64Array;
  /** `exp(−jumpRate)`: the Poisson draw's first probability, once per market. */
  private readonly jumpP0: Float64Array;
  private readonly jumpMean: Float64Array;
  private readonly jumpSd: Float64Array;
  private readonly common: {
    rate: number;
    p0: number;
    mean: number;
    sd: number;
    betas: Float64Array;
  } | null;
  private readonly eps: Float64Array;
  private readonly logs: Float64Array;

  constructor(model: MarketModel, seed: number, options: PathOptions = {}) {
    const n = model.markets.length;
    validateMarketModel(model, n);
    this.steps = options.steps ?? 24;
    this.horizonDays = options.horizonDays ?? 1;
    if (!(Number.isInteger(this.steps) && this.steps >= 1)) {
      throw new RangeError(`steps: ${this.steps} is not an integer ≥ 1`);
    }
    if (!(this.horizonDays > 0))
      throw new RangeError(`horizonDays: ${this.horizonDays} is not > 0`);
    this.marketCount = n;
    this.rng = new SeededRandom(seed);
    this.chol = cholesky(model.correlation, n);
    const dt = this.horizonDays / this.steps;
    this.vol = new Float64Array(n);
    this.drift = new Float64Array(n);
    this.jumpRate = new Float64Array(n);
    this.jumpP0 = new Float64Array(n);
    this.jumpMean = new Float64Array(n);
    this.jumpSd = new Float64Array(n);
    const cj = options.commonJump;
    this.common = null;
    if (cj && cj.perDay > 0) {
      if (!(cj.sd >= 0 && Number.isFinite(cj.mean))) {
        throw new RangeError(`commonJump: mean ${cj.mean} / sd ${cj.sd} are not finite / ≥ 0`);
      }
      const betas = Float64Array.from(cj.betas ?? shockBetas(model));
      if (betas.length !== n) throw new RangeError(`commonJump.betas: ${betas.length} for ${n}`);
      const rate = cj.perDay * dt;
      this.common = { rate, p0: Math.exp(-rate), mean: cj.mean, sd: cj.sd, betas };
    }
    for (let m = 0; m < n; m++) {
      const p = model.markets[m]!;
      const s = p.dailyVol * Math.sqrt(dt);
      this.vol[m] = s;
      this.jumpRate[m] = p.jumpsPerDay * dt;
      this.jumpP0[m] = Math.exp(-this.jumpRate[m]!);
      this.jumpMean[m] = p.jumpMean;
      this.jumpSd[m] = p.jumpSd;
      // E[exp(step)] = 1: convexity of the diffusion and the jumps' mean are compensated.
      let d = -0.5 * s * s - this.jumpRate[m]! * (Math.exp(p.jumpMean + 0.5 * p.jumpSd ** 2) - 1);
      if (this.common) {
        const b = this.common.betas[m]!;
        d -= this.common.rate * (Math.exp(b * cj!.mean + 0.5 * (b * cj!.sd) ** 2) - 1);
      }
      this.drift[m] = d;
    }
    this.eps = new Float64Array(n);
    this.logs = new Float64Array(n);
  }

  /** Fills `out` (length (steps + 1)·n) with one path: row t holds every market's move at step t. */
  next(out: Float64Array): void {
    const n = this.marketCount;
    const { rng, chol, eps, logs, vol, drift, jumpRate, jumpP0, jumpMean, jumpSd, common } = this;
    logs.fill(0);
    for (let m = 0; m < n; m++) out[m] = 0;
    for (let t = 1; t <= this.steps; t++) {
      for (let m = 0; m < n; m++) eps[m] = rng.normal();
      let cj = 0;
      if (common) {
        const c = rng.poisson(common.rate, common.p0);
        if (c > 0) cj = c * common.mean + Math.sqrt(c) * common.sd * rng.normal();
      }
      const row = t * n;
      for (let m = 0; m < n; m++) {
        let z = 0;
        const lr = m * n;
        for (let k = 0; k <= m; k++) z += chol[lr + k]! * eps[k]!;
        let x = drift[m]! + vol[m]! * z;
        const j = rng.poisson(jumpRate[m]!, jumpP0[m]!);
        if (j > 0) x += j * jumpMean[m]! + Math.sqrt(j) * jumpSd[m]! * rng.normal();
        if (common) x += common.betas[m]! * cj;
        const l = logs[m]! + x;
        logs[m] = l;
        out[row + m] = Math.exp(l) - 1;
      }
    }
  }
}
