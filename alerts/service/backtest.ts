/**
 * The alert backtest: one seeded scenario run in memory at max pace (the reference engine,
 * `protocols/reference/devnet/engineSimulator.ts`), every block observed the way the API
 * would answer (`engineObservation.ts`), and the rule pack run through the worker's own pure
 * evaluator (`evaluate`) and lifecycle (`step`) on chain time — no store, no routing, no
 * webhooks. The outcome is every firing (what would page) and the run's facts (first
 * liquidation, the crash the seed drew) that `backtestMetrics.ts` scores.
 *
 * Rules on a cron schedule run at its period in chain time (`*\/30 * * * * *` = every 30 s);
 * `var_bad_debt` is left out (no VaR here) and said so.
 */

import type { DrawnScenario } from "../../protocols/reference/devnet/backtestScenarios.js";
import { engineObservation } from "../../protocols/reference/devnet/engineObservation.js";
import { EngineSimulator } from "../../protocols/reference/devnet/engineSimulator.js";
import type { Rule } from "../config/ruleSchema.js";
import { evaluate, needsOf } from "../evaluate/evaluate.js";
import type { HistorySample, LiquidationObservation } from "../observation.js";
import { type AlertRecord, step } from "../state/alertState.js";

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
  family: DrawnScenario["family"];
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
  accounts: number;
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

export function runBacktest(drawn: DrawnScenario, opts: BacktestOptions): RunOutcome {
  const started = performance.now();
  const rules = backtestRules(opts.rules);
  const sim = new EngineSimulator({
    scenario: drawn.scenario,
    seed: drawn.seed,
    accounts: opts.accounts,
  });
  const ticks = opts.ticks ?? drawn.scenario.ticks;
  const alerts = new Map<string, AlertRecord>();
  const open = new Map<string, Firing>();
  const firings: Firing[] = [];
  const liquidations: LiquidationObservation[] = [];
  const history: HistorySample[] = [];
  let historyS = 0;
  for (const r of rules) if ("window" in r) historyS = Math.max(historyS, r.window / 1000);
  for (const r of rules) {
    if (r.kind === "cascade_amplification" && r.motion) {
      historyS = Math.max(historyS, r.motion.window / 1000);
    }
  }
  const lastRun = new Map<string, number>();
  let firstLiquidation: RunOutcome["firstLiquidation"] = null;
  const crashStart = drawn.crash?.startTick ?? 0;
  let startTime = 0;
  let endTime = 0;

  for (let t = 0; t < ticks; t++) {
    const b = sim.step();
    if (t === 0) startTime = b.timestamp;
    endTime = b.timestamp;
    for (const ev of b.events) {
      if (ev.name !== "AccountLiquidated") continue;
      const a = ev.args;
      liquidations.unshift({
        id: `${b.blockNumber}-${liquidations.length}`,
        accountId: a.accountId.toString(),
        notional: Number(a.notional) / 1e18,
        badDebt: Number(a.badDebt) / 1e18,
        insuranceCovered: Number(a.insuranceCovered) / 1e18,
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
    const obs = engineObservation(
      {
        exchangeId: BACKTEST_EXCHANGE,
        state: b.state,
        blockNumber: b.blockNumber,
        timestamp: b.timestamp,
        liquidations,
      },
      needsOf(due),
    );
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
    if (historyS > 0 && obs.markets) {
      history.push({
        blockNumber: b.blockNumber,
        timestamp: b.timestamp,
        prices: Object.fromEntries(obs.markets.map((m) => [m.id, m.price])),
        insuranceFund: obs.exchange?.insuranceFund ?? Number(b.state.insuranceFund) / 1e18,
      });
      while (history.length > 0 && history[0]!.timestamp < b.timestamp - historyS - 60)
        history.shift();
    }
  }
  const symbols = ["BTC", "ETH", "SOL", "DOGE", "WIF"];
  return {
    family: drawn.family,
    seed: drawn.seed,
    description: drawn.scenario.description,
    crashMarket: drawn.crash ? (symbols[drawn.crash.market] ?? null) : null,
    crashStartTick: drawn.crash?.startTick ?? null,
    ticks,
    startTime,
    endTime,
    firstLiquidation: drawn.crash ? firstLiquidation : null,
    liquidations: liquidations.length,
    firings,
    wallSeconds: (performance.now() - started) / 1000,
  };
}
