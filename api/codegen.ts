/**
 * GraphQL Code Generator's settings for `api/generated/schemaTypes.ts`: the TypeScript types of
 * `schema.graphql` (input objects, enums, every field's arguments) and the resolver map types
 * the `Query` and `Subscription` roots are checked against. Pure apart from reading the schema:
 * `writeSchemaTypes.ts` (`npm run codegen`) writes the result, and a test checks the committed
 * file equals a fresh render.
 *
 * Why the programmatic core and not `@graphql-codegen/cli`: one schema and one output file need
 * none of the CLI's config loader, watcher, prompts or remote schema loaders (Babel, listr2,
 * inquirer, graphql-config and the url/git/GitHub loaders come with it).
 */
import { codegen } from "@graphql-codegen/core";
import * as typescriptPlugin from "@graphql-codegen/typescript";
import * as resolversPlugin from "@graphql-codegen/typescript-resolvers";
import { parse } from "graphql";
import { readSchemaFile } from "./schemaFile.js";

export const SCHEMA_TYPES_FILE = new URL("./generated/schemaTypes.ts", import.meta.url);

const HEADER =
  "// Generated from schema.graphql by api/codegen.ts (`npm run codegen`). Do not edit.\n";

/**
 * What the code passes for each custom scalar (api/scalars/scalars.ts): the scalars parse
 * `BigInt`, `Decimal` and `Timestamp` into bigints (D18 for `Decimal`, unix seconds for
 * `Timestamp`) and resolvers hand them bigints back; `Address` is lowercase hex text.
 */
const SCALARS = {
  BigInt: "bigint",
  Decimal: "bigint",
  Address: "string",
  Timestamp: "bigint",
};

const CODEGEN_CONFIG = {
  // Enums as string unions: the resolvers compare plain strings, no runtime enum objects.
  enumsAsTypes: true,
  scalars: SCALARS,
  // A scalar added to the schema without a mapping here fails the generation.
  strictScalars: true,
  useTypeImports: true,
  contextType: "../context.js#ApiContext",
  // Object types stay unchecked: the resolvers return node classes whose fields graphql-js's
  // default resolver reads; what is typed is what the resolvers receive.
  defaultMapper: "unknown",
  makeResolverTypeCallable: true,
};

/**
 * The resolvers plugin types an argument that has a default as present (`RequireFields`) and
 * also as non-null; graphql-js applies the default only when the argument is omitted, and a
 * client may still send an explicit `null` (`first: null`). So the generated helper keeps the
 * null: `first: number | null`, not `number`, and the resolvers' checks of it stay meaningful.
 */
const REQUIRE_FIELDS_GENERATED =
  "export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };";
const REQUIRE_FIELDS_KEEPING_NULL =
  "export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };";

export async function renderSchemaTypes(): Promise<string> {
  const output = await codegen({
    filename: SCHEMA_TYPES_FILE.pathname,
    // The parsed document only (plain objects): codegen builds the schema with its own copy of
    // graphql-js, so which build of it this module gets does not matter (api/http/graphqlRealm.ts).
    schema: parse(readSchemaFile()),
    documents: [],
    config: CODEGEN_CONFIG,
    plugins: [{ typescript: {} }, { typescriptResolvers: {} }],
    pluginMap: { typescript: typescriptPlugin, typescriptResolvers: resolversPlugin },
  });
  if (!output.includes(REQUIRE_FIELDS_GENERATED)) {
    throw new Error("codegen: RequireFields is no longer generated as api/codegen.ts expects");
  }
  return HEADER + output.replace(REQUIRE_FIELDS_GENERATED, REQUIRE_FIELDS_KEEPING_NULL);
}
