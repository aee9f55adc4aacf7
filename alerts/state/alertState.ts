/**
 * The alert lifecycle, as a pure function: pending → firing → resolved, per fingerprint.
 *
 * - A condition that starts to hold makes the alert *pending*; it *fires* once it has held for
 *   the rule's `for` (at once when `for` is 0). Pending alerts notify nobody.
 * - While firing, more evaluations that still hold change nothing a receiver sees
 *   (de-duplication): the value and annotations are refreshed, no event is emitted.
 * - When the condition stops holding (or its instance disappears, e.g. the account was
 *   liquidated), a firing alert *resolves* — after `keepFiringFor` without it holding, if the
 *   rule sets one (hysteresis) — and a pending one silently goes back to inactive.
 * - After a resolve the alert is in *cool-down*: a condition that holds again stays pending
 *   until the cool-down has passed, so a flapping value pages once, not every block.
 * - An alert raised on a block that a reorg later removed is *retracted*: receivers get a
 *   resolve that says so, and no cool-down applies.
 *
 * Times are wall-clock milliseconds passed in, never read here, so tests and restarts are
 * deterministic; the block an alert fired on is kept to check it is still canonical.
 */
import type { Signal } from "../evaluate/evaluate.js";
import type { BlockRef } from "../observation.js";

export type AlertState = "inactive" | "pending" | "firing";
export type AlertEventKind = "firing" | "resolved" | "retracted";

export interface AlertRecord {
  fingerprint: string;
  rule: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  value: number | null;
  threshold: number | null;
  /** When the condition began to hold (pending since), ms. */
  activeSinceMs: number | null;
  /** While firing: when the condition stopped holding (keep-firing window), ms. */
  inactiveSinceMs: number | null;
  /** When the current or last episode fired, ms. */
  startsAtMs: number | null;
  /** When the last episode resolved, ms. */
  endsAtMs: number | null;
  /** No new firing before this, ms. */
  cooldownUntilMs: number | null;
  /** Block the current episode fired on. */
  raisedBlock: bigint | null;
  raisedHash: string | null;
  updatedAtMs: number;
}

export interface AlertEventDraft {
  kind: AlertEventKind;
  fingerprint: string;
  rule: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number | null;
  threshold: number | null;
  startsAtMs: number;
  endsAtMs: number | null;
  block: BlockRef | null;
}

export interface RuleTiming {
  forMs: number;
  cooldownMs: number;
  /** A firing alert resolves once the condition has not held for this long (0: at once). */
  keepFiringForMs?: number;
}

/** A change of one alert's record, and the event receivers must hear about, if any. */
export interface Step {
  record: AlertRecord;
  event?: AlertEventDraft;
}

