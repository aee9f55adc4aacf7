/**
 * The query limits as one yoga plugin: tokens while parsing, depth and aliases while
 * validating, cost before executing (or subscribing), when the variables are known.
 *
 * Why a plugin of our own instead of graphql-armor: armor's packages depend on their own
 * `graphql` (^16.10), a second copy beside the 16.8.2 Ponder bundles, and GraphQL objects from
 * two copies do not mix. Each limit is a few lines over graphql-js's own parser and validation.
 */

import type { Plugin } from "graphql-yoga";
import type { ApiLimits } from "../config.js";
import { ErrorCode } from "../errors.js";
import { gql } from "../http/graphqlRealm.js";
import { readOnlyRule } from "../http/readOnlyRule.js";
import { aliasLimitRule } from "./aliasLimit.js";
import { depthLimitRule } from "./depthLimit.js";
import { queryCost } from "./queryCost.js";
import { parseWithTokenLimit } from "./tokenLimit.js";

export function limitsPlugin(limits: ApiLimits, marketCount: () => number): Plugin {
  const tooCostly = (cost: number) => ({
    errors: [
      new gql.GraphQLError(
        `query cost ${cost} exceeds the limit of ${limits.maxCost} (lists count once per row they may return: lower \`first\`/\`last\` or select less)`,
        { extensions: { code: ErrorCode.QUERY_TOO_COSTLY } },
      ),
    ],
  });
  // yoga caches parsed documents by query text, so one document object serves every request
  // of the same query: its cost is computed once per set of variables.
  const memo = new WeakMap<object, Map<string, number>>();
  const costOf = (args: {
    schema: Parameters<typeof queryCost>[0];
    document: Parameters<typeof queryCost>[1];
    variableValues?: unknown;
    operationName?: string | null;
    contextValue?: unknown;
  }) => {
    const markets = Math.max(1, marketCount());
    const key = `${markets}|${args.operationName ?? ""}|${JSON.stringify(args.variableValues ?? {})}`;
    let perDoc = memo.get(args.document);
    let cost = perDoc?.get(key);
    if (cost === undefined) {
      cost = queryCost(
        args.schema,
        args.document,
        (args.variableValues ?? undefined) as Record<string, unknown> | undefined,
        args.operationName ?? undefined,
        { marketCount: markets },
      );
      if (!perDoc) {
        perDoc = new Map();
        memo.set(args.document, perDoc);
      }
      if (perDoc.size >= 1000) perDoc.clear();
      perDoc.set(key, cost);
    }
    const api = (args.contextValue as { api?: { cost?: number } } | undefined)?.api;
    if (api) api.cost = cost;
    return cost;
  };
  return {
    onParse({ setParseFn }) {
      setParseFn((source) => parseWithTokenLimit(source, limits.maxTokens));
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthLimitRule(limits.maxDepth));
      addValidationRule(aliasLimitRule(limits.maxAliases));
      addValidationRule(readOnlyRule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const cost = costOf(args);
      if (cost > limits.maxCost) setResultAndStopExecution(tooCostly(cost));
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const cost = costOf(args);
      if (cost > limits.maxCost) setResultAndStopExecution(tooCostly(cost));
    },
  };
}
