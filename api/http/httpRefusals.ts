/**
 * Requests refused at the HTTP level, answered like every other error: a GraphQL error body
 * whose `extensions.code` is `BAD_REQUEST`, one line saying what was wrong and what to send, and
 * the status that says why (404, 405, 406, 415, 400).
 *
 * Why here and not in yoga: yoga answers 404/405/406/415 with an empty body, parses a GET's
 * `variables` with a bare `JSON.parse` (a malformed one became an internal error), and fails on
 * a multipart body whose `operations` is not JSON the same way. The route checks what yoga
 * would choke on before handing the request over, and gives a body to the bodiless refusals
 * yoga still makes.
 */
import { ErrorCode } from "../errors.js";
import type { CachedResponse } from "./responseCache.js";

const JSON_TYPE = "application/json; charset=utf-8";

/**
 * A refusal with `status`, a GraphQL error body and any extra headers (`Allow`, `Accept`,
 * `Retry-After`) and extensions beside the code (`retryAfter`).
 */
export function refusal(
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code: string = ErrorCode.BAD_REQUEST,
  extensions: Record<string, unknown> = {},
): CachedResponse {
  return {
    status,
    headers: { ...headers, "content-type": JSON_TYPE },
    body: JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }),
  };
}

/** What a request carried, for the one-line messages. */
export interface RequestShape {
  method: string;
  path: string;
  contentType: string | undefined;
  accept: string | undefined;
}

/** The message of a bodiless refusal yoga makes, by status. */
function messageFor(status: number, r: RequestShape, endpoint: string): string {
  switch (status) {
    case 404:
      return `nothing at ${r.path}: the GraphQL endpoint is ${endpoint}`;
    case 405:
      return `method ${r.method} is not allowed: send GET or POST`;
    case 406:
      return `nothing acceptable for Accept "${r.accept ?? ""}": accept application/json or application/graphql-response+json (text/event-stream for subscriptions)`;
    case 415:
      return `content type "${r.contentType ?? ""}" is not supported: POST application/json, or GET with ?query=`;
    default:
      return `request refused with HTTP ${status}`;
  }
}

/** Whether an answer is an error without a GraphQL error body (yoga's bare 4xx). */
export function needsErrorBody(status: number, contentType: string | null | undefined): boolean {
  return status >= 400 && !/json/i.test(contentType ?? "");
}

/** A bare 4xx/5xx answer given its GraphQL error body (headers such as `Allow` kept). */
export function withErrorBody(
  r: CachedResponse,
  request: RequestShape,
  endpoint: string,
): CachedResponse {
  const rest: Record<string, string> = {};
  let contentType: string | undefined;
  for (const [k, v] of Object.entries(r.headers)) {
    if (k.toLowerCase() === "content-type") contentType = v;
    else rest[k] = v;
  }
  if (!needsErrorBody(r.status, contentType)) return r;
  return refusal(r.status, messageFor(r.status, request, endpoint), rest);
}

/** 405 for any method but GET and POST (OPTIONS is CORS's, answered before the route). */
export function methodRefusal(r: RequestShape, endpoint: string): CachedResponse | null {
  if (r.method === "GET" || r.method === "POST" || r.method === "OPTIONS") return null;
  return refusal(405, messageFor(405, r, endpoint), { allow: "GET, POST" });
}

/**
 * 415 for a multipart POST: the schema takes no file uploads, so there is no multipart request
 * the API could serve (yoga would parse it and fail on a malformed `operations` field).
 */
export function multipartRefusal(r: RequestShape): CachedResponse | null {
  if (r.method !== "POST" || !/^\s*multipart\/form-data/i.test(r.contentType ?? "")) return null;
  return refusal(
    415,
    "multipart requests (file uploads) are not supported: POST the query as application/json",
  );
}

/**
 * 400 for a GET whose `variables` or `extensions` parameter is not a JSON object (yoga would
 * throw on it inside its request parser).
 */
export function getParamsRefusal(method: string, url: URL): CachedResponse | null {
  if (method !== "GET") return null;
  for (const name of ["variables", "extensions"]) {
    const raw = url.searchParams.get(name);
    if (raw === null) continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      v = undefined;
    }
    if (v === null || (typeof v === "object" && !Array.isArray(v))) continue;
    const shown = raw.length > 40 ? `${raw.slice(0, 37)}…` : raw;
    return refusal(
      400,
      `query parameter ${name}: expected a JSON object such as {"id":"1"} (got ${JSON.stringify(shown)})`,
    );
  }
  return null;
}
