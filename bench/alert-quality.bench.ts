/**
 * Alert quality (`npm run bench -- alert-quality`): `perpwatch backtest` on the tuning seeds
 * and then the validation seeds (crash 30, fragile 30, calm 20 of 72 minutes = 24 simulated
 * hours, funding-squeeze 10 each, 300 accounts; ~13 minutes a range on 2 busy cores), in memory — the devnet's traders and keepers on the reference exact engine, the
 * API's analytics, the worker's evaluator and lifecycle; no chain, no webhooks. Prints the
 * per-rule table of each range (the README's).
 *
 * `PERPWATCH_BENCH_BACKTEST_SCALE` (default 1) scales every family's seed count (0.2 for a
 * quick look); `PERPWATCH_BENCH_BACKTEST_RANGE` = tuning | validation runs one range.
 */

import { scoreTable, simulatedHours } from "../alerts/service/backtestMetrics.js";
import { parseSeeds, runBacktestSuite, TUNING_SEEDS } from "../cli/backtestCommand.js";

const SCALE = Number(process.env.PERPWATCH_BENCH_BACKTEST_SCALE ?? "1");
const ONLY = process.env.PERPWATCH_BENCH_BACKTEST_RANGE;

function seeds(offset: number): Record<string, number[]> {
  const take = (spec: string) => {
    const all = parseSeeds(spec);
    return all.slice(0, Math.max(1, Math.round(all.length * SCALE))).map((s) => s + offset);
  };
  return {
    crash: take(TUNING_SEEDS.crash),
    fragile: take(TUNING_SEEDS.fragile),
    calm: take(TUNING_SEEDS.calm),
    "funding-squeeze": take(TUNING_SEEDS.squeeze),
  };
}

export async function run(): Promise<void> {
  for (const [name, offset] of [
    ["tuning", 0],
    ["validation", 1000],
  ] as const) {
    if (ONLY !== undefined && ONLY !== name) continue;
    const started = performance.now();
    const { runs, scores } = runBacktestSuite({ seeds: seeds(offset), accounts: 300 });
    const wall = (performance.now() - started) / 1000;
    const hours = simulatedHours(runs);
    const total = Object.values(hours).reduce((s, h) => s + h, 0);
    const each = Object.entries(hours)
      .map(([f, h]) => `${f} ${h.toFixed(1)} h`)
      .join(", ");
    console.log(
      `\nalert-quality, ${name} seeds: ${runs.length} runs, ${total.toFixed(1)} simulated hours (${each}) in ${wall.toFixed(0)} s\n`,
    );
    console.log(scoreTable(scores));
  }
}
