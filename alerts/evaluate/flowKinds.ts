/**
 * Kinds about what is happening now: a burst of liquidations, the insurance fund drawn down,
 * extreme funding (rate or velocity) and extreme skew.
 */
import { formatDuration } from "../config/duration.js";
import { pct, usd } from "./format.js";
import type { KindSpec, Measurement } from "./kindSpec.js";

export const liquidationBurst: KindSpec<"liquidation_burst"> = {
  scope: "global",
  direction: "above",
  unit: "usd",
  summary:
    "Liquidation burst: {{value}} liquidated in the last {{details.window}} ({{details.count}} accounts, {{details.badDebtUsd}} bad debt)",
  needs(rule, n) {
    n.liquidationWindowMs = Math.max(n.liquidationWindowMs, rule.window);
  },
  measure(rule, obs) {
    if (!obs.liquidations) return { noData: "no liquidations in the observation" };
    const since = obs.block.timestamp - rule.window / 1000;
    let notional = 0;
    let badDebt = 0;
    let count = 0;
    for (const l of obs.liquidations) {
      if (l.timestamp <= since || l.blockNumber > obs.block.number) continue;
      notional += l.notional;
      badDebt += l.badDebt;
      count++;
    }
    return [
      {
        value: notional,
        eligible: count >= rule.minCount,
        details: {
          window: formatDuration(rule.window),
          count: String(count),
          badDebtUsd: usd(badDebt),
        },
      },
    ];
  },
};

export const insuranceFundDrawdown: KindSpec<"insurance_fund_drawdown"> = {
  scope: "global",
  direction: "above",
  unit: "fraction",
  summary:
    "Insurance fund down {{value}} in {{details.window}}: {{details.fromUsd}} → {{details.toUsd}}",
  needs(_rule, n) {
    n.exchange = true;
  },
  measure(rule, obs, history) {
    const now = obs.exchange?.insuranceFund;
    if (now === undefined) return { noData: "no exchange summary in the observation" };
    const since = obs.block.timestamp - rule.window / 1000;
    let peak = now;
    let samples = 0;
    for (const s of history) {
      if (s.timestamp < since || s.blockNumber >= obs.block.number || s.insuranceFund === null) {
        continue;
      }
      samples++;
      peak = Math.max(peak, s.insuranceFund);
    }
    if (samples === 0) return { noData: "no earlier sample of the fund within the window" };
    return [
      {
        value: peak > 0 ? (peak - now) / peak : 0,
        details: { window: formatDuration(rule.window), fromUsd: usd(peak), toUsd: usd(now) },
      },
    ];
  },
};

export const fundingExtreme: KindSpec<"funding_extreme"> = {
  scope: "market",
  direction: "above",
  unit: "perDay",
  summary: "{{market}}: funding {{details.measure}} {{details.signed}} (|·| ≥ {{threshold}})",
  needs(_rule, n) {
    n.markets = true;
  },
  measure(rule, obs) {
    if (!obs.markets) return { noData: "no markets in the observation" };
    return obs.markets.map((m): Measurement => {
      const v = rule.measure === "rate" ? m.fundingRate : m.fundingVelocity;
      return {
        market: { id: m.id, symbol: m.symbol },
        value: Math.abs(v),
        details: { measure: rule.measure, signed: `${(v * 100).toFixed(3)}%/day` },
      };
    });
  },
};

export const skewExtreme: KindSpec<"skew_extreme"> = {
  scope: "market",
  direction: "above",
  unit: "fraction",
  summary: "{{market}}: skew is {{details.signed}} of the skew scale (|·| ≥ {{threshold}})",
  needs(_rule, n) {
    n.markets = true;
  },
  measure(_rule, obs) {
    if (!obs.markets) return { noData: "no markets in the observation" };
    return obs.markets.map((m) => ({
      market: { id: m.id, symbol: m.symbol },
      value: Math.abs(m.skewRatio),
      details: { signed: pct(m.skewRatio) },
    }));
  },
};
