/**
 * A plain POSTed query run through yoga's own envelop (`yoga.getEnveloped`), without yoga's
 * HTTP layer: the same plugins, parse and validation caches, context, limits, error masking and
 * executor, and the same answer byte for byte (plainQuery.test.ts sends every kind of request
 * both ways), for what integrators send almost always: `{"query", "variables", "operationName"}`
 * as JSON, wanting JSON back.
 *
 * Why: under 32 clients a computed answer spent about 30% of the thread in yoga's HTTP layer
 * around the execution (a WHATWG Request built and parsed again, the accept and content-type
 * matching, the plugin hook chains in promise helpers, a Response built and read back as text).
 * The GraphQL work itself is a third of that.
 *
 * Anything else returns null before anything has run, and the route hands the request to
 * `yoga.fetch` as before: other content or accept types, extra parameters, a body that is not
 * one JSON object, a syntax or validation error, an operation that is not a query (yoga answers
 * those with its own codes and statuses). An answer with errors goes through yoga's own
 * `processRegularResult`, after the error codes (errorHandling.ts) are set.
 */
import type { DocumentNode, ExecutionResult } from "graphql";
import { processRegularResult, type YogaServerInstance } from "graphql-yoga";
import type { ApiContext } from "../context.js";
import type { RouteContext } from "../server.js";
import { classifyErrors } from "./errorHandling.js";
import { gql } from "./graphqlRealm.js";
import { type CachedResponse, cachedResponseOf } from "./responseCache.js";

/** What a plain request carries. */
export interface PlainParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

const PARAM_KEYS = new Set(["query", "variables", "operationName", "extensions"]);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The body's parameters, or null unless it is one JSON object of the known keys. */
export function plainParams(body: string): PlainParams | null {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isRecord(v)) return null;
  for (const k of Object.keys(v)) if (!PARAM_KEYS.has(k)) return null;
  if (typeof v.query !== "string" || v.query.trim() === "") return null;
  if (v.variables != null && !isRecord(v.variables)) return null;
  if (v.operationName != null && typeof v.operationName !== "string") return null;
  if (v.extensions != null && !isRecord(v.extensions)) return null;
  return v as unknown as PlainParams;
}

/** The media type part of a header, lowercased, without spaces or parameters. */
function mediaType(header: string): { type: string; utf8: boolean } {
  const [type = "", ...params] = header.replace(/\s/g, "").toLowerCase().split(";");
  const charset = params.find((p) => p.startsWith("charset="));
  return { type, utf8: charset === undefined || charset === "charset=utf-8" };
}

/**
 * Whether a request with these headers is one yoga would parse as JSON and answer as
 * `application/json`: content type `application/json`, and no accept header, an empty one,
 * `*\/*` or `application/json` (the cases where yoga's result processors pick that type).
 */
export function isPlainJson(contentType: string | undefined, accept: string | undefined): boolean {
  if (contentType === undefined) return false;
  const ct = mediaType(contentType);
  if (ct.type !== "application/json" || !ct.utf8) return false;
  if (accept === undefined || accept.trim() === "") return true;
  if (accept.includes(",")) return false;
  const a = mediaType(accept);
  return a.utf8 && (a.type === "*/*" || a.type === "application/json");
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/**
 * Runs one plain query the way yoga's `handleParams` does, from the same server context, or
 * returns null (nothing run) when yoga should answer it.
 */
export async function answerPlainQuery(
  yoga: YogaServerInstance<RouteContext, ApiContext>,
  serverContext: RouteContext,
  request: Request,
  params: PlainParams,
): Promise<CachedResponse | null> {
  const enveloped = yoga.getEnveloped({ ...serverContext, request, params });
  let document: DocumentNode;
  try {
    document = enveloped.parse(params.query);
    if (enveloped.validate(enveloped.schema, document).length > 0) return null;
  } catch {
    // A syntax error or a limit refusing the document: yoga answers it with its status.
    return null;
  }
  const operation = gql.getOperationAST(document, params.operationName);
  if (operation?.operation !== "query") return null;
  let result: ExecutionResult;
  try {
    const contextValue = await enveloped.contextFactory();
    result = (await enveloped.execute({
      schema: enveloped.schema,
      document,
      contextValue,
      variableValues: params.variables,
      operationName: params.operationName,
    })) as ExecutionResult;
  } catch {
    // Thrown, not returned as errors (a plugin failing): yoga runs it again and masks it.
    return null;
  }
  if (!result.errors && !(result.extensions as { http?: unknown } | undefined)?.http) {
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(result) };
  }
  classifyErrors(result);
  return cachedResponseOf(await processRegularResult(result, yoga.fetchAPI, "application/json"));
}
