/**
 * Alerts as people look them up: episodes (one firing, until its resolve or retraction),
 * filtered by state, rule, market, exchange and a time window, newest first; plus the
 * alerts pending now (holding, not yet past their `for`). Read from the store's append-only
 * `alert_event` table, so past episodes of a fingerprint stay visible after it fires again.
 *
 * Why episodes and not events: "what fired between 14:00 and 15:00, and is it still firing"
 * is the question on-call asks (GraphQL `alerts`, `perpwatch alerts list`); an episode
 * overlaps the window when it started before the window's end and had not ended before its
 * start.
 */
import type { AlertStore } from "./alertStore.js";
import { big, json, num, numOrNull } from "./rowValues.js";
import type { Row } from "./sqlDb.js";

export type EpisodeState = "firing" | "resolved" | "retracted" | "pending";

export interface AlertEpisode {
  fingerprint: string;
  rule: string;
  state: EpisodeState;
  exchange: string;
  labels: Record<string, string>;
  /** The closing event's annotations when it has ended (they say why), else the firing's. */
  annotations: Record<string, string>;
  /** The value that fired it (pending: the latest evaluated). */
  value: number | null;
  threshold: number | null;
  /** When it fired (pending: since when the condition holds), ms. */
  startsAtMs: number;
  /** When it resolved or was retracted; null while firing or pending. */
  endsAtMs: number | null;
  /** The block it fired on (null while pending). */
  block: bigint | null;
}

export interface EpisodeFilter {
  state?: EpisodeState;
  rule?: string;
  market?: string;
  exchange?: string;
  fromMs?: number;
  toMs?: number;
  /** At most this many, newest first. */
  limit: number;
}

function toEpisode(r: Row): AlertEpisode {
  const end = r.end_kind as "resolved" | "retracted" | null;
  return {
    fingerprint: String(r.fingerprint),
    rule: String(r.rule),
    state: end ?? "firing",
    exchange: String(r.exchange ?? ""),
    labels: json(r.labels),
    annotations: json(end ? r.end_annotations : r.annotations),
    value: numOrNull(r.value),
    threshold: numOrNull(r.threshold),
    startsAtMs: num(r.starts_at_ms),
    endsAtMs: end ? numOrNull(r.end_ms) : null,
    block: big(r.block_number),
  };
}

/** Conditions shared by both queries: `$1` is the limit, the rest follow. */
function where(f: EpisodeFilter, alias: string, params: unknown[]): string[] {
  const c: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    c.push(sql.replace("?", `$${params.length}`));
  };
  if (f.rule !== undefined) add(`${alias}.rule = ?`, f.rule);
  if (f.exchange !== undefined) add(`${alias}.exchange = ?`, f.exchange);
  if (f.market !== undefined) add(`${alias}.labels->>'market' = ?`, f.market);
  return c;
}

async function endedOrFiring(store: AlertStore, f: EpisodeFilter): Promise<AlertEpisode[]> {
  const s = store.schema;
  const params: unknown[] = [f.limit];
  const c = ["f.kind = 'firing'", ...where(f, "f", params)];
  if (f.toMs !== undefined) {
    params.push(f.toMs);
    c.push(`f.starts_at_ms <= $${params.length}`);
  }
  if (f.fromMs !== undefined) {
    params.push(f.fromMs);
    c.push(`(e.kind IS NULL OR COALESCE(e.ends_at_ms, f.starts_at_ms) >= $${params.length})`);
  }
  if (f.state === "firing") c.push("e.kind IS NULL");
  else if (f.state) {
    params.push(f.state);
    c.push(`e.kind = $${params.length}`);
  }
  const rows = await store.db.query(
    `SELECT f.fingerprint, f.rule, f.exchange, f.labels, f.annotations, f.value, f.threshold,
       f.starts_at_ms, f.block_number, e.kind AS end_kind, e.ends_at_ms AS end_ms,
       e.annotations AS end_annotations
     FROM ${s}.alert_event f
     LEFT JOIN LATERAL (
       SELECT x.kind, x.ends_at_ms, x.annotations FROM ${s}.alert_event x
       WHERE x.fingerprint = f.fingerprint AND x.starts_at_ms = f.starts_at_ms
         AND x.kind IN ('resolved', 'retracted') AND x.id > f.id
       ORDER BY x.id LIMIT 1
     ) e ON true
     WHERE ${c.join(" AND ")}
     ORDER BY f.starts_at_ms DESC, f.id DESC LIMIT $1`,
    params,
  );
  return rows.map(toEpisode);
}

async function pending(store: AlertStore, f: EpisodeFilter): Promise<AlertEpisode[]> {
  const params: unknown[] = [f.limit];
  const c = ["a.state = 'pending'", ...where(f, "a", params)];
  const rows = await store.db.query(
    `SELECT a.fingerprint, a.rule, a.exchange, a.labels, a.annotations, a.value, a.threshold,
       a.active_since_ms AS starts_at_ms, NULL AS block_number, NULL AS end_kind
     FROM ${store.schema}.alert a WHERE ${c.join(" AND ")}
     ORDER BY a.active_since_ms DESC LIMIT $1`,
    params,
  );
  return rows.map((r) => ({ ...toEpisode(r), state: "pending" as const }));
}

/**
 * Episodes matching the filter, newest first. Without a state: firing, resolved and
 * retracted ones (pending alerts notify nobody; ask for `state: "pending"` to see them).
 */
export async function alertEpisodes(store: AlertStore, f: EpisodeFilter): Promise<AlertEpisode[]> {
  if (!(f.limit > 0)) return [];
  return f.state === "pending" ? pending(store, f) : endedOrFiring(store, f);
}
