/**
 * Kinds about the cascade: amplification of a shock, notional liquidatable near the mark,
 * insurance-fund coverage of stress bad debt, ADL likely, and one-day VaR of bad debt.
 *
 * These read the API's analytics (engine/analytics behind `cascade`, `riskSummary`,
 * `stress`, `varLar`); the rule only decides which number is too high.
 */
import type { CascadeOutcome, HistorySample } from "../observation.js";
import { pct, usd } from "./format.js";
import type { KindSpec } from "./kindSpec.js";
import { plausibleMove, realizedVolPerSqrtS, volBetween } from "./realizedVolatility.js";

const sameShock = (a: number, b: number) => Math.abs(a - b) < 1e-9;

function addShock(list: number[], shock: number): void {
  if (!list.some((s) => sameShock(s, shock))) list.push(shock);
}

function pick(outcomes: readonly CascadeOutcome[] | undefined, shock: number) {
  return outcomes?.find((c) => sameShock(c.shock, shock));
}

export const cascadeAmplification: KindSpec<"cascade_amplification"> = {
  scope: "market",
  direction: "above",
  unit: "ratio",
  summary:
    "{{market}}: a {{details.shockPct}} shock cascades to {{details.finalMovePct}} (amplification {{value}} ≥ {{threshold}}), liquidating {{details.liquidatedUsd}}",
  needs(rule, n) {
    n.markets = true;
    if (rule.scope === "market") addShock(n.marketShocks, rule.shock);
    else addShock(n.correlatedShocks, rule.shock);
  },
  measure(rule, obs, history) {
    const details = (c: CascadeOutcome) => ({
      shockPct: pct(c.shock),
      finalMovePct: pct(c.shock * c.amplification),
      liquidatedUsd: usd(c.liquidatedNotional),
      liquidatedAccounts: String(c.liquidatedAccounts),
      badDebtUsd: usd(c.badDebt),
    });
    if (rule.scope === "global") {
      const c = pick(obs.correlatedCascades, rule.shock);
      if (!c) return { noData: "no correlated cascade in the observation" };
      return [
        {
          value: c.amplification,
          eligible: c.liquidatedNotional >= rule.minLiquidatedUsd,
          details: { ...details(c), market: "all" },
        },
      ];
    }
    if (!obs.markets) return { noData: "no markets in the observation" };
    const out = [];
    for (const m of obs.markets) {
      const c = pick(m.cascades, rule.shock);
      if (!c) return { noData: `no cascade for market ${m.symbol}` };
      const moved = rule.motion
        ? moveWithin(m.id, m.price, rule.shock, rule.motion.window, obs, history)
        : 0;
      out.push({
        market: { id: m.id, symbol: m.symbol },
        value: c.amplification,
        eligible:
          c.liquidatedNotional >= rule.minLiquidatedUsd &&
          (!rule.motion || inMotion(m.id, moved, rule.motion, obs, history)),
        details: { ...details(c), movedPct: pct(Math.sign(rule.shock) * moved) },
      });
    }
    return out;
  },
};

/**
 * Whether a move of `moved` within the motion's window counts: at least `minMove`, and with
 * `minSigmas` at least that many σ of a window-long move at the volatility realized over the
 * baseline before the window (too little history for the baseline: at least `fallbackMove`,
 * or not at all without one).
 */
export function inMotion(
  marketId: string,
  moved: number,
  motion: {
    window: number;
    minMove: number;
    minSigmas?: number;
    baseline: number;
    fallbackMove?: number;
  },
  obs: { block: { number: bigint; timestamp: number } },
  history: readonly HistorySample[],
): boolean {
  if (moved < motion.minMove) return false;
  if (motion.minSigmas === undefined) return true;
  const to = obs.block.timestamp - motion.window / 1000;
  const sigma = volBetween(marketId, to - motion.baseline / 1000, to, obs.block.number, history);
  if (sigma === null) return motion.fallbackMove !== undefined && moved >= motion.fallbackMove;
  return moved >= plausibleMove(sigma, motion.minSigmas, motion.window);
}

/**
 * How far a market has moved the shock's way within `windowMs` before the observation: its
 * fall from the window's high (shock < 0) or its rise from the window's low (shock > 0), ≥ 0.
 */
export function moveWithin(
  marketId: string,
  price: number,
  shock: number,
  windowMs: number,
  obs: { block: { number: bigint; timestamp: number } },
  history: readonly HistorySample[],
): number {
  const since = obs.block.timestamp - windowMs / 1000;
  let extreme = price;
  for (const s of history) {
    if (s.timestamp < since || s.blockNumber >= obs.block.number) continue;
    const p = s.prices[marketId];
    if (p === undefined || p <= 0) continue;
    extreme = shock < 0 ? Math.max(extreme, p) : Math.min(extreme, p);
  }
  if (extreme <= 0) return 0;
  return Math.max(0, shock < 0 ? 1 - price / extreme : price / extreme - 1);
}

