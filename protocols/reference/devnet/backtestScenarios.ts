/**
 * The alert backtest's scenario families, each drawn from a seed (unlike crash-cascade, whose
 * crash comes at a fixed tick in ETH, so a "lead time" there only measures how early the book
 * looked fragile):
 *
 * - `crash`: crash-cascade's leveraged build-up (its trader mix, long bias and whale leverage),
 *   then a crash whose start (tick 150–420), market (any of the five), depth (12–35 % over
 *   60–240 ticks) and gaps (0–4 jumps of 3–8 % at random offsets) come from the seed.
 * - `fragile`: the same build-up and length, then a calm path: no crash. A rule that fires on
 *   leverage alone fires here too (its false positives).
 * - `calm`: the devnet's calm scenario, run 72 minutes rather than its 10 (it is the same
 *   from tick to tick), so 20 seeds are 24 simulated hours: "critical pages per calm day" then
 *   rests on a day, not on 3.3 hours (one page in 3.3 h read as 7.2 a day).
 * - `funding-squeeze`: the devnet's scenario as it is.
 *
 * The seed that draws the scenario is also the simulator's seed (traders, price noise).
 */
import { betas, SCENARIOS, type Scenario } from "../../../devnet/simulator/scenarios.js";
import { SeededRandom } from "../../../engine/seededRandom.js";

export const FAMILIES = ["crash", "fragile", "calm", "funding-squeeze"] as const;
export type Family = (typeof FAMILIES)[number];

/** What the seed drew for a crash (null for the other families). */
export interface CrashPlan {
  /** Market index (0-based) that crashes. */
  market: number;
  startTick: number;
  ticks: number;
  /** Total log move of the crash (negative). */
  depth: number;
  /** Gaps: [offset tick within the crash, log jump]. */
  gaps: [number, number][];
}

export interface DrawnScenario {
  family: Family;
  seed: number;
  scenario: Scenario;
  crash: CrashPlan | null;
}

const N = 5;
/** Calm runs' length in blocks (1 s each): 72 minutes. */
export const CALM_TICKS = 4_320;
const none: number[] = new Array(N).fill(0);
const spread = (focus: number, logMove: number) => betas(focus).map((b) => b * logMove);

export function drawCrash(seed: number): CrashPlan {
  const rng = new SeededRandom(seed, "xoshiro128**");
  const market = Math.floor(rng.uniform() * N);
  const startTick = 150 + Math.floor(rng.uniform() * 271);
  const ticks = 60 + Math.floor(rng.uniform() * 181);
  const depth = Math.log(1 - (0.12 + rng.uniform() * 0.23));
  const gapCount = Math.floor(rng.uniform() * 5);
  const gaps: [number, number][] = [];
  for (let i = 0; i < gapCount; i++) {
    const at = Math.floor(rng.uniform() * ticks);
    if (gaps.some(([t]) => t === at)) continue;
    gaps.push([at, Math.log(1 - (0.03 + rng.uniform() * 0.05))]);
  }
  gaps.sort((a, b) => a[0] - b[0]);
  return { market, startTick, ticks, depth, gaps };
}

function crashScenario(plan: CrashPlan, withCrash: boolean): Scenario {
  const base = SCENARIOS["crash-cascade"];
  const gapTotal = plan.gaps.reduce((s, [, j]) => s + j, 0);
  // The gaps are part of the depth when they fit in it; a deep gap pattern deepens the crash.
  const drift = Math.min(0, plan.depth - gapTotal) / plan.ticks;
  const end = plan.startTick + plan.ticks;
  return {
    ...base,
    description: withCrash
      ? `market #${plan.market + 1} falls ${(100 * (1 - Math.exp(Math.min(plan.depth, gapTotal + drift * plan.ticks)))).toFixed(0)}% from tick ${plan.startTick} over ${plan.ticks} ticks with ${plan.gaps.length} gaps`
      : "crash-cascade's leveraged build-up, then a calm path (no crash)",
    ticks: end + 60,
    focus: plan.market,
    overlay(tick) {
      const t = tick - plan.startTick;
      if (!withCrash || t < 0) return { volScale: 2, drift: none, jump: none };
      if (t < plan.ticks) {
        const gap = plan.gaps.find(([at]) => at === t);
        return {
          volScale: 5,
          drift: spread(plan.market, drift),
          jump: gap ? spread(plan.market, gap[1]) : none,
        };
      }
      return { volScale: 1 + 3 * Math.exp(-(t - plan.ticks) / 40), drift: none, jump: none };
    },
    phase(tick) {
      if (tick < plan.startTick) return "build-up";
      if (!withCrash) return "calm";
      return tick < end ? "crash" : "aftermath";
    },
  };
}

export function drawScenario(family: Family, seed: number): DrawnScenario {
  if (family === "calm") {
    const calm = SCENARIOS.calm;
    const scenario = { ...calm, ticks: CALM_TICKS, description: `${calm.description} (72 min)` };
    return { family, seed, scenario, crash: null };
  }
  if (family === "funding-squeeze") {
    return { family, seed, scenario: SCENARIOS[family], crash: null };
  }
  const plan = drawCrash(seed);
  const crash = family === "crash";
  return { family, seed, scenario: crashScenario(plan, crash), crash: crash ? plan : null };
}
