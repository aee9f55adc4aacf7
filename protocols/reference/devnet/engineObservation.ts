/**
 * A `RiskObservation` of the in-memory reference exchange (`engineSimulator.ts`), computed
 * the way the API computes its answers — the same float analytics (`BookAnalytics`: position
 * store, liquidatable-within, cascades with square-root impact and spillover, stress grids)
 * and the same exact engine views for health and funding — without Ponder, the API or HTTP.
 *
 * Why: the alert backtest evaluates the rule pack on every block of many seeded runs; going
 * through the indexer and the API would cost seconds per block. What it skips: indexing lag
 * (always live), the mirror (no divergences), VaR (not computed), block hashes.
 */
import type {
  AccountObservation,
  CascadeOutcome,
  LiquidationObservation,
  MarketObservation,
  ObservationNeeds,
  RiskObservation,
} from "../../../alerts/observation.js";
import {
  BookAnalytics,
  DEFAULT_IMPACT,
  ownFigureCache,
} from "../../../api/analytics/bookAnalytics.js";
import { fromD18 } from "../../../engine/analytics/d18.js";
import { bookOf, buildPositionStore } from "../../../engine/analytics/positionStore.js";
import { accountHealth, isLiquidatable, marginRatio } from "../engine/margin.js";
import type { ExchangeState } from "../engine/types.js";
import { currentFundingRate, getFundingVelocity } from "../engine/views.js";
import { referenceRiskModel } from "../riskModel.js";

export interface EngineObservationInput {
  exchangeId: string;
  state: ExchangeState;
  blockNumber: bigint;
  /** Block time, unix s. */
  timestamp: number;
  /** Liquidations so far, newest first (the window rules look back through them). */
  liquidations: readonly LiquidationObservation[];
}

const CASCADE_ROUNDS = 20;

const outcome = (shock: number, c: ReturnType<BookAnalytics["cascade"]>): CascadeOutcome => ({
  shock,
  amplification: c.amplification,
  liquidatedNotional: c.liquidatedNotional,
  liquidatedAccounts: c.liquidatedAccounts,
  badDebt: c.badDebt,
  adlTriggered: c.adlTriggered,
});

