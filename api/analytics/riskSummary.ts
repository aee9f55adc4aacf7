/**
 * The risk summary of one market or of the whole exchange at a snapshot: open interest,
 * accounts at risk, liquidatable notional within small moves, the −10% cascade, funding
 * extremes, the insurance fund and pending bad debt.
 *
 * Why these figures: they are what a risk desk glances at and what alert rules compare with
 * thresholds — how much is one small move away from liquidation, does a 10% move cascade, is
 * the fund deep enough. Exact where the contract defines the quantity (open interest, funding
 * rates, who is liquidatable now), float estimates where it is a simulation; computed once
 * per snapshot and scope.
 */
import { mulD } from "../../engine/analytics/d18.js";
import type { MarketRow } from "../data/rows.js";
import type { Snapshot } from "../data/snapshot.js";
import { analyticsOf, DEFAULT_IMPACT, type Within } from "./bookAnalytics.js";

export interface RiskSummaryData {
  block: bigint;
  timestamp: bigint;
  market: MarketRow | null;
  openInterestUsd: bigint;
  accountsWithPositions: number;
  accountsAtRisk: number;
  liquidatableWithin: Within;
  insuranceFund: bigint;
  pendingBadDebt: bigint;
  amplificationAt10: number | null;
  cascadeLiquidationsAt10: number;
  cascadeBadDebtAt10: number;
  adlLikely: boolean;
  maxAbsFundingRate: bigint;
}

const abs = (v: bigint) => (v < 0n ? -v : v);

export function riskSummary(snap: Snapshot, market: MarketRow | null): RiskSummaryData {
  const key = `risk:${market?.market.marketId ?? "all"}`;
  return snap.cached(key, () => {
    const markets = market ? [market] : snap.markets;
    let oi = 0n;
    let pending = 0n;
    let maxRate = 0n;
    for (const m of markets) {
      const s = m.market.state;
      oi += mulD(s.sizeLong + s.sizeShort, snap.price(m.market.marketId));
      pending += s.badDebt;
      const rate = abs(snap.funding(m).rate);
      if (rate > maxRate) maxRate = rate;
    }
    let withPositions = 0;
    let atRisk = 0;
    const bit = market ? 1n << (market.market.marketId - 1n) : null;
    for (const a of snap.accounts) {
      const open = a.account.openMarkets;
      if (bit === null ? open === 0n : (open & bit) === 0n) continue;
      withPositions++;
      if (snap.health(a).liquidatable) atRisk++;
    }
    const analytics = analyticsOf(snap);
    const within = market
      ? analytics.withinMarket(market.market.marketId)
      : analytics.withinCorrelated();
    const c = analytics.cascade(
      { marketId: market?.market.marketId, move: -0.1 },
      DEFAULT_IMPACT,
      20,
      true,
    );
    return {
      block: snap.block,
      timestamp: snap.timestamp,
      market,
      openInterestUsd: oi,
      accountsWithPositions: withPositions,
      accountsAtRisk: atRisk,
      liquidatableWithin: within,
      insuranceFund: snap.exchange.insuranceFund,
      pendingBadDebt: pending,
      amplificationAt10: Number.isFinite(c.amplification) ? c.amplification : null,
      cascadeLiquidationsAt10: c.liquidatedNotional,
      cascadeBadDebtAt10: c.badDebt,
      adlLikely: c.adlTriggered,
      maxAbsFundingRate: maxRate,
    };
  });
}
