/**
 * How errors leave the API: masked when unexpected, and every one with a stable code.
 *
 * - `maskError` (yoga's hook for thrown errors): a GraphQLError the API or graphql-js raised on
 *   purpose passes through; anything wrapping a plain `Error` (a bug, a database failure) is
 *   logged with its stack and replaced by `INTERNAL_SERVER_ERROR` with a generic message. The
 *   replacement is itself an original GraphQLError, so yoga answers 200 with `errors` rather
 *   than HTTP 500.
 * - `errorCodesPlugin` gives graphql-js's own errors a code: bad values (inline or in
 *   variables, wrong enum values) are `BAD_USER_INPUT`; other validation failures stay
 *   `GRAPHQL_VALIDATION_FAILED`, syntax errors `GRAPHQL_PARSE_FAILED`, a malformed HTTP request
 *   (not JSON, no query) `BAD_REQUEST`; anything left without a code is `INTERNAL_SERVER_ERROR`.
 */
import type { GraphQLError } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Logger } from "pino";
import { ERROR_CODES, ErrorCode } from "../errors.js";
import { gql } from "./graphqlRealm.js";

const INTERNAL_MESSAGE = "internal server error (the details are in the server log)";

export function makeMaskError(logger: Logger) {
  return (error: unknown): Error => {
    if (error instanceof gql.GraphQLError) {
      const orig = error.originalError;
      if (orig === undefined || orig === null || orig instanceof gql.GraphQLError) return error;
      logger.error({ err: orig, path: error.path?.join(".") }, "internal error in a resolver");
      return new gql.GraphQLError(INTERNAL_MESSAGE, {
        nodes: error.nodes,
        path: error.path,
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      });
    }
    logger.error({ err: error }, "internal error");
    return new gql.GraphQLError(INTERNAL_MESSAGE, {
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    });
  };
}

const BAD_VALUE = [
  /^Variable "\$[^"]+" got invalid value/,
  /^Variable "\$[^"]+" of non-null type .* must not be null/,
  /^Variable "\$[^"]+" of required type .* was not provided/,
  /^Expected value of type /,
  /^Value ".*" does not exist in ".*" enum/,
  /^Enum ".*" cannot represent non-enum value/,
  /^(Int|Float|String|Boolean|ID) cannot represent/,
];

/** The code an error should carry (its own when it has a known one). */
export function errorCode(e: {
  message: string;
  extensions?: Readonly<Record<string, unknown>>;
}): string {
  const code = e.extensions?.code;
  const isBadValue = BAD_VALUE.some((re) => re.test(e.message));
  if (isBadValue && (code === undefined || code === ErrorCode.GRAPHQL_VALIDATION_FAILED)) {
    return ErrorCode.BAD_USER_INPUT;
  }
  if (typeof code === "string" && ERROR_CODES.has(code)) return code;
  const status = (e.extensions?.http as { status?: number } | undefined)?.status;
  if (status !== undefined && status >= 400 && status < 500) return ErrorCode.BAD_REQUEST;
  return ErrorCode.INTERNAL_SERVER_ERROR;
}

/**
 * An error's HTTP status that yoga must not turn into 200 for `application/json` clients (it
 * marks parse and validation errors `spec`, and does so again after our rules have run): the
 * request itself was refused (too large, a mutation), not its GraphQL.
 */
export function refusedWithStatus(status: number): { status: number; spec: false; keep: true } {
  return { status, spec: false, keep: true };
}

/**
 * Gives every error of a result (or a batch of results) its stable code, in place; drops the
 * `originalError` yoga attaches to some of its own (a parser's message, never for clients) and
 * restores the status of errors made with `refusedWithStatus` and of malformed requests.
 */
export function classifyErrors(result: unknown): void {
  const list = Array.isArray(result) ? result : [result];
  for (const r of list) {
    const errors = (r as { errors?: readonly GraphQLError[] } | null)?.errors;
    if (!errors) continue;
    for (const e of errors) {
      const ext = e.extensions as Record<string, unknown>;
      const code = errorCode(e);
      if (ext.code !== code) ext.code = code;
      if ("originalError" in ext) delete ext.originalError;
      // A malformed HTTP request (BAD_REQUEST, e.g. a body that is not JSON) keeps its 4xx even
      // for application/json clients; GraphQL's own parse and validation errors stay 200 there.
      const http = ext.http as { spec?: boolean; keep?: boolean } | undefined;
      if (http && (http.keep || code === ErrorCode.BAD_REQUEST)) http.spec = false;
    }
  }
}

export function errorCodesPlugin(): Plugin {
  return {
    onResultProcess({ result }) {
      if (result && typeof result === "object" && Symbol.asyncIterator in result) return;
      classifyErrors(result);
    },
    onExecutionResult({ result }) {
      if (result && typeof result === "object" && Symbol.asyncIterator in result) return;
      classifyErrors(result);
    },
  };
}
