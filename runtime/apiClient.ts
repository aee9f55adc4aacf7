/**
 * GraphQL over HTTP for every process that reads the indexer from outside it (the worker's
 * alerts and exporter, `perpwatch start`'s status block, `perpwatch risk`): none of them opens
 * Ponder's database (with PGlite only the Ponder process can), they ask the API — Perpwatch's
 * `/graphql` or Ponder's generated `/ponder/graphql` — like any integrator would.
 *
 * Why a client of our own rather than a library: it is one `fetch` with a timeout, and what
 * matters is how failures read: a dead API, an HTTP error and a GraphQL error each become one
 * `ApiError` line that names the endpoint and what went wrong, so callers can retry or report.
 */

import { BLOCK_HEADER } from "../api/http/blockHeader.js";

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    message: string,
    /** "unreachable" (connection/timeout), "http" (non-2xx), "graphql" (errors in the body). */
    readonly kind: "unreachable" | "http" | "graphql",
    /** GraphQL `extensions.code` of the first error, when the server sent one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** Full endpoint URL, e.g. `http://127.0.0.1:42069/graphql`. */
  url: string;
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /**
   * API key sent as `Authorization: Bearer …` (api/auth/); default `PERPWATCH_API_KEY` from the
   * environment, none when unset (the devnet needs none).
   */
  apiKey?: string;
}

/** Per query: answered at `block` (the API's `X-Perpwatch-Block`) instead of the newest. */
export interface QueryOptions {
  block?: bigint;
}

export interface ApiClient {
  readonly url: string;
  query<T>(query: string, variables?: Record<string, unknown>, opts?: QueryOptions): Promise<T>;
}

interface GraphqlBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** `Authorization: Bearer …` for the key (default PERPWATCH_API_KEY), or nothing without one. */
export function authorizationHeader(
  apiKey: string | undefined = process.env.PERPWATCH_API_KEY?.trim(),
): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

export function createApiClient(opts: ApiClientOptions): ApiClient {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    ...authorizationHeader(opts.apiKey),
  };
  return {
    url: opts.url,
    async query<T>(
      query: string,
      variables: Record<string, unknown> = {},
      at: QueryOptions = {},
    ): Promise<T> {
      let res: Response;
      try {
        res = await fetch(opts.url, {
          method: "POST",
          headers: at.block === undefined ? headers : { ...headers, [BLOCK_HEADER]: `${at.block}` },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const why =
          err instanceof Error && err.name === "TimeoutError"
            ? `no answer in ${timeoutMs} ms`
            : "connection failed";
        throw new ApiError(`API ${opts.url} unreachable: ${why}`, "unreachable");
      }
      let body: GraphqlBody<T>;
      try {
        body = (await res.json()) as GraphqlBody<T>;
      } catch {
        throw new ApiError(
          `API ${opts.url} answered HTTP ${res.status} with a non-JSON body`,
          "http",
        );
      }
      const first = body.errors?.[0];
      if (first) {
        throw new ApiError(`API ${opts.url}: ${first.message}`, "graphql", first.extensions?.code);
      }
      if (!res.ok || body.data == null) {
        throw new ApiError(`API ${opts.url} answered HTTP ${res.status} without data`, "http");
      }
      return body.data;
    },
  };
}
