/**
 * The API is read-only: a validation rule refusing mutations with `BAD_REQUEST` and HTTP 400.
 *
 * Why a rule: the schema has no `Mutation` type, and graphql-js's validation does not check
 * that an operation's root type exists; the mutation reached execution, which failed with a
 * message of its own and no code (an internal error, HTTP 200). Over GET yoga already answers
 * 405 before validation.
 */
import type { ASTVisitor, ValidationContext } from "graphql";
import { ErrorCode } from "../errors.js";
import { refusedWithStatus } from "./errorHandling.js";
import { gql } from "./graphqlRealm.js";

export function readOnlyRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== "mutation" || context.getSchema().getMutationType()) return;
      context.reportError(
        new gql.GraphQLError("this API is read-only (it has no mutations): send a query", {
          nodes: [node],
          extensions: { code: ErrorCode.BAD_REQUEST, http: refusedWithStatus(400) },
        }),
      );
    },
  };
}
