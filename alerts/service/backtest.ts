/**
 * The alert backtest: one seeded scenario run in memory at max pace (a protocol's in-memory
 * simulator, its `backtest` binding: the reference's is protocols/reference/devnet/backtest.ts),
 * every block observed the way the API would answer, and the rule pack run through the
 * worker's own pure evaluator (`evaluate`) and lifecycle (`step`) on chain time — no store, no
 * routing, no webhooks. The outcome is every firing (what would page) and the run's facts
 * (first liquidation, the crash the seed drew) that `backtestMetrics.ts` scores.
 *
 * Rules on a cron schedule run at its period in chain time (`*\/30 * * * * *` = every 30 s);
 * `var_bad_debt` is left out (no VaR here) and said so.
 */
import type { Rule } from "../config/ruleSchema.js";
import { evaluate, needsOf } from "../evaluate/evaluate.js";
import { historyWindowMs } from "../evaluate/historyWindow.js";
import {
  type HistorySample,
  historySample,
  type LiquidationObservation,
  type ObservationNeeds,
  type RiskObservation,
} from "../observation.js";
import { type AlertRecord, step } from "../state/alertState.js";

/** One simulated block, as the backtest reads it. */
export interface BacktestBlock {
  tick: number;
  blockNumber: bigint;
  /** Chain time, unix s. */
  timestamp: number;
  /** The liquidations this block executed. */
  liquidations: Omit<LiquidationObservation, "id" | "blockNumber" | "timestamp">[];
  /** The insurance fund after it, USD (history samples when an observation has none). */
  insuranceFund: number;
  /** The block as the API would serve it, given every liquidation so far (newest first). */
  observe(liquidations: LiquidationObservation[], needs: ObservationNeeds): RiskObservation;
}

/** One seeded run of a protocol's in-memory simulator. */
export interface BacktestRun {
  family: string;
  seed: number;
  description: string;
  /** Its length in blocks. */
  ticks: number;
  /** The crash the seed drew (crash family), else null. */
  crash: { startTick: number; market: string } | null;
  /** Simulates the next block. */
  step(): BacktestBlock;
}

/** What a protocol offers the backtest (`Protocol.backtest`). */
export interface BacktestBinding {
  /** Scenario families: crash, fragile (the crash's build-up, then calm), calm, … */
  families: readonly string[];
  /** A seeded run of a family; an unknown family is an Error naming the known ones. */
  start(family: string, seed: number, opts: { accounts: number }): BacktestRun;
}

export const BACKTEST_EXCHANGE = "reference-backtest";

/** One episode of one alert: it fired (would have paged) and maybe resolved. */
export interface Firing {
  rule: string;
  severity: string;
  market: string | null;
  fingerprint: string;
  tick: number;
  block: bigint;
  /** Chain time, unix s. */
  at: number;
  resolvedAt: number | null;
}

export interface RunOutcome {
  family: string;
  seed: number;
  description: string;
  /** Symbol of the market the seed crashed (crash family only). */
  crashMarket: string | null;
  crashStartTick: number | null;
  ticks: number;
  startTime: number;
  endTime: number;
  /** First liquidation at or after the crash's start (null: none). */
  firstLiquidation: { tick: number; block: bigint; at: number } | null;
  liquidations: number;
  firings: Firing[];
  /** Wall seconds the run took. */
  wallSeconds: number;
}

export interface BacktestOptions {
  rules: readonly Rule[];
  /** Cron expression per schedule name (the config's `schedules`). */
  schedules: Readonly<Record<string, string>>;
  /** Ticks to run (default: the scenario's). */
  ticks?: number;
}

/** Period in seconds of a cron expression with seconds: `*\/N * * * * *` or `0 *\/N * * * *`. */
export function schedulePeriodS(expr: string): number {
  const s = /^\*\/(\d+) \* \* \* \* \*$/.exec(expr);
  if (s) return Number(s[1]);
  const m = /^0 \*\/(\d+) \* \* \* \*$/.exec(expr);
  if (m) return Number(m[1]) * 60;
  return 60;
}

