/**
 * The one copy of graphql-js the API may use: the copy graphql-yoga runs on.
 *
 * Why this exists: the `graphql` package ships a CommonJS build (`index.js`) and an ESM build
 * (`index.mjs`) of the same code, and its classes check `instanceof` against their own copy
 * ("Cannot use GraphQLSchema from another module or realm"). Which copy a bare
 * `import "graphql"` gets depends on the runner: under Ponder's vite-node, graphql-yoga (inlined
 * by Vite) gets the ESM build; under vitest, yoga is loaded by Node and gets the CommonJS one;
 * Ponder's own generated GraphQL uses the CommonJS one. So the API asks yoga: it builds a tiny
 * schema with yoga's `createSchema` and takes whichever build that schema belongs to. Every
 * value of graphql-js the API creates (errors, scalars, parsed documents) comes from `gql`;
 * types are imported from "graphql" as types only (they are the same in both builds).
 */
import * as commonjs from "graphql/index.js";
import { createSchema } from "graphql-yoga";

type GraphqlModule = typeof commonjs;

async function yogaRealm(): Promise<GraphqlModule> {
  const probe: object = createSchema({ typeDefs: "type Query { ok: Boolean }" });
  if (probe instanceof commonjs.GraphQLSchema) return commonjs;
  const esmEntry = "graphql/index.mjs";
  const esm = (await import(esmEntry)) as GraphqlModule;
  if (probe instanceof esm.GraphQLSchema) return esm;
  throw new Error(
    "graphql-yoga runs on a copy of graphql that is neither graphql/index.js nor index.mjs",
  );
}

export const gql: GraphqlModule = await yogaRealm();
