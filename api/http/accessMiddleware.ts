/**
 * Who is asking, at the HTTP level, before the GraphQL route (or Ponder's raw tables) runs:
 * the CORS allow-list, the API key from `Authorization: Bearer …` (or the anonymous tier), the
 * request budget of the caller's rate window; the caller found is left on Hono's context for
 * the route to hand to yoga (`callerOf`).
 *
 * Why these pieces: Hono's `bearerAuth` parses the header and answers the malformed, missing
 * and unknown cases with `WWW-Authenticate` (its messages are given GraphQL error bodies with
 * `UNAUTHENTICATED` here). CORS: Ponder's server has already put `Access-Control-Allow-Origin:
 * *` on every response (its own CORS middleware runs first and answers preflights itself), so
 * that header is replaced here by the allow-list's answer: a page from an origin off the list
 * may send a request but its browser will not let it read the answer. Not Hono's `cors` for
 * this: it appends `Vary` after the route has answered, which re-wraps a subscription's stream
 * in a new Response, and a client closing that stream then crashed Ponder's process (undici:
 * "ReadableStream is already closed"); the headers are all known before the route runs. A GET asking for HTML without a query is GraphiQL's page, served to anyone: it holds
 * no data, and its requests carry the key the user types into its headers pane.
 */
import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler, Next } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import type { ApiAccess } from "../auth/apiAccess.js";
import { ANONYMOUS, type Caller, type KeyLookup } from "../auth/apiKeys.js";
import { ErrorCode } from "../errors.js";
import { refusal } from "./httpRefusals.js";

const CALLER = "perpwatchCaller";
const LOOKUP = "perpwatchKeyLookup";

type Vars = { get(key: string): unknown; set(key: string, value: unknown): void };
const vars = (c: Context) => c as unknown as Vars;

/** The caller the middleware found for this request (undefined where it does not run). */
export function callerOf(c: Context): Caller | undefined {
  return vars(c).get(CALLER) as Caller | undefined;
}

/** What a route needs of its callers: GraphQL (any tier), Ponder's raw tables, or metrics. */
export type Needs = "graphql" | "tables" | "metrics";

const errorBody = (message: string, code: ErrorCode = ErrorCode.UNAUTHENTICATED) => ({
  errors: [{ message, extensions: { code } }],
});

function clientAddress(c: Context): string {
  return (
    (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ??
    "unknown"
  );
}

function isGraphiqlPage(c: Context): boolean {
  return (
    c.req.method === "GET" &&
    /text\/html/i.test(c.req.header("accept") ?? "") &&
    new URL(c.req.url).searchParams.get("query") === null
  );
}

function answer(
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
) {
  const r = refusal(status, message, headers, code);
  return new Response(r.body, { status: r.status, headers: r.headers });
}

/** Ponder's `*` would let any page read the answer: the allow-list decides instead. */
/**
 * The CORS headers of an answer to a request from `origin` (besides `Vary: Origin`): the origin
 * allowed and the headers it may read, or none for an origin off the allow-list.
 */
export function corsHeaders(
  access: Pick<ApiAccess, "corsAllows">,
  origin: string | undefined,
): Record<string, string> {
  if (!origin || !access.corsAllows(origin)) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "Retry-After, x-perpwatch-cache",
  };
}

function setCorsHeaders(c: Context, access: ApiAccess): void {
  const headers = c.res.headers;
  headers.delete("access-control-allow-origin");
  for (const [k, v] of Object.entries(corsHeaders(access, c.req.header("origin")))) {
    headers.set(k, v);
  }
  headers.append("vary", "Origin");
}

/** The 403 for a caller without what `needs` asks for (tables, metrics), or null. */
function forbidden(caller: Caller, needs: Needs, path: string): Response | null {
  if (needs === "graphql" || caller[needs]) return null;
  const who = caller.name === ANONYMOUS ? "callers without a key" : `API key "${caller.name}"`;
  const what = needs === "tables" ? "Ponder's raw tables are" : "metrics are";
  return answer(
    403,
    `${path}: ${what} not open to ${who}: use a key with ${needs}: true`,
    ErrorCode.FORBIDDEN,
  );
}

export function accessMiddleware(access: ApiAccess, needs: Needs): MiddlewareHandler {
  const log = access.logger;
  const bearer = bearerAuth({
    realm: "perpwatch",
    verifyToken: (token, c) => {
      const found = access.keys.lookup(token);
      vars(c).set(LOOKUP, found);
      return found.kind === "key";
    },
    noAuthenticationHeaderMessage: () =>
      errorBody("an API key is required: send it as `Authorization: Bearer <key>`"),
    invalidAuthenticationHeaderMessage: () =>
      errorBody(
        "Authorization header: expected `Bearer <key>` (one key of letters, digits and -._~+/)",
        ErrorCode.BAD_REQUEST,
      ),
    invalidTokenMessage: (c) => {
      const found = vars(c).get(LOOKUP) as KeyLookup | undefined;
      if (found?.kind === "revoked") {
        log.warn({ key: found.name }, "revoked api key refused");
        return errorBody(`API key "${found.name}" is revoked: ask for a new key`);
      }
      log.warn({ address: clientAddress(c) }, "unknown api key refused");
      return errorBody("API key not recognised: check it, or ask for a new key");
    },
  });

  const identify = async (c: Context): Promise<Caller | Response> => {
    if (c.req.header("authorization") === undefined) {
      const anonymous = access.keys.anonymous(clientAddress(c));
      if (anonymous) return anonymous;
    }
    try {
      await bearer(c, async () => {});
    } catch (err) {
      if (!(err instanceof HTTPException)) throw err;
      const found = vars(c).get(LOOKUP) as KeyLookup | undefined;
      const name = found?.kind === "revoked" ? found.name : found ? "unknown" : ANONYMOUS;
      access.usage.count(name, "unauthenticated");
      return err.getResponse();
    }
    return (vars(c).get(LOOKUP) as Extract<KeyLookup, { kind: "key" }>).caller;
  };

  const guard = async (c: Context, next: Next): Promise<Response | undefined> => {
    if (needs === "graphql" && isGraphiqlPage(c)) {
      await next();
      return undefined;
    }
    const caller = await identify(c);
    if (caller instanceof Response) return caller;
    const denied = forbidden(caller, needs, c.req.path);
    if (denied) {
      access.usage.count(caller.name, "forbidden");
      log.warn({ key: caller.name, path: c.req.path }, `${needs} refused`);
      return denied;
    }
    const limited = access.windows.request(caller.bucket, caller.limits);
    if (limited) {
      access.usage.count(caller.name, "rate_limited");
      log.warn({ key: caller.name }, "api key over its request budget");
      return answer(429, limited.message, ErrorCode.RATE_LIMITED, {
        "retry-after": String(limited.retryAfterS),
      });
    }
    access.usage.count(caller.name, "admitted");
    vars(c).set(CALLER, caller);
    await next();
    return undefined;
  };

  return async (c, next) => {
    setCorsHeaders(c, access);
    return guard(c, next);
  };
}