function eventOf(
  kind: AlertEventKind,
  r: AlertRecord,
  block: BlockRef | null,
  extra: Partial<AlertEventDraft> = {},
): AlertEventDraft {
  return {
    kind,
    fingerprint: r.fingerprint,
    rule: r.rule,
    labels: r.labels,
    annotations: r.annotations,
    value: r.value,
    threshold: r.threshold,
    startsAtMs: r.startsAtMs ?? r.updatedAtMs,
    endsAtMs: r.endsAtMs,
    block,
    ...extra,
  };
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * One evaluation of one fingerprint. `signal` is this evaluation's result for it, or null
 * when the instance was not produced (it no longer exists: treated as not holding). Returns
 * null when nothing changes (an inactive alert whose condition still does not hold).
 */
export function step(
  prev: AlertRecord | undefined,
  signal: Signal | null,
  timing: RuleTiming,
  nowMs: number,
  block: BlockRef,
): Step | null {
  const holds = signal?.active === true;
  if (!prev || prev.state === "inactive") {
    if (!holds) return null;
    const base: AlertRecord = {
      // An alert keeps its fingerprint for good (receivers know it by it): one raised before
      // alerts had an exchange keeps the fingerprint of its labels without `exchange`.
      fingerprint: prev?.fingerprint ?? signal.fingerprint,
      rule: signal.rule,
      labels: signal.labels,
      annotations: signal.annotations,
      state: "pending",
      value: finite(signal.value),
      threshold: finite(signal.threshold),
      activeSinceMs: nowMs,
      inactiveSinceMs: null,
      startsAtMs: prev?.startsAtMs ?? null,
      endsAtMs: prev?.endsAtMs ?? null,
      cooldownUntilMs: prev?.cooldownUntilMs ?? null,
      raisedBlock: null,
      raisedHash: null,
      updatedAtMs: nowMs,
    };
    return promote(base, timing, nowMs, block);
  }
  if (prev.state === "pending") {
    if (!holds) {
      return {
        record: { ...prev, state: "inactive", activeSinceMs: null, updatedAtMs: nowMs },
      };
    }
    const refreshed: AlertRecord = {
      ...prev,
      labels: signal.labels,
      annotations: signal.annotations,
      value: finite(signal.value),
      threshold: finite(signal.threshold),
      updatedAtMs: nowMs,
    };
    return promote(refreshed, timing, nowMs, block);
  }
  // firing
  if (holds) {
    return {
      record: {
        ...prev,
        inactiveSinceMs: null,
        annotations: signal.annotations,
        value: finite(signal.value),
        threshold: finite(signal.threshold),
        updatedAtMs: nowMs,
      },
    };
  }
  const keep = timing.keepFiringForMs ?? 0;
  const quietSince = prev.inactiveSinceMs ?? nowMs;
  if (keep > 0 && nowMs - quietSince < keep) {
    // Hysteresis: still firing until the condition has stayed away for keepFiringFor.
    return {
      record: {
        ...prev,
        inactiveSinceMs: quietSince,
        value: signal ? finite(signal.value) : prev.value,
        updatedAtMs: nowMs,
      },
    };
  }
  const resolved: AlertRecord = {
    ...prev,
    state: "inactive",
    value: signal ? finite(signal.value) : prev.value,
    activeSinceMs: null,
    inactiveSinceMs: null,
    endsAtMs: nowMs,
    cooldownUntilMs: nowMs + timing.cooldownMs,
    updatedAtMs: nowMs,
  };
  return { record: resolved, event: eventOf("resolved", resolved, block) };
}

/** Pending → firing once `for` has passed and no cool-down holds it back. */
function promote(r: AlertRecord, timing: RuleTiming, nowMs: number, block: BlockRef): Step {
  const heldFor = nowMs - (r.activeSinceMs ?? nowMs);
  const cooled = r.cooldownUntilMs === null || nowMs >= r.cooldownUntilMs;
  if (heldFor < timing.forMs || !cooled) return { record: r };
  const firing: AlertRecord = {
    ...r,
    state: "firing",
    startsAtMs: nowMs,
    endsAtMs: null,
    cooldownUntilMs: null,
    raisedBlock: block.number,
    raisedHash: block.hash,
  };
  return { record: firing, event: eventOf("firing", firing, block) };
}

/**
 * The block the alert was raised on is gone: a firing alert is retracted (receivers hear it
 * was never real), a pending one silently returns to inactive. No cool-down.
 */
export function retract(prev: AlertRecord, nowMs: number, reason: string): Step | null {
  if (prev.state === "inactive") return null;
  const record: AlertRecord = {
    ...prev,
    state: "inactive",
    activeSinceMs: null,
    inactiveSinceMs: null,
    endsAtMs: prev.state === "firing" ? nowMs : prev.endsAtMs,
    cooldownUntilMs: null,
    updatedAtMs: nowMs,
  };
  if (prev.state === "pending") return { record };
  const annotations = { ...prev.annotations, retracted: reason };
  return {
    record,
    event: eventOf("retracted", { ...record, annotations }, null, {
      block:
        prev.raisedBlock === null
          ? null
          : { number: prev.raisedBlock, hash: prev.raisedHash, timestamp: 0 },
    }),
  };
}
