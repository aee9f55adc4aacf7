import { describe, expect, it } from "vitest";
import { observation } from "../../test/alerts/support/observations.js";
import { type Rule, ruleSchema } from "../config/ruleSchema.js";
import type { HistorySample, StressObservation } from "../observation.js";
import { evaluateRule, needsOf } from "./evaluate.js";
import { historyWindowMs } from "./historyWindow.js";
import { plausibleMove, realizedVolPerSqrtS } from "./realizedVolatility.js";

const page: Rule = ruleSchema.parse({
  name: "insurance-coverage-critical",
  kind: "insurance_coverage",
  severity: "critical",
  shocks: [-0.05, -0.03, -0.02, 0.02],
  volatility: { window: "5m", horizon: "10m", sigmas: 3 },
  threshold: 0.5,
});

const BLOCK = 400;
const NOW = observation(BLOCK).block.timestamp;
const BTC = 95_000;

/** BTC, one sample a second for the last `n` seconds, alternating ±r log returns. */
function history(r: number, n = 300): HistorySample[] {
  return Array.from({ length: n }, (_, i) => ({
    blockNumber: BigInt(BLOCK - n + i),
    timestamp: NOW - n + i,
    prices: { "1": BTC * Math.exp(((n - i) % 2) * r) },
    insuranceFund: 50_000,
  }));
}

const point = (shock: number, badDebt: number): StressObservation["points"][number] => ({
  shock,
  liquidatedNotional: 10 * badDebt,
  badDebt,
  uncoveredBadDebt: 0,
  amplification: 1.1,
});

/** Fund $50k; the −5% move leaves $1M of bad debt, −3% $200k, ±2% $20k. */
const obs = observation(BLOCK, {
  stress: {
    withImpact: true,
    points: [point(-0.05, 1e6), point(-0.03, 200_000), point(-0.02, 20_000), point(0.02, 20_000)],
  },
});

const signal = (h: HistorySample[]) => {
  const ev = evaluateRule(page, obs, h);
  if (!ev.signals) throw new Error(ev.noData);
  return ev.signals[0]!;
};

describe("insurance coverage at the realized volatility", () => {
  it("σ per √s from the window's squared log returns, up to the observed price", () => {
    const sigma = realizedVolPerSqrtS("1", BTC, 300_000, obs, history(0.0004));
    expect(sigma).toBeCloseTo(0.0004, 6);
    // Samples older than the window, or at/after the observed block, are not read.
    const late = [...history(0.0004), { ...history(0.05, 1)[0]!, blockNumber: BigInt(BLOCK) }];
    expect(realizedVolPerSqrtS("1", BTC, 300_000, obs, late)).toBeCloseTo(0.0004, 6);
    expect(realizedVolPerSqrtS("1", BTC, 5_000, obs, history(0.0004))).toBeNull();
    expect(plausibleMove(0.0004, 3, 600_000)).toBeCloseTo(3 * 0.0004 * Math.sqrt(600), 12);
  });

  it("a calm market makes no grid shock plausible: nothing to cover, no page", () => {
    // σ 0.0002/√s: 3σ over 10 minutes is ±1.5%, inside the smallest shock.
    const s = signal(history(0.0002));
    expect(s.value).toBe(Number.POSITIVE_INFINITY);
    expect(s.active).toBe(false);
  });

  it("a moving market brings the bigger shocks in: the fund against their bad debt", () => {
    // σ 0.0005/√s: ±3.7%, so −3% counts and −5% does not: $50k / $200k.
    const s = signal(history(0.0005));
    expect(s.value).toBeCloseTo(0.25, 9);
    expect(s.active).toBe(true);
    expect(s.annotations.summary).toContain("$200,000 at a -3.0% shock; BTC moves ±3.7%");
    // σ 0.0008/√s: ±5.9%, the −5% point's $1M.
    expect(signal(history(0.0008)).value).toBeCloseTo(0.05, 9);
  });

  it("too little history is no data, not a calm market; the history is kept long enough", () => {
    expect(evaluateRule(page, obs, history(0.0005, 5)).noData).toMatch(/price history of BTC/);
    expect(needsOf([page]).markets).toBe(true);
    expect(historyWindowMs([page])).toBe(300_000);
  });
});
