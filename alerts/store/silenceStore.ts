/**
 * Silences in the alert store (table `silence`, store schema version 3): add, list, expire.
 * The evaluator reads the active ones at every evaluation, so a silence added by
 * `perpwatch alerts silence` (another process, on a PostgreSQL store) is honoured from the
 * next block on.
 */
import { randomUUID } from "node:crypto";
import type { Matcher } from "../routing/matchers.js";
import { type Silence, silenceState } from "../routing/silence.js";
import type { AlertStore } from "./alertStore.js";
import { num } from "./rowValues.js";
import type { Row } from "./sqlDb.js";

function toSilence(r: Row): Silence {
  const m = r.matchers;
  return {
    id: String(r.id),
    matchers: (typeof m === "string" ? JSON.parse(m) : m) as Matcher[],
    startsAtMs: num(r.starts_at_ms),
    endsAtMs: num(r.ends_at_ms),
    createdBy: String(r.created_by),
    comment: String(r.comment),
    createdAtMs: num(r.created_at_ms),
  };
}

export interface NewSilence {
  matchers: Matcher[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

export async function addSilence(store: AlertStore, s: NewSilence, nowMs: number) {
  if (s.matchers.length === 0) throw new Error("a silence needs at least one matcher");
  if (!(s.endsAtMs > s.startsAtMs)) throw new Error("a silence must end after it starts");
  const silence: Silence = { ...s, id: randomUUID(), createdAtMs: nowMs };
  await store.db.query(
    `INSERT INTO ${store.schema}.silence (id, matchers, starts_at_ms, ends_at_ms, created_by,
       comment, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      silence.id,
      JSON.stringify(s.matchers),
      s.startsAtMs,
      s.endsAtMs,
      s.createdBy,
      s.comment,
      nowMs,
    ],
  );
  return silence;
}

/** Silences not yet expired (or all of them), newest first. */
export async function listSilences(
  store: AlertStore,
  nowMs: number,
  opts: { includeExpired?: boolean } = {},
): Promise<Silence[]> {
  const rows = await store.db.query(
    `SELECT * FROM ${store.schema}.silence ${opts.includeExpired ? "" : "WHERE ends_at_ms > $1"}
     ORDER BY created_at_ms DESC, id`,
    opts.includeExpired ? [] : [nowMs],
  );
  return rows.map(toSilence);
}

/** Ends a silence now; false when there is no such silence or it had already ended. */
export async function expireSilence(store: AlertStore, id: string, nowMs: number) {
  const rows = await store.db.query(
    `UPDATE ${store.schema}.silence SET ends_at_ms = $2
     WHERE id = $1 AND ends_at_ms > $2 RETURNING *`,
    [id, nowMs],
  );
  return rows.length > 0;
}

export { silenceState };