export function backtestRules(rules: readonly Rule[]): Rule[] {
  return rules.filter((r) => r.enabled && r.kind !== "var_bad_debt");
}

export function runBacktest(run: BacktestRun, opts: BacktestOptions): RunOutcome {
  const started = performance.now();
  const rules = backtestRules(opts.rules);
  const ticks = opts.ticks ?? run.ticks;
  const alerts = new Map<string, AlertRecord>();
  const open = new Map<string, Firing>();
  const firings: Firing[] = [];
  const liquidations: LiquidationObservation[] = [];
  const history: HistorySample[] = [];
  const historyS = historyWindowMs(rules) / 1000;
  const lastRun = new Map<string, number>();
  let firstLiquidation: RunOutcome["firstLiquidation"] = null;
  const crashStart = run.crash?.startTick ?? 0;
  let startTime = 0;
  let endTime = 0;

  for (let t = 0; t < ticks; t++) {
    const b = run.step();
    if (t === 0) startTime = b.timestamp;
    endTime = b.timestamp;
    for (const l of b.liquidations) {
      liquidations.unshift({
        ...l,
        id: `${b.blockNumber}-${liquidations.length}`,
        blockNumber: b.blockNumber,
        timestamp: b.timestamp,
      });
      if (!firstLiquidation && b.tick >= crashStart) {
        firstLiquidation = { tick: b.tick, block: b.blockNumber, at: b.timestamp };
      }
    }
    const due = rules.filter((r) => {
      if (r.schedule === "block") return true;
      const period = schedulePeriodS(opts.schedules[r.schedule] ?? "");
      const last = lastRun.get(r.schedule);
      return last === undefined || b.timestamp - last >= period;
    });
    for (const r of due) if (r.schedule !== "block") lastRun.set(r.schedule, b.timestamp);
    const obs = b.observe(liquidations, needsOf(due));
    const nowMs = b.timestamp * 1000;
    for (const ev of evaluate(due, obs, history)) {
      if (ev.signals === undefined) continue;
      const timing = {
        forMs: ev.rule.for,
        cooldownMs: ev.rule.cooldown,
        keepFiringForMs: ev.rule.keepFiringFor,
      };
      const seen = new Set<string>();
      const apply = (key: string, s: ReturnType<typeof step>) => {
        if (!s) return;
        alerts.set(key, s.record);
        if (s.event?.kind === "firing") {
          const f: Firing = {
            rule: ev.rule.name,
            severity: ev.rule.severity,
            market: s.record.labels.market ?? null,
            fingerprint: key,
            tick: b.tick,
            block: b.blockNumber,
            at: b.timestamp,
            resolvedAt: null,
          };
          firings.push(f);
          open.set(key, f);
        } else if (s.event?.kind === "resolved") {
          const f = open.get(key);
          if (f) f.resolvedAt = b.timestamp;
          open.delete(key);
        }
      };
      for (const sig of ev.signals) {
        seen.add(sig.fingerprint);
        apply(sig.fingerprint, step(alerts.get(sig.fingerprint), sig, timing, nowMs, obs.block));
      }
      for (const [key, a] of alerts) {
        if (a.rule !== ev.rule.name || a.state === "inactive" || seen.has(key)) continue;
        apply(key, step(a, null, timing, nowMs, obs.block));
      }
    }
    const sample =
      historyS > 0 ? historySample(obs, obs.exchange?.insuranceFund ?? b.insuranceFund) : null;
    if (sample) {
      history.push(sample);
      while (history.length > 0 && history[0]!.timestamp < b.timestamp - historyS - 60)
        history.shift();
    }
  }
  return {
    family: run.family,
    seed: run.seed,
    description: run.description,
    crashMarket: run.crash?.market ?? null,
    crashStartTick: run.crash?.startTick ?? null,
    ticks,
    startTime,
    endTime,
    firstLiquidation: run.crash ? firstLiquidation : null,
    liquidations: liquidations.length,
    firings,
    wallSeconds: (performance.now() - started) / 1000,
  };
}
