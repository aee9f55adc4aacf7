/**
 * Token limit: parse documents with graphql-js's own `maxTokens` option, so an oversized
 * document is refused while it is being read, before any of it is kept.
 *
 * Why here and not in a validation rule: by the time validation runs the whole document has
 * been parsed into memory, which is the cost the limit exists to avoid. graphql-js stops at
 * the limit with a syntax error; this turns it into `TOO_MANY_TOKENS` with a plain message.
 */
import type { DocumentNode, Source } from "graphql";
import { ErrorCode } from "../errors.js";
import { gql } from "../http/graphqlRealm.js";

export function parseWithTokenLimit(source: string | Source, maxTokens: number): DocumentNode {
  try {
    return gql.parse(source, { maxTokens });
  } catch (err) {
    if (
      err instanceof gql.GraphQLError &&
      /Document contains more th\w+ \d+ tokens/.test(err.message)
    ) {
      throw new gql.GraphQLError(`query has more than ${maxTokens} tokens, the limit`, {
        extensions: { code: ErrorCode.TOO_MANY_TOKENS },
      });
    }
    throw err;
  }
}
