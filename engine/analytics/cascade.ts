/**
 * Cascade simulation: a shock liquidates accounts, their forced closes move prices through
 * market impact (and through correlation, other markets), which liquidates more accounts —
 * iterated to a fixed point.
 *
 * Why: the loss that matters is not the first liquidation wave but the one the market makes
 * of it. Each round: every account not yet liquidated whose `equity − MM` is negative at the
 * current prices is liquidated at those prices (the contract's condition and waterfall: keeper
 * first, penalty to the fund when equity covers it, otherwise a shortfall the insurance fund
 * covers and ADL takes the rest); its positions are closed — longs sell, shorts buy — and the
 * cumulative net flow per market sets that market's own impact u (impact.ts). The flow is
 * counted in contracts, valued at the mark, like the depth and volume it is compared with: a
 * book's USD depth shrinks with the price, so selling a position moves a fallen market as far
 * as it would have at the mark. (Valued at the fallen price instead, a market floored at −99%
 * would sell its later liquidations at 1% of their notional, and a thinner book that floors
 * early could end up liquidating less than a deeper one.) Equity, keeper rewards, penalties and
 * bad debt stay at the current prices. Liquidations are irreversible, so the liquidated set only
 * grows and the iteration stops when a round liquidates nobody (or at the round limit). Only
 * accounts within reach of the largest move are re-checked (reachOrder.ts). Moves are relative
 * to the mark and additive, `move_m = shock_m + u_m + spill_m`, floored at −99%.
 *
 * Spillover: market j's own impact predicts `β_mj·u_j` for market m (the regression beta
 * ρ·σ_m/σ_j). Market m follows the strongest such push down and the strongest push up, not
 * their sum: when twenty correlated markets are all being sold, that is one market-wide move,
 * and summing twenty pairwise regressions would count the common factor twenty times. A
 * liquidation wave in one market moves the others by exactly their betas; each push grows with
 * its source's flow, so more impact never moves prices less.
 *
 * Amplification is the final move over the initial shock: for a one-market shock, that market's
 * final/initial move; for a correlated shock, the open-interest-weighted projection
 * `Σ w·shock·final / Σ w·shock²` (1 when nothing beyond the shock moved prices).
 */
import { type ImpactModel, impactMove } from "./impact.js";
import { type MarkExposure, markExposure } from "./markExposure.js";
import {
  defaultMarketModel,
  type MarketModel,
  shockBetas,
  spilloverMatrix,
  validateMarketModel,
} from "./marketModel.js";
import type { PositionStore } from "./positionStore.js";
import { accountReach } from "./reachOrder.js";

/** The initial move: one market by `move`, or every market by `betas[m]·move`. */
export type Shock =
  | { kind: "market"; market: number; move: number }
  | { kind: "correlated"; move: number; betas?: ArrayLike<number> };

export interface CascadeOptions {
  /** Impact law (default "sqrt"); "none" gives the shock's direct liquidations only. */
  impact?: ImpactModel;
  /** Let each market's impact move the others through correlation (default true). */
  spillover?: boolean;
  /** Round limit (default 50). */
  maxRounds?: number;
  /** Insurance fund balance before the shock, USD (default 0). */
  insuranceFund?: number;
  /** Liquidate accounts that are liquidatable at the mark already (default true). */
  includeAlreadyLiquidatable?: boolean;
}

export interface CascadeRound {
  round: number;
  liquidatedAccounts: number;
  /** Notional closed this round, at the round's prices. */
  liquidatedNotional: number;
  /** Shortfall beyond equity after the keeper reward, before the insurance fund. */
  badDebt: number;
  penalties: number;
  insuranceCovered: number;
  /** Fund balance after the round. */
  insuranceFund: number;
  /** Net flow of this round's closes per market, USD at the mark (+ buys, − sells). */
  netFlow: Float64Array;
  /** Moves after this round's impact. */
  moves: Float64Array;
}

export interface CascadeResult {
  initialMoves: Float64Array;
  finalMoves: Float64Array;
  finalPrices: Float64Array;
  /** Per market: the mark, the price after the shock, then after each round. */
  pricePath: Float64Array[];
  rounds: CascadeRound[];
  /** False when the round limit stopped a cascade that was still liquidating. */
  converged: boolean;
  liquidatedAccounts: number;
  /** Notional closed, at the prices each account was liquidated at. */
  liquidatedNotional: number;
  /** The same positions' notional at the mark (a measure of size that prices do not change). */
  liquidatedNotionalAtMark: number;
  /** Notional closed per market, at liquidation prices. */
  liquidatedNotionalByMarket: Float64Array;
  badDebt: number;
  penalties: number;
  insuranceFundStart: number;
  insuranceCovered: number;
  insuranceFundEnd: number;
  /** Bad debt the fund could not cover: what ADL must absorb. */
  uncoveredBadDebt: number;
  /** Share of bad debt the fund covered (1 when there is none). */
  insuranceCoverage: number;
  /** Bad debt exceeded what the fund (with the cascade's penalties) could pay. */
  adlTriggered: boolean;
  amplification: number;
  /** Store indices of the liquidated accounts, in the order they were liquidated. */
  liquidated: Int32Array;
}

