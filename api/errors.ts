/**
 * The API's errors: one stable `extensions.code` per kind of failure, and the masking of
 * everything else.
 *
 * Why: integrators branch on `extensions.code`, never on message text, so every error the
 * API raises on purpose carries one of the codes below, and its message says in one line what
 * was wrong and what was expected. Anything else (a bug, a database failure) is masked into
 * `INTERNAL_SERVER_ERROR` with a generic message — the details go to the log, never a stack
 * trace to the client.
 */
import type { GraphQLError } from "graphql";
import { gql } from "./http/graphqlRealm.js";

export const ErrorCode = {
  /** An argument or variable has the wrong shape or is out of range. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** A market or account id that does not exist. */
  NOT_FOUND: "NOT_FOUND",
  /** A pagination cursor from a block the API no longer keeps. */
  CURSOR_EXPIRED: "CURSOR_EXPIRED",
  /**
   * A request asked for a block (the `X-Perpwatch-Block` header) the API cannot serve: not
   * indexed yet, or older than the blocks it can rebuild.
   */
  BLOCK_UNAVAILABLE: "BLOCK_UNAVAILABLE",
  /** Nesting deeper than the depth limit. */
  QUERY_TOO_DEEP: "QUERY_TOO_DEEP",
  /** Estimated cost above the cost limit. */
  QUERY_TOO_COSTLY: "QUERY_TOO_COSTLY",
  /** More aliases than the alias limit. */
  TOO_MANY_ALIASES: "TOO_MANY_ALIASES",
  /** A document with more tokens than the token limit. */
  TOO_MANY_TOKENS: "TOO_MANY_TOKENS",
  /**
   * The HTTP request itself is malformed or cannot be served as sent (not JSON, no query, wrong
   * method, content or accept type, a mutation): the HTTP status says which.
   */
  BAD_REQUEST: "BAD_REQUEST",
  /** The document is not valid GraphQL syntax. */
  GRAPHQL_PARSE_FAILED: "GRAPHQL_PARSE_FAILED",
  /** The document does not fit the schema (unknown field, missing argument, …). */
  GRAPHQL_VALIDATION_FAILED: "GRAPHQL_VALIDATION_FAILED",
  /** The indexer has not indexed anything yet. */
  NOT_READY: "NOT_READY",
  /**
   * The analytics queue is full, or the request's analytics did not start before its deadline:
   * HTTP 429 or 503 with `Retry-After`; the same request later will be answered.
   */
  OVERLOADED: "OVERLOADED",
  /** No API key where one is required, or one that is unknown or revoked: HTTP 401. */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** The caller's tier may not read what was asked (the public tier, Ponder's tables): 403. */
  FORBIDDEN: "FORBIDDEN",
  /**
   * The caller (its API key, or its address when anonymous) spent its requests or analytics
   * cost of the rate window: HTTP 429 with `Retry-After`.
   */
  RATE_LIMITED: "RATE_LIMITED",
  /**
   * `alerts` / `silences`: no alert worker is configured (PERPWATCH_ALERTS_URL), or it did not
   * answer; the rest of the API is unaffected.
   */
  ALERTS_UNAVAILABLE: "ALERTS_UNAVAILABLE",
  /** Anything unexpected; details are in the server log. */
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** A GraphQL error with a stable code (and no stack in the response). */
export function apiError(code: ErrorCode, message: string): GraphQLError {
  return new gql.GraphQLError(message, { extensions: { code } });
}

/** `BAD_USER_INPUT`: "`what`: expected …, got …". */
export function badInput(what: string, expected: string, got?: unknown): GraphQLError {
  const shown = got === undefined ? "" : ` (got ${show(got)})`;
  return apiError(ErrorCode.BAD_USER_INPUT, `${what}: expected ${expected}${shown}`);
}

/** `NOT_FOUND`: "no `kind` with id …". */
export function notFound(kind: string, id: string): GraphQLError {
  return apiError(ErrorCode.NOT_FOUND, `${kind} ${show(id)} does not exist`);
}

/** A user-supplied value, shortened so an error message stays one short line. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = typeof v === "string" ? JSON.stringify(v) : String(JSON.stringify(v) ?? v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
