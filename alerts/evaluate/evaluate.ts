/**
 * The pure evaluator: rules × one observation (and the recent block samples) → one signal per
 * rule instance, each with its labels, fingerprint, rendered annotations, value, threshold and
 * whether the condition holds. No clock, no I/O: the state machine decides what a signal
 * means over time.
 *
 * An observation is one exchange's: every signal carries the label `exchange`, so the same
 * rule on two exchanges is two alerts (two fingerprints), and when the worker watches several
 * exchanges the summary starts with `[<exchange>]`. A rule scoped to other exchanges yields
 * no signals here.
 *
 * A rule whose data is missing from the observation yields `noData` rather than inactive
 * signals, so a cron run that did not fetch accounts cannot resolve the account alerts.
 */
import { type Rule, watches } from "../config/ruleSchema.js";
import type { HistorySample, ObservationNeeds, RiskObservation } from "../observation.js";
import { emptyNeeds } from "../observation.js";
import { fingerprint } from "../state/fingerprint.js";
import { formatValue } from "./format.js";
import { isNoData, type ValueUnit } from "./kindSpec.js";
import { kindOf } from "./kinds.js";
import { renderTemplate } from "./template.js";

export interface Signal {
  rule: string;
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number;
  threshold: number;
  active: boolean;
}

export type RuleEvaluation =
  | { rule: Rule; signals: Signal[]; noData?: undefined }
  | { rule: Rule; noData: string; signals?: undefined };

/** The union of what the given rules need from the source. */
export function needsOf(rules: readonly Rule[]): ObservationNeeds {
  const needs = emptyNeeds();
  for (const rule of rules) if (rule.enabled) kindOf(rule.kind).needs(rule, needs);
  return needs;
}

export function unitOf(rule: Rule): ValueUnit {
  const spec = kindOf(rule.kind);
  return spec.unitFor ? spec.unitFor(rule) : spec.unit;
}

function thresholdFor(rule: Rule, market?: { id: string; symbol: string }): number | "off" {
  if (!market || !("markets" in rule) || !rule.markets) return rule.threshold;
  return rule.markets[market.symbol] ?? rule.markets[market.id] ?? rule.threshold;
}

/** A summary template that names the exchange itself is not prefixed with it. */
const NAMES_EXCHANGE = /\{\{\s*exchange\s*\}\}/;

export function evaluateRule(
  rule: Rule,
  obs: RiskObservation,
  history: readonly HistorySample[] = [],
): RuleEvaluation {
  if (!watches(rule, obs.exchangeId)) return { rule, signals: [] };
  const spec = kindOf(rule.kind);
  const measured = spec.measure(rule, obs, history);
  if (isNoData(measured)) return { rule, noData: measured.noData };
  const unit = unitOf(rule);
  const signals: Signal[] = [];
  for (const m of measured) {
    const threshold = thresholdFor(rule, m.market);
    if (threshold === "off") continue;
    const crossed = spec.direction === "above" ? m.value >= threshold : m.value < threshold;
    const active = m.force === true || (m.eligible !== false && crossed);
    const labels: Record<string, string> = {
      alertname: rule.name,
      severity: rule.severity,
      ...rule.labels,
      exchange: obs.exchangeId,
    };
    if (m.market) labels.market = m.market.symbol;
    if (m.account !== undefined) labels.account = m.account;
    const vars = {
      rule: rule.name,
      severity: rule.severity,
      exchange: obs.exchangeId,
      market: m.market?.symbol ?? "",
      account: m.account ?? "",
      value: formatValue(m.value, unit),
      threshold: formatValue(threshold, unit),
      block: obs.block.number.toString(),
      details: m.details ?? {},
      labels,
    };
    const templates: Record<string, string> = { summary: spec.summary, ...rule.annotations };
    const annotations: Record<string, string> = {};
    for (const [k, t] of Object.entries(templates)) annotations[k] = renderTemplate(t, vars);
    if (
      obs.watchedExchanges.length > 1 &&
      annotations.summary !== undefined &&
      !NAMES_EXCHANGE.test(templates.summary ?? "")
    ) {
      annotations.summary = `[${obs.exchangeId}] ${annotations.summary}`;
    }
    signals.push({
      rule: rule.name,
      fingerprint: fingerprint(labels),
      labels,
      annotations,
      value: m.value,
      threshold,
      active,
    });
  }
  return { rule, signals };
}

/** Evaluates every enabled rule against one observation. */
export function evaluate(
  rules: readonly Rule[],
  obs: RiskObservation,
  history: readonly HistorySample[] = [],
): RuleEvaluation[] {
  return rules.filter((r) => r.enabled).map((r) => evaluateRule(r, obs, history));
}
