/**
 * Token limit: a document is read token by token with graphql-js's own lexer — flat, no
 * recursion — before the parser sees it, and refused when it has more tokens than the limit or
 * nests brackets deeper than the nesting limit.
 *
 * Why a pass of its own instead of graphql-js's `maxTokens` option: the parser is recursive,
 * so `[[[[…]]]]` two thousand levels deep (8 KB, under the token limit until the recursion has
 * already overflowed the stack) failed as an internal error before `maxTokens` was reached.
 * Lexing is linear and keeps nothing; the parser then runs only on documents both limits
 * accept. graphql-js's `maxTokens` stays on as the second fence.
 */
import type { DocumentNode, Source } from "graphql";
import { ErrorCode } from "../errors.js";
import { refusedWithStatus } from "../http/errorHandling.js";
import { gql } from "../http/graphqlRealm.js";

/**
 * Deepest nesting of `{`, `[` and `(` the lexer pass accepts. Far above any real query (the
 * depth limit refuses selections past 10 and introspection's deepest is 14) and far below what
 * overflows the recursive parser (about 1,000 levels).
 */
export const MAX_NESTING = 64;

/**
 * HTTP 400 even when the client accepts `application/json` (where yoga answers parse errors
 * with 200, `spec`): the request is refused for its size, not its GraphQL.
 */
const TOO_LARGE = refusedWithStatus(400);

const OPEN = new Set(["{", "[", "("]);
const CLOSE = new Set(["}", "]", ")"]);

/** Throws TOO_MANY_TOKENS or QUERY_TOO_DEEP past a limit; syntax errors are left to the parser. */
export function checkTokens(source: string | Source, maxTokens: number): void {
  const lexer = new gql.Lexer(typeof source === "string" ? new gql.Source(source) : source);
  let tokens = 0;
  let depth = 0;
  for (;;) {
    let kind: string;
    try {
      kind = lexer.advance().kind;
    } catch {
      return; // a lexical error: the parser reports it with its position
    }
    if (kind === gql.TokenKind.EOF) return;
    if (++tokens > maxTokens) {
      throw new gql.GraphQLError(`query has more than ${maxTokens} tokens, the limit`, {
        extensions: { code: ErrorCode.TOO_MANY_TOKENS, http: TOO_LARGE },
      });
    }
    if (OPEN.has(kind) && ++depth > MAX_NESTING) {
      throw new gql.GraphQLError(
        `query nests brackets more than ${MAX_NESTING} levels deep; the limit is ${MAX_NESTING}`,
        { extensions: { code: ErrorCode.QUERY_TOO_DEEP, http: TOO_LARGE } },
      );
    }
    if (CLOSE.has(kind)) depth--;
  }
}

export function parseWithTokenLimit(source: string | Source, maxTokens: number): DocumentNode {
  checkTokens(source, maxTokens);
  return gql.parse(source, { maxTokens });
}