export function engineObservation(
  input: EngineObservationInput,
  needs: ObservationNeeds,
): RiskObservation {
  const { state } = input;
  const ts = BigInt(input.timestamp);
  const store = buildPositionStore(bookOf(state, ts, referenceRiskModel));
  const analytics = new BookAnalytics(store, fromD18(state.insuranceFund), ownFigureCache());
  const cascade = (shock: number, marketId?: bigint) =>
    analytics.cascade({ marketId, move: shock }, DEFAULT_IMPACT, CASCADE_ROUNDS, true);
  const obs: RiskObservation = {
    exchangeId: input.exchangeId,
    watchedExchanges: [input.exchangeId],
    block: { number: input.blockNumber, hash: null, timestamp: input.timestamp },
    observedAtMs: input.timestamp * 1000,
    indexing: {
      chainHead: input.blockNumber,
      indexedBlock: input.blockNumber,
      lagBlocks: 0,
      lagSeconds: 0,
      live: true,
    },
    mirror: { eventsChecked: 0, divergenceCount: 0 },
  };
  const health = new Map<string, ReturnType<typeof accountHealthOf>>();
  const accountHealthOf = (id: string) => {
    const h = accountHealth(state, BigInt(id), ts);
    if (!h.ok) return null;
    return h.value;
  };
  const healthOf = (id: string) => {
    if (!health.has(id)) health.set(id, accountHealthOf(id));
    return health.get(id)!;
  };

  let oi = 0;
  let pending = 0;
  let maxRate = 0;
  const markets: MarketObservation[] = state.markets.map((m) => {
    const id = m.marketId;
    const p = state.oracle.prices[id.toString()];
    const price = p ? fromD18(p.price) : 0;
    const rate = currentFundingRate(state, id, ts);
    const velocity = getFundingVelocity(state, id);
    const s = m.state;
    const marketOi = fromD18(s.sizeLong + s.sizeShort) * price;
    oi += marketOi;
    pending += fromD18(s.badDebt);
    const fundingRate = rate.ok ? fromD18(rate.value) : 0;
    maxRate = Math.max(maxRate, Math.abs(fundingRate));
    const out: MarketObservation = {
      id: id.toString(),
      symbol: m.symbol,
      price,
      priceTime: p ? Number(p.publishTime) : null,
      openInterestUsd: marketOi,
      skewRatio: fromD18(s.skew) / fromD18(m.params.skewScale),
      fundingRate,
      fundingVelocity: velocity.ok ? fromD18(velocity.value) : 0,
      pendingBadDebt: fromD18(s.badDebt),
    };
    if (needs.marketRisk) out.liquidatableWithin = analytics.withinMarket(id);
    if (needs.marketShocks.length > 0) {
      out.cascades = needs.marketShocks.map((shock) => outcome(shock, cascade(shock, id)));
    }
    return out;
  });
  obs.markets = markets;

  if (needs.exchange) {
    const c = cascade(-0.1);
    let atRisk = 0;
    for (const id of Object.keys(state.accounts)) {
      const h = healthOf(id);
      if (h && h.notional > 0n && isLiquidatable(h)) atRisk++;
    }
    obs.exchange = {
      openInterestUsd: oi,
      accountsAtRisk: atRisk,
      insuranceFund: fromD18(state.insuranceFund),
      pendingBadDebt: pending,
      amplificationAt10: c.amplification,
      adlLikely: c.adlTriggered,
      maxAbsFundingRate: maxRate,
      liquidatableWithin: analytics.withinCorrelated(),
    };
  }
  if (needs.correlatedShocks.length > 0) {
    obs.correlatedCascades = needs.correlatedShocks.map((shock) => outcome(shock, cascade(shock)));
  }
  if (needs.liquidationWindowMs > 0) obs.liquidations = [...input.liquidations];
  if (needs.topAccounts > 0) obs.topAccounts = topAccounts(state, needs.topAccounts, healthOf);
  if (needs.stress) {
    const grid = analytics.stress({
      shocks: needs.stress.shocks,
      withImpact: needs.stress.withImpact,
      impact: DEFAULT_IMPACT,
    });
    obs.stress = {
      withImpact: needs.stress.withImpact,
      points: grid.rows.map((r) => ({
        shock: r.shock,
        liquidatedNotional: r.liquidatedNotional,
        badDebt: r.badDebt,
        uncoveredBadDebt: r.uncoveredBadDebt,
        amplification: r.amplification,
      })),
    };
  }
  return obs;
}

type HealthOf = (
  id: string,
) => { equity: bigint; maintenanceMargin: bigint; notional: bigint; initialMargin: bigint } | null;

/** The largest accounts by notional, as `accounts(orderBy: NOTIONAL_DESC)` lists them. */
function topAccounts(state: ExchangeState, top: number, healthOf: HealthOf): AccountObservation[] {
  const rows: AccountObservation[] = [];
  for (const a of Object.values(state.accounts)) {
    if (a.openMarkets === 0n) continue;
    const h = healthOf(a.accountId.toString());
    if (!h) continue;
    const mr = marginRatio(h);
    rows.push({
      id: a.accountId.toString(),
      marginRatio: mr === null ? null : fromD18(mr),
      notional: fromD18(h.notional),
      equity: fromD18(h.equity),
      liquidatable: isLiquidatable(h),
      positions: Object.entries(a.positions).map(([m, p]) => {
        const px = state.oracle.prices[m];
        return { marketId: m, notional: Math.abs(fromD18(p.size)) * (px ? fromD18(px.price) : 0) };
      }),
    });
  }
  rows.sort((x, y) => y.notional - x.notional || Number(x.id) - Number(y.id));
  return rows.slice(0, top);
}
