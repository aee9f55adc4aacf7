/**
 * Silences, as Alertmanager has them: matchers, a time window, who and why. An alert event
 * whose labels match an active silence is recorded but notifies nobody ("silenced" in the
 * outbox and the history).
 *
 * Why in the alert store: the worker that evaluates honours them, `perpwatch alerts silence`
 * writes them, `/status` and GraphQL show them; one table for all of them.
 */
import { type Matcher, matchesAll } from "./matchers.js";

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
  createdAtMs: number;
}

export type SilenceState = "pending" | "active" | "expired";

export function silenceState(s: Pick<Silence, "startsAtMs" | "endsAtMs">, nowMs: number) {
  if (nowMs >= s.endsAtMs) return "expired" as SilenceState;
  return (nowMs < s.startsAtMs ? "pending" : "active") as SilenceState;
}

/** The first active silence matching these (routing) labels, or null. */
export function silencedBy(
  silences: readonly Silence[],
  labels: Record<string, string>,
  nowMs: number,
): Silence | null {
  return (
    silences.find((s) => silenceState(s, nowMs) === "active" && matchesAll(s.matchers, labels)) ??
    null
  );
}
