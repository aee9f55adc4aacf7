/**
 * The README's GraphQL examples are what a newcomer pastes first: each must be a valid query
 * against `schema.graphql`, so a schema change that breaks one fails here.
 */
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url);
const schema = buildSchema(readFileSync(new URL("schema.graphql", ROOT), "utf8"));
const readme = readFileSync(new URL("README.md", ROOT), "utf8");
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
const queries = blocks.flatMap((b) =>
  b
    .split(/\n(?=#|\{)/)
    .map((q) => q.replace(/^#.*$/gm, "").trim())
    .filter((q) => q !== ""),
);

describe("README GraphQL examples", () => {
  it("are there", () => {
    expect(queries.length).toBeGreaterThanOrEqual(8);
  });
  it.each(queries.map((q) => [q.slice(0, 60).replace(/\s+/g, " "), q]))("%s", (_name, q) => {
    const errors = validate(schema, parse(q));
    expect(errors.map((e) => e.message)).toEqual([]);
  });
});
