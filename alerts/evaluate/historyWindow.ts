/**
 * How far back the rules read the per-block price and fund history (`HistorySample`s): the
 * worker keeps that much in its store, the backtest in memory. One place, so a rule knob
 * that reads history (oracle jumps, fund drawdowns, a cascade's motion, a stress rule's
 * realized volatility) is kept by both.
 */
import type { Rule } from "../config/ruleSchema.js";

export function historyWindowMs(rules: readonly Rule[]): number {
  let ms = 0;
  for (const r of rules) {
    if (!r.enabled) continue;
    if (r.kind === "oracle_jump" || r.kind === "insurance_fund_drawdown") {
      ms = Math.max(ms, r.window);
    }
    if (r.kind === "cascade_amplification" && r.motion) {
      const baseline = r.motion.minSigmas === undefined ? 0 : r.motion.baseline;
      ms = Math.max(ms, r.motion.window + baseline);
    }
    if (r.kind === "insurance_coverage" && r.volatility) ms = Math.max(ms, r.volatility.window);
  }
  return ms;
}
