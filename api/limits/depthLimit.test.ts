import { describe, expect, it } from "vitest";
import { gql } from "../http/graphqlRealm.js";
import { readSchemaFile } from "../schemaFile.js";
import { aliasLimitRule } from "./aliasLimit.js";
import { depthLimitRule, MAX_INTROSPECTION_DEPTH } from "./depthLimit.js";

const schema = gql.buildSchema(readSchemaFile());
const validate = (q: string, rule: ReturnType<typeof depthLimitRule>) =>
  gql.validate(schema, gql.parse(q), [rule]).map((e) => [e.extensions.code, e.message]);

describe("depth limit", () => {
  const q5 = '{ account(id: "1") { positions { market { params { imrMin } } } } }';
  it("counts nested fields from the root field (1) to the leaf (here 5)", () => {
    expect(validate(q5, depthLimitRule(5))).toEqual([]);
    expect(validate(q5, depthLimitRule(4))).toEqual([
      ["QUERY_TOO_DEEP", "query depth 5 exceeds the limit of 4 nested fields"],
    ]);
  });
  it("follows fragments, inline fragments and skips introspection", () => {
    const viaFragments =
      '{ account(id: "1") { ...P } } fragment P on Account { positions { ... on Position { market { params { imrMin } } } } }';
    expect(validate(viaFragments, depthLimitRule(3))[0]?.[1]).toBe(
      "query depth 5 exceeds the limit of 3 nested fields",
    );
    expect(
      validate("{ __schema { types { fields { type { ofType { name } } } } } }", depthLimitRule(2)),
    ).toEqual([]);
  });
  it("limits introspection on its own: the standard query passes, an endless chain does not", () => {
    expect(validate(gql.getIntrospectionQuery(), depthLimitRule(10))).toEqual([]);
    const chain = (n: number) =>
      `{ __type(name: "Query") ${"{ fields { type ".repeat(n)}{ name }${" } }".repeat(n)} }`;
    expect(validate(chain(6), depthLimitRule(10))).toEqual([]);
    expect(validate(chain(7), depthLimitRule(10))).toEqual([
      [
        "QUERY_TOO_DEEP",
        `introspection depth 16 exceeds the limit of ${MAX_INTROSPECTION_DEPTH} nested fields`,
      ],
    ]);
  });
  it("survives fragment cycles (another rule reports them)", () => {
    const cyclic = "{ markets { ...A } } fragment A on Market { params { imrMin } ...A }";
    expect(() => gql.validate(schema, gql.parse(cyclic), [depthLimitRule(5)])).not.toThrow();
  });
});

describe("alias limit", () => {
  it("counts aliases over the whole document", () => {
    const q = "{ a: markets { b: id } ...F } fragment F on Query { c: markets { id } }";
    expect(validate(q, aliasLimitRule(3))).toEqual([]);
    expect(validate(q, aliasLimitRule(2))).toEqual([
      ["TOO_MANY_ALIASES", "query uses 3 aliases; the limit is 2"],
    ]);
  });
});