/** Everything a cascade needs that does not depend on the shock (reusable across shocks). */
export interface CascadeContext {
  store: PositionStore;
  model: MarketModel;
  exposure: MarkExposure;
  /** Per account: the largest |move| it survives for sure (reachOrder.ts, scale 1). */
  reach: Float64Array;
  spillover: Float64Array;
  /** Default betas of a correlated shock (on market 0). */
  betas: Float64Array;
  /** Open interest per market at the mark, USD (amplification weights). */
  openInterest: Float64Array;
}

export const MIN_MOVE = -0.99;

export function prepareCascade(
  store: PositionStore,
  model: MarketModel = defaultMarketModel(store),
  exposure: MarkExposure = markExposure(store),
): CascadeContext {
  validateMarketModel(model, store.marketCount);
  const openInterest = new Float64Array(store.marketCount);
  for (let i = 0; i < store.positionCount; i++) {
    const m = store.positionMarket[i]!;
    openInterest[m] = openInterest[m]! + exposure.notional[i]!;
  }
  return {
    store,
    model,
    exposure,
    reach: accountReach(store, exposure),
    spillover: spilloverMatrix(model),
    betas: shockBetas(model),
    openInterest,
  };
}

/** The initial moves of a shock (validated; floored at MIN_MOVE). */
export function shockMoves(ctx: CascadeContext, shock: Shock): Float64Array {
  const n = ctx.store.marketCount;
  const out = new Float64Array(n);
  if (!Number.isFinite(shock.move)) throw new RangeError(`shock.move: ${shock.move} is not finite`);
  if (shock.kind === "market") {
    if (!(Number.isInteger(shock.market) && shock.market >= 0 && shock.market < n)) {
      throw new RangeError(`shock.market: ${shock.market} is not a market index < ${n}`);
    }
    out[shock.market] = shock.move;
  } else {
    const betas = shock.betas ?? ctx.betas;
    if (betas.length !== n)
      throw new RangeError(`shock.betas: ${betas.length} values for ${n} markets`);
    for (let m = 0; m < n; m++) out[m] = betas[m]! * shock.move;
  }
  for (let m = 0; m < n; m++) if (out[m]! < MIN_MOVE) out[m] = MIN_MOVE;
  return out;
}

function amplificationOf(init: Float64Array, final: Float64Array, w: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let m = 0; m < init.length; m++) {
    num += w[m]! * init[m]! * final[m]!;
    den += w[m]! * init[m]! * init[m]!;
  }
  if (den > 0) return num / den;
  num = 0;
  den = 0;
  let moved = false;
  for (let m = 0; m < init.length; m++) {
    num += init[m]! * final[m]!;
    den += init[m]! * init[m]!;
    if (final[m] !== init[m]) moved = true;
  }
  if (den > 0) return num / den;
  return moved ? Number.POSITIVE_INFINITY : 1;
}

