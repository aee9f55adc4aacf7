/**
 * Alert and silence objects as the schema shapes them, from the worker's JSON
 * (alerts/service/alertsHttp.ts): states in upper case, times in whole seconds (the
 * `Timestamp` scalar), labels and annotations as name/value lists sorted by name.
 */
import type { AlertJson, SilenceJson } from "../../alerts/service/alertsHttp.js";
import type { Alert, AlertState, Silence, SilenceState } from "../generated/schemaTypes.js";

const seconds = (ms: number) => BigInt(Math.floor(ms / 1000));

const pairs = (r: Record<string, string>) =>
  Object.entries(r)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => ({ name, value }));

export function alertNode(a: AlertJson): Alert {
  return {
    fingerprint: a.fingerprint,
    rule: a.rule,
    state: a.state.toUpperCase() as AlertState,
    severity: a.labels.severity ?? "warning",
    exchange: a.exchange || a.labels.exchange || null,
    market: a.labels.market ?? null,
    account: a.labels.account ?? null,
    summary: a.annotations.retracted ?? a.annotations.summary ?? null,
    labels: pairs(a.labels),
    annotations: pairs(a.annotations),
    value: a.value,
    threshold: a.threshold,
    startsAt: seconds(a.startsAtMs),
    endsAt: a.endsAtMs === null ? null : seconds(a.endsAtMs),
    block: a.block === null ? null : BigInt(a.block),
  };
}

export function silenceNode(s: SilenceJson): Silence {
  return {
    id: s.id,
    matchers: s.matchers,
    state: s.state.toUpperCase() as SilenceState,
    startsAt: seconds(s.startsAtMs),
    endsAt: seconds(s.endsAtMs),
    createdBy: s.createdBy,
    comment: s.comment,
  };
}
