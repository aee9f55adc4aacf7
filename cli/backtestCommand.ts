/**
 * `perpwatch backtest`: the alert rule pack scored on many seeded runs of the simulator, at
 * max pace in memory (alerts/service/backtest.ts over the default protocol's backtest binding:
 * the devnet's traders and keepers on the reference exact engine, the API's analytics, the
 * worker's evaluator and lifecycle; no chain, no indexer, no webhooks). Prints one line per run and the per-rule table (recall, lead time,
 * pages per simulated day, precision).
 *
 * Seeds: the tuning range by default (crash 1–30, fragile 1–30, calm 1–20, funding-squeeze
 * 1–10); `--validation` runs the range kept for validation (1001–…), which the default pack
 * was not tuned on.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import { loadAlertsConfig } from "../alerts/config/alertsConfig.js";
import { backtestRules, type RunOutcome, runBacktest } from "../alerts/service/backtest.js";
import { scoreRuns, scoreTable } from "../alerts/service/backtestMetrics.js";
import { DEFAULT_PROTOCOL, protocolNamed } from "../protocols/protocols.js";
import { parseFlag } from "./usageError.js";

export interface RawBacktestOptions {
  crash: string;
  fragile: string;
  calm: string;
  squeeze: string;
  validation?: boolean;
  accounts: string;
  ticks?: string;
  rules?: string;
  json?: string;
}

/** Seeds of each family: the tuning range, and the validation range (+1000). */
export const TUNING_SEEDS = { crash: "1-30", fragile: "1-30", calm: "1-20", squeeze: "1-10" };
const VALIDATION_OFFSET = 1000;

const range = z
  .string()
  .regex(
    /^(\d+(-\d+)?)?(,\d+(-\d+)?)*$/,
    'expected seeds like "1-30", "5" or "1-3,7" (or "" for none)',
  );

export function parseSeeds(spec: string): number[] {
  if (spec === "") return [];
  return spec.split(",").flatMap((part) => {
    const [a, b] = part.split("-").map(Number);
    const out: number[] = [];
    for (let s = a!; s <= (b ?? a!); s++) out.push(s);
    return out;
  });
}

export function addBacktestOptions(cmd: Command): Command {
  return cmd
    .option(
      "--crash <seeds>",
      "crash seeds (start, market, depth and gaps drawn from each)",
      TUNING_SEEDS.crash,
    )
    .option(
      "--fragile <seeds>",
      "fragile-no-crash seeds (the crash build-up, then calm)",
      TUNING_SEEDS.fragile,
    )
    .option("--calm <seeds>", "calm seeds", TUNING_SEEDS.calm)
    .option("--squeeze <seeds>", "funding-squeeze seeds", TUNING_SEEDS.squeeze)
    .option("--validation", "shift every seed by 1000: the validation range")
    .option("--accounts <n>", "trader accounts per run", "300")
    .option("--ticks <n>", "blocks per run (default: each scenario's length)")
    .option("--rules <file>", "rule pack (default: alerts/rules/default.yaml)")
    .option("--json <file>", "write every run's firings and facts here");
}

export interface SuiteOptions {
  /** Seeds per scenario family (crash, fragile, calm, funding-squeeze). */
  seeds: Record<string, number[]>;
  accounts: number;
  ticks?: number;
  rulesFile?: string;
  onRun?: (run: RunOutcome, index: number, total: number) => void;
}

/** Runs every seed of every family, one after the other; returns the runs and their scores. */
export function runBacktestSuite(opts: SuiteOptions) {
  const config = loadAlertsConfig({
    overrides: {
      localReceiver: { enabled: true },
      ...(opts.rulesFile ? { rulesFile: opts.rulesFile } : {}),
    },
  });
  const binding = protocolNamed(DEFAULT_PROTOCOL)?.backtest;
  if (!binding) throw new Error(`backtest: protocol ${DEFAULT_PROTOCOL} has no backtest binding`);
  const jobs = Object.entries(opts.seeds).flatMap(([family, seeds]) =>
    seeds.map((seed) => ({ family, seed })),
  );
  const runs: RunOutcome[] = [];
  jobs.forEach(({ family, seed }, i) => {
    const run = runBacktest(binding.start(family, seed, { accounts: opts.accounts }), {
      rules: config.rules,
      schedules: config.schedules,
      ticks: opts.ticks,
    });
    runs.push(run);
    opts.onRun?.(run, i, jobs.length);
  });
  const rules = backtestRules(config.rules).map((r) => ({ name: r.name, severity: r.severity }));
  return { runs, scores: scoreRuns(runs, rules), rulesSource: config.rulesSource };
}

export function runBacktestCommand(raw: RawBacktestOptions): void {
  const shift = raw.validation ? VALIDATION_OFFSET : 0;
  const seedsOf = (flag: string, v: string) =>
    parseSeeds(parseFlag(flag, range, v)).map((s) => s + shift);
  const seeds: Record<string, number[]> = {
    crash: seedsOf("--crash", raw.crash),
    fragile: seedsOf("--fragile", raw.fragile),
    calm: seedsOf("--calm", raw.calm),
    "funding-squeeze": seedsOf("--squeeze", raw.squeeze),
  };
  const accounts = parseFlag("--accounts", z.coerce.number().int().min(10).max(5000), raw.accounts);
  const ticks =
    raw.ticks === undefined
      ? undefined
      : parseFlag("--ticks", z.coerce.number().int().min(10), raw.ticks);
  const started = performance.now();
  const { runs, scores, rulesSource } = runBacktestSuite({
    seeds,
    accounts,
    ticks,
    rulesFile: raw.rules,
    onRun: (r, i, n) => {
      const first = r.firstLiquidation
        ? `first liquidation at tick ${r.firstLiquidation.tick}`
        : "no crash liquidation";
      const pages = r.firings.filter((f) => f.severity === "critical").length;
      process.stdout.write(
        `[${i + 1}/${n}] ${r.family} seed ${r.seed}: ${r.description}; ${r.crashMarket ? `${first}; ` : ""}${r.liquidations} liquidations, ${pages} critical firings (${r.wallSeconds.toFixed(1)} s)\n`,
      );
    },
  });
  const wall = (performance.now() - started) / 1000;
  const describe = Object.entries(seeds)
    .map(([f, s]) => `${f} ${s.length > 0 ? `${s[0]}–${s.at(-1)}` : "none"}`)
    .join(", ");
  process.stdout.write(
    `\nRules: ${rulesSource}; ${accounts} accounts; seeds ${describe}; ${runs.length} runs in ${wall.toFixed(0)} s\n\n${scoreTable(scores)}\n`,
  );
  if (raw.json) {
    const plain = JSON.stringify(
      { seeds, accounts, scores, runs },
      (_, v) => (typeof v === "bigint" ? v.toString() : v),
      2,
    );
    writeFileSync(raw.json, plain);
  }
}