export const liquidatableNearMark: KindSpec<"liquidatable_near_mark"> = {
  scope: "market",
  direction: "above",
  unit: "fraction",
  summary:
    "{{market}}: {{details.liquidatableUsd}} liquidatable within {{details.withinPct}}% of the mark, {{value}} of open interest (≥ {{threshold}})",
  needs(_rule, n) {
    n.markets = true;
    n.marketRisk = true;
  },
  measure(rule, obs) {
    if (!obs.markets) return { noData: "no markets in the observation" };
    const key = `pct${rule.withinPct}` as const;
    const out = [];
    for (const m of obs.markets) {
      if (!m.liquidatableWithin) return { noData: `no risk summary for market ${m.symbol}` };
      const notional = m.liquidatableWithin[key];
      out.push({
        market: { id: m.id, symbol: m.symbol },
        value: m.openInterestUsd > 0 ? notional / m.openInterestUsd : 0,
        eligible: m.openInterestUsd >= rule.minOpenInterestUsd,
        details: { liquidatableUsd: usd(notional), withinPct: String(rule.withinPct) },
      });
    }
    return out;
  },
};

export const insuranceCoverage: KindSpec<"insurance_coverage"> = {
  scope: "global",
  direction: "below",
  unit: "ratio",
  summary:
    "Insurance fund {{details.fundUsd}} covers {{value}} of the worst stress bad debt ({{details.worstBadDebtUsd}} at a {{details.worstShockPct}} shock{{details.plausibleNote}}); below {{threshold}}",
  needs(rule, n) {
    n.exchange = true;
    // The volatility's market, and its price for the history (block path).
    if (rule.volatility) n.markets = true;
    // The union over every due stress rule (one grid serves them all; each keeps its own).
    const have = n.stress?.shocks ?? [];
    const added = rule.shocks.filter((s) => !have.some((h) => sameShock(h, s)));
    n.stress = {
      shocks: [...have, ...added],
      withImpact: (n.stress?.withImpact ?? false) || rule.withImpact,
    };
  },
  measure(rule, obs, history) {
    if (!obs.exchange || !obs.stress) return { noData: "no stress grid in the observation" };
    let points = obs.stress.points.filter((p) => rule.shocks.some((s) => sameShock(s, p.shock)));
    if (points.length === 0) return { noData: "the stress grid has none of the rule's shocks" };
    let plausibleNote = "";
    if (rule.volatility) {
      const v = rule.volatility;
      const ref = obs.markets?.[0];
      if (!ref) return { noData: "no markets in the observation (for the realized volatility)" };
      const sigma = realizedVolPerSqrtS(ref.id, ref.price, v.window, obs, history);
      if (sigma === null) return { noData: `too little price history of ${ref.symbol}` };
      const move = plausibleMove(sigma, v.sigmas, v.horizon);
      points = points.filter((p) => Math.abs(p.shock) <= move + 1e-12);
      plausibleNote = `; ${ref.symbol} moves ±${pct(move)} at ${v.sigmas}σ over ${v.horizon / 60_000} min`;
    }
    const fund = obs.exchange.insuranceFund;
    // No shock the market makes plausible: nothing to cover.
    let worst = points[0] ?? { shock: 0, badDebt: 0 };
    for (const p of points) if (p.badDebt > worst.badDebt) worst = p;
    const value = worst.badDebt > 0 ? fund / worst.badDebt : Number.POSITIVE_INFINITY;
    return [
      {
        value,
        details: {
          fundUsd: usd(fund),
          worstBadDebtUsd: usd(worst.badDebt),
          worstShockPct: pct(worst.shock),
          plausibleNote,
        },
      },
    ];
  },
};

export const adlLikely: KindSpec<"adl_likely"> = {
  scope: "global",
  direction: "above",
  unit: "usd",
  summary:
    "ADL likely: {{details.pendingBadDebtUsd}} bad debt waiting for ADL, insurance fund {{details.fundUsd}}{{details.cascadeNote}}",
  needs(_rule, n) {
    n.exchange = true;
  },
  measure(rule, obs) {
    const ex = obs.exchange;
    if (!ex) return { noData: "no exchange summary in the observation" };
    const byCascade = rule.includeCascade && ex.adlLikely;
    return [
      {
        value: ex.pendingBadDebt,
        force: byCascade,
        details: {
          pendingBadDebtUsd: usd(ex.pendingBadDebt),
          fundUsd: usd(ex.insuranceFund),
          cascadeNote: byCascade ? "; a −10% cascade would leave bad debt above the fund" : "",
        },
      },
    ];
  },
};

export const varBadDebt: KindSpec<"var_bad_debt"> = {
  scope: "global",
  direction: "above",
  unit: "ratio",
  summary:
    "One-day {{details.quantile}}% VaR of bad debt {{details.varUsd}} is {{value}}× the insurance fund {{details.fundUsd}} (≥ {{threshold}})",
  needs(rule, n) {
    n.exchange = true;
    n.varLar = { paths: rule.paths, seed: rule.seed };
  },
  measure(rule, obs) {
    const v = obs.varLar;
    if (!obs.exchange || !v || v.paths !== rule.paths || v.seed !== rule.seed) {
      return { noData: "no VaR run with the rule's paths and seed" };
    }
    const varUsd = rule.quantile === 95 ? v.badDebtVar95 : v.badDebtVar99;
    const fund = obs.exchange.insuranceFund;
    const value = fund > 0 ? varUsd / fund : varUsd > 0 ? Number.POSITIVE_INFINITY : 0;
    return [
      {
        value,
        details: { quantile: String(rule.quantile), varUsd: usd(varUsd), fundUsd: usd(fund) },
      },
    ];
  },
};
