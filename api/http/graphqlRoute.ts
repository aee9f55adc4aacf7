/**
 * The Hono route for `/graphql` inside Ponder's HTTP server.
 *
 * Why not just `yoga.fetch(c.req.raw)` for everything: Ponder serves Hono through
 * @hono/node-server, whose request object is a thin wrapper over Node's `IncomingMessage`; the
 * moment graphql-yoga reads its JSON body, the wrapper turns into a full WHATWG `Request` (an
 * AbortSignal, a web ReadableStream over the Node stream) — under 32 concurrent clients that
 * conversion was a fifth of the process's CPU. So a plain POST (what integrators send) is read
 * here from the Node stream, handed to yoga as a request of yoga's own light fetch
 * implementation, and answered with one string (see `setResponse`). It also gives the route what the response
 * cache needs (responseCache.ts): the raw body, and the snapshot the request is answered
 * from, taken here and handed to the request so both are the same block.
 *
 * A request with `Cache-Control: no-cache` is always computed (and its answer kept). One that
 * asks for analytics goes through the analytics intake first (admission/analyticsIntake.ts):
 * one per turn of the event loop, refused at once while the analytics queue is full.
 *
 * Everything else — GET (GraphiQL, GET queries) and any request asking for a stream
 * (`text/event-stream` subscriptions, `multipart/mixed`) — takes yoga's fetch path unchanged.
 * Same yoga instance, schema and plugins either way.
 *
 * Before either, requests yoga would fail on or answer without a body (another method, a
 * multipart body, a GET with malformed `variables`) are refused here, and yoga's bodiless
 * refusals get a GraphQL error body (httpRefusals.ts).
 */
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { asksForAnalytics, mayAskForAnalytics } from "../admission/asksForAnalytics.js";
import type { Caller } from "../auth/apiKeys.js";
import type { Snapshot } from "../data/snapshot.js";
import { GRAPHQL_PATH, type PerpwatchApi, type RouteContext } from "../server.js";
import { callerOf } from "./accessMiddleware.js";
import { BLOCK_HEADER, requestedBlock } from "./blockHeader.js";
import {
  getParamsRefusal,
  methodRefusal,
  multipartRefusal,
  needsErrorBody,
  type RequestShape,
  refusal,
  withErrorBody,
} from "./httpRefusals.js";
import { answerPlainQuery, isPlainJson, plainParams } from "./plainQuery.js";
import { type CachedResponse, cachedResponseOf, headersRecord } from "./responseCache.js";

/** What @hono/node-server puts in `c.env`. */
interface NodeBindings {
  incoming?: IncomingMessage;
}

/** Larger request bodies are refused (the token limit stops far smaller documents anyway). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Whether a request can be answered in one buffered body: a POST that wants no stream. */
export function isBufferedPost(method: string, accept: string | undefined): boolean {
  if (method !== "POST") return false;
  const a = accept?.toLowerCase() ?? "";
  return !a.includes("text/event-stream") && !a.includes("multipart/mixed");
}

/** A request as @hono/node-server passes it, with the body the front door read (frontDoor.ts). */
type Incoming = IncomingMessage & { rawBody?: Buffer };

/**
 * The request body's bytes, read up to just past `MAX_BODY_BYTES` (the stream is ended there, as
 * leaving a keep-alive connection's unread body makes its next request fail): as the front door
 * read it, or from the stream.
 */
export async function readBodyBytes(incoming: Incoming): Promise<Buffer> {
  if (incoming.rawBody) return incoming.rawBody;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) break;
  }
  return Buffer.concat(chunks);
}

/** The request body as text, or null past `MAX_BODY_BYTES`. */
async function readBody(incoming: Incoming): Promise<string | null> {
  const bytes = await readBodyBytes(incoming);
  return bytes.length > MAX_BODY_BYTES ? null : bytes.toString("utf8");
}

