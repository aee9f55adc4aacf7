/**
 * Scores backtest runs per rule (pure):
 *
 * - recall: of the crash runs whose crash liquidated anyone, the share where the rule was
 *   firing for the crashing market (or, for an exchange-wide rule, at all) when the first
 *   liquidation came — fired before that block and not resolved more than a minute before it;
 * - lead time: first liquidation minus the start of that firing, chain seconds and blocks
 *   (p10/p50/p90 over the warned runs);
 * - pages per simulated day: firings (episodes, one per market for market rules) on the
 *   fragile-no-crash, calm and funding-squeeze runs, over their chain time;
 * - precision on fragile books: warnings that preceded a cascade over those plus the firings
 *   on fragile books that did not crash.
 */
import type { Firing, RunOutcome } from "./backtest.js";

/** A firing resolved this long before the first liquidation still counts as its warning. */
const GRACE_S = 60;
const DAY_S = 86_400;

export interface RuleScore {
  rule: string;
  severity: string;
  crashes: number;
  warned: number;
  recall: number | null;
  leadS: [number, number, number] | null;
  leadBlocks: [number, number, number] | null;
  pagesPerDay: { fragile: number | null; calm: number | null; squeeze: number | null };
  precision: number | null;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

const q3 = (xs: number[]): [number, number, number] | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return [quantile(s, 0.1), quantile(s, 0.5), quantile(s, 0.9)];
};

/** The firing of `rule` that warned of this run's cascade, if any. */
export function warningOf(run: RunOutcome, rule: string): Firing | null {
  const first = run.firstLiquidation;
  if (!first) return null;
  let best: Firing | null = null;
  for (const f of run.firings) {
    if (f.rule !== rule || f.block >= first.block) continue;
    if (f.market !== null && f.market !== run.crashMarket) continue;
    if (f.resolvedAt !== null && f.resolvedAt < first.at - GRACE_S) continue;
    if (!best || f.at < best.at) best = f;
  }
  return best;
}

export function scoreRuns(
  runs: readonly RunOutcome[],
  rules: readonly { name: string; severity: string }[],
): RuleScore[] {
  const crashes = runs.filter((r) => r.family === "crash" && r.firstLiquidation !== null);
  const daysOf = (family: RunOutcome["family"]) => {
    const rs = runs.filter((r) => r.family === family);
    return { rs, days: rs.reduce((s, r) => s + (r.endTime - r.startTime + 1), 0) / DAY_S };
  };
  const fragile = daysOf("fragile");
  const calm = daysOf("calm");
  const squeeze = daysOf("funding-squeeze");
  const perDay = (g: { rs: RunOutcome[]; days: number }, rule: string) =>
    g.rs.length === 0
      ? null
      : g.rs.reduce((n, r) => n + r.firings.filter((f) => f.rule === rule).length, 0) / g.days;
  return rules.map(({ name, severity }) => {
    const leads: number[] = [];
    const leadBlocks: number[] = [];
    for (const run of crashes) {
      const w = warningOf(run, name);
      if (!w) continue;
      leads.push(run.firstLiquidation!.at - w.at);
      leadBlocks.push(Number(run.firstLiquidation!.block - w.block));
    }
    const fragileFirings = fragile.rs.reduce(
      (n, r) => n + r.firings.filter((f) => f.rule === name).length,
      0,
    );
    const denominator = leads.length + fragileFirings;
    return {
      rule: name,
      severity,
      crashes: crashes.length,
      warned: leads.length,
      recall: crashes.length > 0 ? leads.length / crashes.length : null,
      leadS: q3(leads),
      leadBlocks: q3(leadBlocks),
      pagesPerDay: {
        fragile: perDay(fragile, name),
        calm: perDay(calm, name),
        squeeze: perDay(squeeze, name),
      },
      precision: denominator > 0 ? leads.length / denominator : null,
    };
  });
}

/** Simulated hours of chain time per family (what "pages per simulated day" rests on). */
export function simulatedHours(runs: readonly RunOutcome[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of runs) out[r.family] = (out[r.family] ?? 0) + (r.endTime - r.startTime + 1) / 3600;
  return out;
}

const pct = (v: number | null) => (v === null ? "n/a" : `${(100 * v).toFixed(0)}%`);
const num = (v: number | null) => (v === null ? "n/a" : v < 10 ? v.toFixed(1) : v.toFixed(0));
const trio = (t: [number, number, number] | null) =>
  t === null ? "n/a" : t.map((x) => x.toFixed(0)).join(" / ");

/** The scores as a Markdown table (README). */
export function scoreTable(scores: readonly RuleScore[]): string {
  const head =
    "| rule | severity | recall | lead p10/p50/p90 (s) | lead p10/p50/p90 (blocks) | pages/day fragile | pages/day calm | pages/day squeeze | precision (crash vs fragile) |";
  const sep = "| --- | --- | --- | --- | --- | --- | --- | --- | --- |";
  const rows = scores.map(
    (s) =>
      `| ${s.rule} | ${s.severity} | ${pct(s.recall)} (${s.warned}/${s.crashes}) | ${trio(s.leadS)} | ${trio(s.leadBlocks)} | ${num(s.pagesPerDay.fragile)} | ${num(s.pagesPerDay.calm)} | ${num(s.pagesPerDay.squeeze)} | ${pct(s.precision)} |`,
  );
  return [head, sep, ...rows].join("\n");
}
