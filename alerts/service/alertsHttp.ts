/**
 * The alert store over HTTP, read-only: `GET /alerts` (episodes, filtered) and `GET
 * /silences`, served by the worker next to `/status`.
 *
 * Why over HTTP: the worker is the one process that owns the store (a PGlite directory
 * admits one process), and the API (GraphQL `alerts`, `silences`) runs in another. Asking
 * the worker works the same for a PGlite and a PostgreSQL store. Bad parameters are a 400
 * whose `error` is one line naming the parameter and what it expects.
 */
import { z } from "zod";
import { formatMatcher } from "../routing/matchers.js";
import { silenceState } from "../routing/silence.js";
import { type AlertEpisode, alertEpisodes } from "../store/alertEpisodes.js";
import type { AlertStore } from "../store/alertStore.js";
import { listSilences } from "../store/silenceStore.js";

/** An episode as JSON: times in ms since the epoch, the block as decimal text. */
export interface AlertJson extends Omit<AlertEpisode, "block"> {
  block: string | null;
}

export interface SilenceJson {
  id: string;
  matchers: string[];
  state: "active" | "pending" | "expired";
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export const MAX_ALERTS = 1000;

const ms = z.coerce.number().int().min(0);
const alertsParams = z
  .object({
    state: z.enum(["firing", "resolved", "retracted", "pending"]).optional(),
    rule: z.string().min(1).optional(),
    market: z.string().min(1).optional(),
    exchange: z.string().min(1).optional(),
    from: ms.optional(),
    to: ms.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_ALERTS).default(100),
  })
  .strict();

function oneLine(err: z.ZodError): string {
  const i = err.issues[0]!;
  const where = i.path.length > 0 ? i.path.join(".") : "query";
  return i.code === "unrecognized_keys"
    ? `unknown parameter(s) ${i.keys.join(", ")}; expected state, rule, market, exchange, from, to, limit`
    : `${where}: ${i.message}`;
}

async function alertsAnswer(store: AlertStore, query: URLSearchParams): Promise<HttpAnswer> {
  const parsed = alertsParams.safeParse(Object.fromEntries(query));
  if (!parsed.success) return { status: 400, body: { error: oneLine(parsed.error) } };
  const p = parsed.data;
  const episodes = await alertEpisodes(store, { ...p, fromMs: p.from, toMs: p.to });
  const alerts: AlertJson[] = episodes.map((e) => ({
    ...e,
    block: e.block === null ? null : e.block.toString(),
  }));
  return { status: 200, body: { alerts } };
}

async function silencesAnswer(store: AlertStore, query: URLSearchParams): Promise<HttpAnswer> {
  const all = query.get("all");
  if (all !== null && all !== "0" && all !== "1") {
    return { status: 400, body: { error: `all: expected 0 or 1 (got ${JSON.stringify(all)})` } };
  }
  const now = Date.now();
  const list = await listSilences(store, now, { includeExpired: all === "1" });
  const silences: SilenceJson[] = list.map((s) => ({
    id: s.id,
    matchers: s.matchers.map(formatMatcher),
    state: silenceState(s, now),
    startsAtMs: s.startsAtMs,
    endsAtMs: s.endsAtMs,
    createdBy: s.createdBy,
    comment: s.comment,
  }));
  return { status: 200, body: { silences } };
}

/**
 * The answer to `path` + `query`, or null when the path is not one of these routes. A store
 * not open yet (the service is starting) is a 503 that says so.
 */
export async function alertsHttpAnswer(
  store: AlertStore | null,
  path: string,
  query: URLSearchParams,
): Promise<HttpAnswer | null> {
  if (path !== "/alerts" && path !== "/silences") return null;
  if (!store) return { status: 503, body: { error: "the alert store is not open yet" } };
  return path === "/alerts" ? alertsAnswer(store, query) : silencesAnswer(store, query);
}