function headersOf(incoming: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(incoming.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

const TOO_LARGE: CachedResponse = refusal(
  413,
  `request body over ${MAX_BODY_BYTES} bytes; send a smaller GraphQL document`,
);

function shapeOf(c: Context): RequestShape {
  return {
    method: c.req.method,
    path: c.req.path,
    contentType: c.req.header("content-type"),
    accept: c.req.header("accept"),
  };
}

export function graphqlRoute(api: PerpwatchApi): (c: Context) => Response | Promise<Response> {
  return (c) => {
    const shape = shapeOf(c);
    const refused =
      methodRefusal(shape, GRAPHQL_PATH) ??
      multipartRefusal(shape) ??
      getParamsRefusal(shape.method, new URL(c.req.url));
    if (refused) return setResponse(c, refused, null);
    const block = requestedBlock(c.req.header(BLOCK_HEADER));
    if (block !== null && typeof block !== "bigint") return setResponse(c, block, null);
    const incoming = (c.env as NodeBindings | undefined)?.incoming;
    if (!incoming || !isBufferedPost(c.req.method, c.req.header("accept"))) {
      return fetchWithErrorBody(api, c, shape, block);
    }
    // `Cache-Control: no-cache`: the client wants the answer computed, not replayed.
    const fresh = /no-cache/i.test(c.req.header("cache-control") ?? "");
    return answerPost(api, incoming, fresh, callerOf(c), block).then(({ answer, cache }) =>
      setResponse(c, withErrorBody(answer, shape, GRAPHQL_PATH), cache),
    );
  };
}

/** Anything under the endpoint's path (`/graphql/x`): 404 with a GraphQL error body. */
export function graphqlNotFound(c: Context): Response {
  return setResponse(c, withErrorBody(NOT_FOUND, shapeOf(c), GRAPHQL_PATH), null);
}

const NOT_FOUND: CachedResponse = { status: 404, headers: {}, body: "" };

/** `yoga.fetch`, its bodiless refusals (406, 415, …) given a GraphQL error body. */
async function fetchWithErrorBody(
  api: PerpwatchApi,
  c: Context,
  shape: RequestShape,
  block: bigint | null,
): Promise<Response> {
  const perpwatch = {
    caller: callerOf(c),
    ...(block === null ? {} : { snapshots: snapshotsAt(api, block) }),
  };
  const res = await api.yoga.fetch(c.req.raw, { perpwatch });
  if (!needsErrorBody(res.status, res.headers.get("content-type"))) return res;
  await res.body?.cancel();
  const bare = {
    status: res.status,
    headers: headersRecord(res.headers, "content-length"),
    body: "",
  };
  return setResponse(c, withErrorBody(bare, shape, GRAPHQL_PATH), null);
}

/** Whether the answer came from the response cache (null: the cache was not asked). */
type CacheOutcome = "hit" | "miss" | null;

interface Answer {
  answer: CachedResponse;
  cache: CacheOutcome;
}

/** Each served exchange's snapshot for a request: the newest, or at `block` (blockHeader.ts). */
function snapshotsAt(api: PerpwatchApi, block: bigint | null): Map<string, Promise<Snapshot>> {
  const out = new Map<string, Promise<Snapshot>>();
  for (const [id, s] of api.exchanges) {
    const snap = block === null ? s.snapshots.current() : s.snapshots.at(block);
    snap.catch(() => {}); // reported to the request that reads it
    out.set(id, snap);
  }
  return out;
}

async function answerPost(
  api: PerpwatchApi,
  incoming: IncomingMessage,
  fresh: boolean,
  caller: Caller | undefined,
  block: bigint | null,
): Promise<Answer> {
  const body = await readBody(incoming);
  if (body === null) return { answer: TOO_LARGE, cache: null };
  // Every served exchange's current snapshot (or the one at the block asked for), pinned for
  // the request. The `catch` also keeps a failure from going unhandled when the request never
  // reads a snapshot; one that does gets it as its GraphQL error (NOT_READY, BLOCK_UNAVAILABLE).
  const snapshots = snapshotsAt(api, block);
  const snaps = await Promise.all([...snapshots.values()].map((p) => p.catch(() => null)));
  // An answer is replayed only while every exchange it may have read is at the same block,
  // and to callers of the same tier (a public caller must not be replayed a private answer).
  const generation =
    api.cache.enabled && snaps.every((s) => s !== null)
      ? `${caller?.reads === "public" ? "public|" : ""}${snaps.map((s) => s.at.checkpoint).join("|")}`
      : null;
  if (generation !== null && !fresh) {
    const hit = api.cache.get(generation, body);
    if (hit) return { answer: hit, cache: "hit" };
  }
  const intake = api.analytics.intake;
  if (intake && mayAskForAnalytics(body)) {
    await intake.turn();
    const refused = intake.refusal(() => asksForAnalytics(body));
    if (refused) return { answer: refused, cache: null };
  }
  const slot: NonNullable<RouteContext["perpwatch"]> = { snapshots, caller };
  const url = new URL(incoming.url ?? "/graphql", "http://perpwatch.local");
  const headers = headersOf(incoming);
  const answer =
    (await plainAnswer(api, slot, url, headers, body)) ??
    (await yogaAnswer(api, slot, url, headers, body));
  if (generation !== null && slot.request && !slot.request.uncacheable) {
    api.cache.put(generation, body, answer);
  }
  return { answer, cache: generation !== null ? "miss" : null };
}

/** The answer through yoga's envelop alone (plainQuery.ts), or null for yoga to answer. */
async function plainAnswer(
  api: PerpwatchApi,
  slot: NonNullable<RouteContext["perpwatch"]>,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<CachedResponse | null> {
  if (!api.plainQueries || url.search !== "") return null;
  if (!isPlainJson(headers["content-type"], headers.accept)) return null;
  const params = plainParams(body);
  if (!params) return null;
  const request = new api.yoga.fetchAPI.Request(url, { method: "POST", headers });
  return answerPlainQuery(api.yoga, { perpwatch: slot }, request, params);
}

/** The answer from `yoga.fetch`, HTTP layer and all. */
async function yogaAnswer(
  api: PerpwatchApi,
  slot: NonNullable<RouteContext["perpwatch"]>,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<CachedResponse> {
  const request = new api.yoga.fetchAPI.Request(url, { method: "POST", headers, body });
  return cachedResponseOf(await api.yoga.fetch(request, { perpwatch: slot }));
}

/**
 * Sets the answer as Hono's response so that @hono/node-server writes it in one go (status,
 * headers, one string). Why not just return it: Ponder's CORS middleware has already created
 * `c.res` to put its headers on, and Hono merges a returned response into an existing one by
 * re-creating it as a full WHATWG Response with a stream body, which the server then reads
 * chunk by chunk — 2–3× the CPU of the whole request for a cached answer. So the prepared
 * headers are taken over, the prepared response is dropped (Hono's setter only merges into a
 * response that exists), and ours is set; Hono then leaves it as it is (the context is
 * finalized).
 */
function setResponse(c: Context, r: CachedResponse, cache: CacheOutcome): Response {
  const prepared = headersRecord(c.res.headers);
  c.res = undefined as unknown as Response;
  const headers = { ...prepared, ...r.headers, ...(cache ? { "x-perpwatch-cache": cache } : {}) };
  c.res = new Response(r.body, { status: r.status, headers });
  return c.res;
}
