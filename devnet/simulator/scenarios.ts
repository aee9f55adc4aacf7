/**
 * Named market scenarios. A scenario is data plus a price overlay: how long it runs, how much
 * chain time a block covers, who trades, which way they lean, and what it does to prices tick
 * by tick. Drift and jumps of the scenario's focus market propagate to the others by their
 * beta (correlation × relative volatility), which is how "correlated markets follow".
 */
import { DEFAULT_CORRELATION, DEFAULT_MARKETS } from "../../engine/analytics/defaultMarkets.js";
import type { PriceOverlay } from "./priceModel.js";

export const TRADER_KINDS = ["hedger", "trend", "degen", "whale", "arb"] as const;
export type TraderKind = (typeof TRADER_KINDS)[number];

export const SCENARIO_NAMES = ["calm", "crash-cascade", "funding-squeeze"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface Scenario {
  name: ScenarioName;
  description: string;
  /** Blocks the scenario lasts; a looping run continues calm afterwards. */
  ticks: number;
  /** Chain seconds per block. */
  secondsPerTick: number;
  /** Insurance fund seeded at deployment, USD. */
  insuranceFund: number;
  /** Share of each trader kind. */
  mix: Record<TraderKind, number>;
  /** Probability that a directional trader goes long, per market index. */
  longBias: readonly number[];
  /** Market index the scenario is about. */
  focus: number;
  /** Whales' leverage range. */
  whaleLeverage: readonly [number, number];
  overlay(tick: number): PriceOverlay;
  phase(tick: number): string;
}

const N = DEFAULT_MARKETS.length;

/** Beta of each market to `focus`: ρ · σ_j / σ_focus. */
export function betas(focus: number): number[] {
  const sf = DEFAULT_MARKETS[focus]!.annualVol;
  return DEFAULT_MARKETS.map((m, j) => (DEFAULT_CORRELATION[focus]![j]! * m.annualVol) / sf);
}

function spread(focus: number, logMove: number): number[] {
  return betas(focus).map((b) => b * logMove);
}

const none: number[] = new Array(N).fill(0);

const calm: Scenario = {
  name: "calm",
  description: "an ordinary market: correlated random walks at twice realized volatility",
  ticks: 600,
  secondsPerTick: 1,
  insuranceFund: 250_000,
  mix: { hedger: 0.22, trend: 0.25, degen: 0.25, whale: 0.03, arb: 0.25 },
  longBias: new Array(N).fill(0.55),
  focus: 0,
  whaleLeverage: [2, 6],
  overlay: () => ({ volScale: 2, drift: none, jump: none }),
  phase: () => "calm",
};

/** Crash window of crash-cascade, in ticks: ETH loses ~25% over three minutes. */
const CRASH_START = 120;
const CRASH_TICKS = 180;
const CRASH_JUMPS: readonly [number, number][] = [
  [5, Math.log(0.93)],
  [60, Math.log(0.94)],
  [120, Math.log(0.95)],
];
const CRASH_TOTAL = Math.log(0.75);
const CRASH_DRIFT = (CRASH_TOTAL - CRASH_JUMPS.reduce((s, [, j]) => s + j, 0)) / CRASH_TICKS;

const crashCascade: Scenario = {
  name: "crash-cascade",
  description:
    "ETH falls ~25% over three minutes with three gaps, correlated markets follow by beta; leveraged longs cascade, the fund is drawn, ADL follows",
  ticks: 480,
  secondsPerTick: 1,
  insuranceFund: 50_000,
  mix: { hedger: 0.2, trend: 0.25, degen: 0.3, whale: 0.05, arb: 0.2 },
  longBias: [0.7, 0.8, 0.75, 0.7, 0.7],
  focus: 1,
  whaleLeverage: [8, 14],
  overlay(tick) {
    const t = tick - CRASH_START;
    if (t < 0) return { volScale: 2, drift: none, jump: none };
    if (t < CRASH_TICKS) {
      const jump = CRASH_JUMPS.find(([at]) => at === t);
      return {
        volScale: 5,
        drift: spread(this.focus, CRASH_DRIFT),
        jump: jump ? spread(this.focus, jump[1]) : none,
      };
    }
    const after = t - CRASH_TICKS;
    const volScale = 1 + 3 * Math.exp(-after / 40);
    return { volScale, drift: spread(this.focus, Math.log(1.05) / 180), jump: none };
  },
  phase(tick) {
    if (tick < CRASH_START) return "build-up";
    if (tick < CRASH_START + CRASH_TICKS) return "crash";
    return "aftermath";
  },
};

const fundingSqueeze: Scenario = {
  name: "funding-squeeze",
  description:
    "one-sided long flow into SOL with nobody fading it; 30 s of chain time per block lets funding run to extremes",
  ticks: 480,
  secondsPerTick: 30,
  insuranceFund: 250_000,
  mix: { hedger: 0.15, trend: 0.4, degen: 0.3, whale: 0.15, arb: 0 },
  longBias: [0.55, 0.55, 0.97, 0.55, 0.55],
  focus: 2,
  whaleLeverage: [3, 8],
  overlay() {
    const drift = none.slice();
    drift[this.focus] = Math.log(1.2) / this.ticks;
    return { volScale: 1, drift, jump: none };
  },
  phase: (tick) => (tick < 60 ? "build-up" : "squeeze"),
};

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  calm,
  "crash-cascade": crashCascade,
  "funding-squeeze": fundingSqueeze,
};

export function scenarioByName(name: string): Scenario {
  const s = SCENARIOS[name as ScenarioName];
  if (!s) {
    throw new Error(`unknown scenario "${name}": expected one of ${SCENARIO_NAMES.join(", ")}`);
  }
  return s;
}
