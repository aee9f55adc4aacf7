/**
 * Alias limit: a validation rule that rejects documents with more than `maxAliases` aliases.
 *
 * Why: aliases let one request ask the same expensive field many times
 * (`a: cascade(…) b: cascade(…) …`); the cost limit prices that too, but a plain count is a
 * cheap first fence with an obvious message. Aliases are counted over the whole document,
 * fragments included once each.
 */
import type { ASTVisitor, ValidationContext } from "graphql";
import { ErrorCode } from "../errors.js";
import { gql } from "../http/graphqlRealm.js";

export function aliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias) count++;
      },
      Document: {
        leave(node) {
          if (count > maxAliases) {
            context.reportError(
              new gql.GraphQLError(`query uses ${count} aliases; the limit is ${maxAliases}`, {
                nodes: [node],
                extensions: { code: ErrorCode.TOO_MANY_ALIASES },
              }),
            );
          }
        },
      },
    };
  };
}