export function runCascade(
  ctx: CascadeContext,
  shock: Shock,
  options: CascadeOptions = {},
): CascadeResult {
  const impact = options.impact ?? "sqrt";
  const spill = options.spillover ?? true;
  const maxRounds = options.maxRounds ?? 50;
  const fund0 = options.insuranceFund ?? 0;
  if (!(Number.isInteger(maxRounds) && maxRounds >= 1)) {
    throw new RangeError(`maxRounds: ${maxRounds} is not an integer ≥ 1`);
  }
  if (!(fund0 >= 0)) throw new RangeError(`insuranceFund: ${fund0} is not ≥ 0`);
  const { store, model, exposure, reach, spillover } = ctx;
  const n = store.marketCount;
  const nA = store.accountCount;
  const { maxKeeperReward, liquidationPenaltyRatio, keeperRewardRatio, accountStart } = store;
  const positionMarket = store.positionMarket;
  const { gap, gapSlope, equitySlope, notional, signedNotional } = exposure;
  const equity = exposure.health.equity;

  const init = shockMoves(ctx, shock);
  const moves = Float64Array.from(init);
  const done = new Uint8Array(nA);
  if (options.includeAlreadyLiquidatable === false) {
    for (let a = 0; a < nA; a++) if (gap[a]! < 0) done[a] = 1;
  }
  const cumFlow = new Float64Array(n);
  const own = new Float64Array(n);
  const byMarket = new Float64Array(n);
  const path: number[][] = Array.from({ length: n }, (_, m) => [
    store.price[m]!,
    store.price[m]! * (1 + moves[m]!),
  ]);
  const rounds: CascadeRound[] = [];
  const liquidated: number[] = [];
  let fund = fund0;
  let converged = false;
  let totNotional = 0;
  let totAtMark = 0;
  let totBad = 0;
  let totPen = 0;
  let totCovered = 0;

  for (let round = 1; round <= maxRounds + 1; round++) {
    let z = 0;
    for (let m = 0; m < n; m++) z = Math.max(z, Math.abs(moves[m]!));
    const flow = new Float64Array(n);
    let count = 0;
    let roundNotional = 0;
    let shortfall = 0;
    let penalties = 0;
    for (let a = 0; a < nA; a++) {
      if (done[a] !== 0 || reach[a]! > z) continue;
      const p0 = accountStart[a]!;
      const p1 = accountStart[a + 1]!;
      let f = gap[a]!;
      for (let p = p0; p < p1; p++) f += gapSlope[p]! * moves[positionMarket[p]!]!;
      if (!(f < 0)) continue;
      if (round > maxRounds) {
        count++; // the limit stopped a cascade that still had accounts to liquidate
        break;
      }
      done[a] = 1;
      liquidated.push(a);
      let e = equity[a]!;
      let keeper = 0;
      let penaltyCap = 0;
      for (let p = p0; p < p1; p++) {
        const m = positionMarket[p]!;
        const mv = moves[m]!;
        const g = 1 + mv;
        e += equitySlope[p]! * mv;
        const ni = notional[p]! * g;
        keeper += Math.min(ni * keeperRewardRatio[m]!, maxKeeperReward[m]!);
        penaltyCap += ni * liquidationPenaltyRatio[m]!;
        flow[m] = flow[m]! - signedNotional[p]!;
        byMarket[m] = byMarket[m]! + ni;
        roundNotional += ni;
        totAtMark += notional[p]!;
      }
      const rest = e - keeper;
      if (rest >= 0) penalties += Math.min(rest, penaltyCap);
      else shortfall -= rest;
      count++;
    }
    if (count === 0) {
      converged = true;
      break;
    }
    if (round > maxRounds) break;

    fund += penalties;
    const covered = Math.min(shortfall, fund);
    fund -= covered;
    totNotional += roundNotional;
    totBad += shortfall;
    totPen += penalties;
    totCovered += covered;

    for (let m = 0; m < n; m++) {
      cumFlow[m] = cumFlow[m]! + flow[m]!;
      own[m] = impactMove(impact, model.markets[m]!, cumFlow[m]!);
    }
    for (let m = 0; m < n; m++) {
      let mv = init[m]! + own[m]!;
      if (spill) {
        let down = 0;
        let up = 0;
        for (let j = 0; j < n; j++) {
          if (j === m) continue;
          const push = spillover[m * n + j]! * own[j]!;
          if (push < down) down = push;
          else if (push > up) up = push;
        }
        mv += down + up;
      }
      moves[m] = Math.max(mv, MIN_MOVE);
      path[m]!.push(store.price[m]! * (1 + moves[m]!));
    }
    rounds.push({
      round,
      liquidatedAccounts: count,
      liquidatedNotional: roundNotional,
      badDebt: shortfall,
      penalties,
      insuranceCovered: covered,
      insuranceFund: fund,
      netFlow: flow,
      moves: Float64Array.from(moves),
    });
  }

  const uncovered = totBad - totCovered;
  return {
    initialMoves: init,
    finalMoves: moves,
    finalPrices: Float64Array.from(moves, (mv, m) => store.price[m]! * (1 + mv)),
    pricePath: path.map((p) => Float64Array.from(p)),
    rounds,
    converged,
    liquidatedAccounts: liquidated.length,
    liquidatedNotional: totNotional,
    liquidatedNotionalAtMark: totAtMark,
    liquidatedNotionalByMarket: byMarket,
    badDebt: totBad,
    penalties: totPen,
    insuranceFundStart: fund0,
    insuranceCovered: totCovered,
    insuranceFundEnd: fund,
    uncoveredBadDebt: uncovered,
    insuranceCoverage: totBad > 0 ? totCovered / totBad : 1,
    adlTriggered: uncovered > 0,
    amplification: amplificationOf(init, moves, ctx.openInterest),
    liquidated: Int32Array.from(liquidated),
  };
}

/** One cascade from scratch (prepare + run). */
export function cascade(
  store: PositionStore,
  shock: Shock,
  options: CascadeOptions = {},
  model?: MarketModel,
): CascadeResult {
  return runCascade(prepareCascade(store, model), shock, options);
}
