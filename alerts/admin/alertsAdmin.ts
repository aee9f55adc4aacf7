/**
 * What an operator does to the alert store by hand, as plain functions returning the lines
 * to print: list alerts (firing now, recent history), add / list / expire silences, list and
 * replay dead letters. `perpwatch alerts …` (cli/alertsStoreCommands.ts) opens the store and
 * prints; tests call these on a real store.
 *
 * With a PGlite store only one process may open its directory: run these while the worker is
 * stopped, or keep the alert store in PostgreSQL (where the worker picks a new silence up at
 * its next evaluation).
 */
import { formatMatcher, parseMatcher } from "../routing/matchers.js";
import type { Silence } from "../routing/silence.js";
import type { AlertStore, OutboxRow } from "../store/alertStore.js";
import { addSilence, expireSilence, listSilences } from "../store/silenceStore.js";

const iso = (ms: number | null) => (ms === null ? "-" : new Date(ms).toISOString());

function scopeOf(labels: Record<string, string>): string {
  const where = labels.market ?? (labels.account ? `account ${labels.account}` : "global");
  return labels.exchange ? `${labels.exchange} ${where}` : where;
}

/** Alerts firing now, then the events since `sinceMs` (newest last). */
export async function alertLines(store: AlertStore, sinceMs: number): Promise<string[]> {
  const firing = (await store.loadAlerts()).filter((a) => a.state === "firing");
  const lines = [`firing now: ${firing.length}`];
  for (const a of firing) {
    lines.push(
      `  ${a.labels.severity ?? "-"} ${a.rule} ${scopeOf(a.labels)} since ${iso(a.startsAtMs)} (${a.fingerprint})`,
    );
  }
  const events = await store.eventsSince(sinceMs);
  lines.push(`events since ${iso(sinceMs)}: ${events.length}`);
  for (const e of events) {
    lines.push(
      `  ${iso(e.createdAtMs)} ${e.kind.toUpperCase()} ${e.labels.severity ?? "-"} ${e.rule} ${scopeOf(e.labels)}: ${e.annotations.retracted ?? e.annotations.summary ?? ""}`,
    );
  }
  return lines;
}

export interface SilenceRequest {
  matchers: string[];
  durationMs: number;
  comment: string;
  author: string;
  startsAtMs?: number;
}

export function silenceLine(s: Silence, nowMs: number): string {
  const state = nowMs >= s.endsAtMs ? "expired" : nowMs < s.startsAtMs ? "pending" : "active";
  return `${s.id} ${state} ${s.matchers.map(formatMatcher).join(",")} until ${iso(s.endsAtMs)} by ${s.createdBy}: ${s.comment}`;
}

/** Adds a silence; a bad matcher or duration is an Error with one line saying what. */
export async function silenceAdd(store: AlertStore, req: SilenceRequest, nowMs: number) {
  if (req.matchers.length === 0) {
    throw new Error('silence: expected at least one --matcher like severity="critical"');
  }
  const matchers = req.matchers.map((m) => {
    try {
      return parseMatcher(m);
    } catch (err) {
      throw new Error(`silence: --matcher: ${(err as Error).message}`);
    }
  });
  if (!(req.durationMs > 0)) throw new Error("silence: --duration: expected more than 0 s");
  if (req.author.trim() === "") throw new Error("silence: --author: expected who silences");
  if (req.comment.trim() === "") throw new Error("silence: --comment: expected why");
  const startsAtMs = req.startsAtMs ?? nowMs;
  return addSilence(
    store,
    {
      matchers,
      startsAtMs,
      endsAtMs: startsAtMs + req.durationMs,
      createdBy: req.author,
      comment: req.comment,
    },
    nowMs,
  );
}

export async function silenceLines(store: AlertStore, nowMs: number, all = false) {
  const list = await listSilences(store, nowMs, { includeExpired: all });
  return list.length === 0 ? ["no silences"] : list.map((s) => silenceLine(s, nowMs));
}

export async function silenceExpire(store: AlertStore, id: string, nowMs: number) {
  if (!(await expireSilence(store, id, nowMs))) {
    throw new Error(`silence ${id}: no such silence in force (see perpwatch alerts silence list)`);
  }
  return [`silence ${id} expired`];
}

const deadLine = (o: OutboxRow) =>
  `${o.id} ${o.eventKind} to ${o.receiver} (${o.fingerprint}) after ${o.attempts} attempt(s): ${o.lastError ?? ""}`;

export async function deadLetterLines(store: AlertStore): Promise<string[]> {
  const dead = await store.outbox("dead");
  return dead.length === 0 ? ["no dead letters"] : dead.map(deadLine);
}

/** Puts dead letters (all, or these ids) back in the outbox; the worker sends them again. */
export async function replayDeadLetters(store: AlertStore, nowMs: number, ids?: number[]) {
  const replayed = await store.replayDead(nowMs, ids);
  if (ids && replayed.length < ids.length) {
    const missing = ids.filter((i) => !replayed.includes(i));
    throw new Error(`dead letters ${missing.join(", ")}: not dead letters (see dead-letters list)`);
  }
  return [`${replayed.length} dead letter(s) back in the outbox: ${replayed.join(", ") || "none"}`];
}
