/**
 * The contract every rule kind fulfils: what it needs from the source, how it measures one
 * value per instance (per market, per account, or once), which side of the threshold is bad,
 * and the summary a receiver shows by default.
 *
 * Why the split between a kind's measurement and the shared threshold logic: per-market
 * overrides, "off", `for`, cool-down and fingerprints then work the same for every kind, and
 * a kind is a dozen lines of arithmetic over the observation.
 */
import type { RuleKind, RuleOf } from "../config/ruleSchema.js";
import type { HistorySample, ObservationNeeds, RiskObservation } from "../observation.js";

export type ValueUnit = "ratio" | "fraction" | "usd" | "perDay" | "seconds" | "blocks" | "count";

export interface Measurement {
  market?: { id: string; symbol: string };
  account?: string;
  value: number;
  /** false: measured, but too small to matter (e.g. under a minimum open interest). */
  eligible?: boolean;
  /** true: active whatever the threshold says (e.g. the API's own adlLikely flag). */
  force?: boolean;
  /** Extra facts for annotations ({{details.key}}) and the webhook's values. */
  details?: Record<string, string>;
}

export interface NoData {
  noData: string;
}

export interface KindSpec<K extends RuleKind> {
  /** Whether the scope is one instance per market, per account, or a single global one. */
  scope: "market" | "account" | "global";
  /** "above": active when value ≥ threshold; "below": active when value < threshold. */
  direction: "above" | "below";
  unit: ValueUnit;
  /** The unit when it depends on the rule (indexer lag in blocks or seconds). */
  unitFor?(rule: RuleOf<K>): ValueUnit;
  /** Default summary template ({{market}}, {{account}}, {{value}}, {{threshold}}, …). */
  summary: string;
  needs(rule: RuleOf<K>, needs: ObservationNeeds): void;
  measure(
    rule: RuleOf<K>,
    obs: RiskObservation,
    history: readonly HistorySample[],
  ): Measurement[] | NoData;
}

export function isNoData(m: Measurement[] | NoData): m is NoData {
  return !Array.isArray(m);
}
