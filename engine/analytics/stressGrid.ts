/**
 * Stress grid: the cascade (or the shock alone) run over a range of shocks, default −50%…+50%
 * in 40 steps, one row per shock.
 *
 * Why: a single cascade answers "what if BTC drops 20%"; a risk committee asks where the
 * cliff is — at which shock bad debt starts, where it outgrows the insurance fund and ADL
 * triggers, how amplification grows with the shock. The grid reuses one prepared context
 * (exposure, reach order, spillover) across shocks, so the cost per shock is the cascade's
 * re-checks only. `mode: "shock"` is the ladder's view (no impact: what the shock alone
 * liquidates, correlated or not); `mode: "cascade"` adds impact and spillover.
 */
import {
  type CascadeContext,
  type CascadeOptions,
  type CascadeResult,
  prepareCascade,
  runCascade,
  type Shock,
} from "./cascade.js";
import type { MarketModel } from "./marketModel.js";
import type { PositionStore } from "./positionStore.js";

export interface StressOptions extends CascadeOptions {
  /** Shocks (relative moves); default 40 evenly spaced from −0.5 to +0.5. */
  shocks?: readonly number[];
  /** "cascade" (default) runs impact; "shock" liquidates at the shocked prices only. */
  mode?: "cascade" | "shock";
  /** Shock one market (index) instead of all markets by their betas. */
  market?: number;
  /** Betas of the correlated shock (default: the model's, on market 0). */
  betas?: ArrayLike<number>;
}

export interface StressRow {
  shock: number;
  /** The final move: of the shocked market, or the amplification-weighted move of all. */
  finalMove: number;
  liquidatedAccounts: number;
  liquidatedNotional: number;
  badDebt: number;
  insuranceCovered: number;
  uncoveredBadDebt: number;
  adlTriggered: boolean;
  amplification: number;
  rounds: number;
  converged: boolean;
}

export interface StressGrid {
  mode: "cascade" | "shock";
  rows: StressRow[];
  /** The smallest shock (by size) on each side whose row has bad debt / triggers ADL (NaN: none). */
  firstBadDebt: { down: number; up: number };
  firstAdl: { down: number; up: number };
}

/** `n` evenly spaced values from `lo` to `hi` inclusive. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`n: ${n} is not an integer ≥ 2`);
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

function first(rows: readonly StressRow[], hit: (r: StressRow) => boolean) {
  let down = Number.NaN;
  let up = Number.NaN;
  for (const r of rows) {
    if (!hit(r)) continue;
    if (r.shock < 0 && !(r.shock <= down)) down = r.shock;
    if (r.shock > 0 && !(r.shock >= up)) up = r.shock;
  }
  return { down, up };
}

export function stressGrid(
  store: PositionStore,
  options: StressOptions = {},
  model?: MarketModel,
  ctx: CascadeContext = prepareCascade(store, model),
): StressGrid & { results: CascadeResult[] } {
  const mode = options.mode ?? "cascade";
  const shocks = options.shocks ?? linspace(-0.5, 0.5, 40);
  const cascadeOptions: CascadeOptions = {
    ...options,
    impact: mode === "shock" ? "none" : (options.impact ?? "sqrt"),
  };
  const rows: StressRow[] = [];
  const results: CascadeResult[] = [];
  for (const x of shocks) {
    const shock: Shock =
      options.market !== undefined
        ? { kind: "market", market: options.market, move: x }
        : options.betas !== undefined
          ? { kind: "correlated", move: x, betas: options.betas }
          : { kind: "correlated", move: x };
    const r = runCascade(ctx, shock, cascadeOptions);
    results.push(r);
    rows.push({
      shock: x,
      finalMove: x * r.amplification,
      liquidatedAccounts: r.liquidatedAccounts,
      liquidatedNotional: r.liquidatedNotional,
      badDebt: r.badDebt,
      insuranceCovered: r.insuranceCovered,
      uncoveredBadDebt: r.uncoveredBadDebt,
      adlTriggered: r.adlTriggered,
      amplification: r.amplification,
      rounds: r.rounds.length,
      converged: r.converged,
    });
  }
  return {
    mode,
    rows,
    results,
    firstBadDebt: first(rows, (r) => r.badDebt > 0),
    firstAdl: first(rows, (r) => r.adlTriggered),
  };
}
