/**
 * `extensions.perpwatch` on every query response: the operation's estimated cost (what the
 * cost limit compared) and the history queries it took (snapshot loads are shared per block
 * and not counted) — so a client can see why a query was refused or slow, and a test can see
 * that nested lists are batched rather than queried row by row.
 */
import type { Plugin } from "graphql-yoga";
import type { ApiContext } from "../context.js";

export function responseExtensionsPlugin(): Plugin<ApiContext> {
  return {
    onExecute({ args }) {
      const api = (args.contextValue as Partial<ApiContext>).api;
      if (!api) return;
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || typeof result !== "object" || Symbol.asyncIterator in result) return;
          setResult({
            ...result,
            extensions: {
              ...result.extensions,
              perpwatch: { cost: api.cost ?? null, dbQueries: api.dbQueries },
            },
          });
        },
      };
    },
  };
}
