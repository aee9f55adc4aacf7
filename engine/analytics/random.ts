/**
 * Seeded random numbers for Monte-Carlo and synthetic books: uniforms, standard normals,
 * Poisson counts, all from pure-rand's xoroshiro128+.
 *
 * Why: a VaR figure a risk team cannot reproduce is worthless, so every draw comes from one
 * explicit seed; pure-rand is the project's generator (the devnet simulator uses it too), and
 * keeping the generator mutable (`next()` advances it) avoids an allocation per draw in the
 * Monte-Carlo inner loop.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

export class SeededRandom {
  private spare = 0;
  private hasSpare = false;
  private readonly gen: JumpableRandomGenerator;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`seed: ${seed} is not an integer`);
    this.gen = xoroshiro128plus(seed);
  }

  /** Uniform in [0, 1), 53 bits. */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * uniformFloat64(this.gen);
  }

  /** Log-uniform in [lo, hi): sizes and balances span orders of magnitude. */
  logBetween(lo: number, hi: number): number {
    return Math.exp(this.between(Math.log(lo), Math.log(hi)));
  }

  /** Integer in [lo, hiExclusive). */
  int(lo: number, hiExclusive: number): number {
    return lo + Math.floor(uniformFloat64(this.gen) * (hiExclusive - lo));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return uniformFloat64(this.gen) < p;
  }

  /** Standard normal (Box–Muller; both values of a pair are used). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = uniformFloat64(this.gen);
    while (u === 0) u = uniformFloat64(this.gen);
    const v = uniformFloat64(this.gen);
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Poisson count with mean `lambda` (inversion; meant for the small means of jump counts).
   * A caller drawing many counts of one mean may pass `Math.exp(-lambda)` precomputed.
   */
  poisson(lambda: number, expMinusLambda = Math.exp(-lambda)): number {
    if (lambda <= 0) return 0;
    let u = uniformFloat64(this.gen);
    let p = expMinusLambda;
    let k = 0;
    while (u > p && k < 1000) {
      u -= p;
      k++;
      p *= lambda / k;
    }
    return k;
  }
}
