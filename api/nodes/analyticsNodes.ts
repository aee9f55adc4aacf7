/**
 * Analytics results as GraphQL objects: risk summary, liquidation ladder, cascade, stress grid,
 * VaR/LaR and the insurance fund's coverage. Market indices of the engine become `Market`
 * objects of the same snapshot; non-finite figures (an amplification with no initial move)
 * become null rather than an unserializable Infinity.
 */
import type { CascadeResult, MarketLadder, StressGrid } from "../../engine/analytics/index.js";
import type { VarFigures } from "../admission/analyticsJobs.js";
import { analyticsOf } from "../analytics/bookAnalytics.js";
import type { RiskSummaryData } from "../analytics/riskSummary.js";
import type { MarketRow } from "../data/rows.js";
import type { Snapshot } from "../data/snapshot.js";
import { MarketNode } from "./marketNode.js";

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function marketAt(snap: Snapshot, index: number): MarketNode {
  return new MarketNode(snap, snap.markets[index]!);
}

function moves(snap: Snapshot, mv: Float64Array) {
  return Array.from(mv, (move, m) => ({
    market: () => marketAt(snap, m),
    move,
    price: (Number(snap.price(BigInt(m + 1))) / 1e18) * (1 + move),
  }));
}

export function riskSummaryNode(snap: Snapshot, d: RiskSummaryData) {
  return { ...d, market: d.market ? new MarketNode(snap, d.market) : null };
}

export function ladderNode(snap: Snapshot, market: MarketRow, l: MarketLadder) {
  const bins = Array.from(l.moves, (move, k) => ({
    move,
    price: l.prices[k]!,
    accounts: l.count[k]!,
    liquidatedNotional: l.notional[k]!,
    marketNotional: l.marketNotional[k]!,
    badDebt: l.badDebt[k]!,
  }));
  return {
    block: snap.block,
    market: new MarketNode(snap, market),
    bins,
    atMark: {
      move: 0,
      price: l.mark,
      accounts: l.atMark.count,
      liquidatedNotional: l.atMark.notional,
      marketNotional: l.atMark.marketNotional,
      badDebt: l.atMark.badDebt,
    },
    within: () => analyticsOf(snap).withinMarket(market.market.marketId),
    withinDown: () => analyticsOf(snap).withinMarket(market.market.marketId, "down"),
    withinUp: () => analyticsOf(snap).withinMarket(market.market.marketId, "up"),
  };
}

export function cascadeNode(snap: Snapshot, c: CascadeResult) {
  return {
    block: snap.block,
    rounds: c.rounds.map((r) => ({
      round: r.round,
      moves: () => moves(snap, r.moves),
      liquidatedNotional: r.liquidatedNotional,
      liquidatedAccounts: r.liquidatedAccounts,
      badDebt: r.badDebt,
      insuranceFund: r.insuranceFund,
    })),
    liquidatedNotional: c.liquidatedNotional,
    liquidatedAccounts: c.liquidatedAccounts,
    badDebt: c.badDebt,
    insuranceCovered: c.insuranceCovered,
    uncoveredBadDebt: c.uncoveredBadDebt,
    insuranceCoverage: c.insuranceCoverage,
    adlTriggered: c.adlTriggered,
    amplification: finite(c.amplification),
    converged: c.converged,
    finalMoves: () => moves(snap, c.finalMoves),
  };
}

const nullIfNaN = (x: number) => (Number.isNaN(x) ? null : x);

export function stressNode(snap: Snapshot, g: StressGrid, withImpact: boolean) {
  return {
    block: snap.block,
    withImpact,
    points: g.rows.map((r) => ({
      shock: r.shock,
      finalMove: finite(r.finalMove),
      liquidatedNotional: r.liquidatedNotional,
      liquidatedAccounts: r.liquidatedAccounts,
      badDebt: r.badDebt,
      uncoveredBadDebt: r.uncoveredBadDebt,
      adlTriggered: r.adlTriggered,
      amplification: finite(r.amplification),
    })),
    firstBadDebtDown: nullIfNaN(g.firstBadDebt.down),
    firstBadDebtUp: nullIfNaN(g.firstBadDebt.up),
    firstAdlDown: nullIfNaN(g.firstAdl.down),
    firstAdlUp: nullIfNaN(g.firstAdl.up),
  };
}

export function varNode(snap: Snapshot, r: VarFigures) {
  return {
    block: snap.block,
    paths: r.paths,
    seed: r.seed,
    steps: r.steps,
    badDebtVar95: r.badDebtVaR.p95,
    badDebtVar99: r.badDebtVaR.p99,
    badDebtExpectedShortfall95: r.badDebtExpectedShortfall.p95,
    badDebtExpectedShortfall99: r.badDebtExpectedShortfall.p99,
    liquidationsLar95: r.liquidationsLaR.p95,
    liquidationsLar99: r.liquidationsLaR.p99,
    meanBadDebt: r.meanBadDebt,
    meanLiquidations: r.meanLiquidatedNotional,
    probabilityOfBadDebt: r.probabilityOfBadDebt,
    probabilityOfLiquidation: r.probabilityOfLiquidation,
  };
}

/** Coverage of the default stress grid `g` (40 correlated shocks, cascade) by the fund. */
export function coverageNode(snap: Snapshot, g: StressGrid) {
  let worst = 0;
  let worstShock: number | null = null;
  let firstUncovered: number | null = null;
  for (const r of g.rows) {
    if (r.badDebt > worst) {
      worst = r.badDebt;
      worstShock = r.shock;
    }
    if (
      r.adlTriggered &&
      (firstUncovered === null || Math.abs(r.shock) < Math.abs(firstUncovered))
    ) {
      firstUncovered = r.shock;
    }
  }
  const balance = Number(snap.exchange.insuranceFund) / 1e18;
  return {
    block: snap.block,
    worstBadDebt: worst,
    worstShock,
    coverageRatio: worst > 0 ? balance / worst : null,
    firstUncoveredShock: firstUncovered,
  };
}
