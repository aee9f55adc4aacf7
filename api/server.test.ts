/**
 * The server at the HTTP level, without a database: the schema it serves is schema.graphql,
 * and everything refused before execution (syntax, validation, limits, malformed requests) is
 * refused with its stable code, a one-line message, no stack and never HTTP 500. None of these
 * requests reaches a resolver; the database handle throws if one ever did.
 */
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from "graphql";
import { describe, expect, it } from "vitest";
import { readSchemaFile } from "./schemaFile.js";
import { dbLessApi } from "./test/dbLessApi.js";

const api = dbLessApi();

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await api.yoga.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: JSON.parse(text) as { errors?: { message: string; extensions: { code: string } }[] },
  };
}

function expectRefused(r: Awaited<ReturnType<typeof post>>, code: string, message: RegExp): void {
  expect(r.status).not.toBe(500);
  expect(r.text).not.toMatch(/stack|\n\s+at /);
  expect(r.json.errors?.length).toBeGreaterThan(0);
  const e = r.json.errors![0]!;
  expect(e.extensions.code).toBe(code);
  expect(e.message).toMatch(message);
  expect(e.message).not.toContain("\n");
}

describe("the served schema", () => {
  it("is schema.graphql, descriptions included", async () => {
    const r = await post({
      query: getIntrospectionQuery({ descriptions: true, schemaDescription: true }),
    });
    expect(r.status).toBe(200);
    const served = buildClientSchema((r.json as unknown as { data: IntrospectionQuery }).data);
    const file = buildSchema(readSchemaFile());
    expect(printSchema(lexicographicSortSchema(served))).toBe(
      printSchema(lexicographicSortSchema(file)),
    );
    expect(served.description).toContain("Perpwatch");
  });

  it("documents every type, field, argument and enum value", () => {
    const schema = buildSchema(readSchemaFile());
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      if (!type.description) missing.push(type.name);
      if ("getFields" in type) {
        for (const f of Object.values(type.getFields())) {
          if (!f.description) missing.push(`${type.name}.${f.name}`);
          for (const a of "args" in f ? f.args : []) {
            if (!a.description) missing.push(`${type.name}.${f.name}(${a.name})`);
          }
        }
      }
      if ("getValues" in type) {
        for (const v of type.getValues())
          if (!v.description) missing.push(`${type.name}.${v.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("requests refused before execution", () => {
  it("syntax errors: GRAPHQL_PARSE_FAILED", async () => {
    expectRefused(await post({ query: "{ market(id: " }), "GRAPHQL_PARSE_FAILED", /Syntax Error/);
  });

  it("unknown fields: GRAPHQL_VALIDATION_FAILED", async () => {
    expectRefused(await post({ query: "{ nope }" }), "GRAPHQL_VALIDATION_FAILED", /nope/);
  });

  it("malformed literals and variables: BAD_USER_INPUT", async () => {
    expectRefused(
      await post({ query: '{ accounts(filter: { owner: "0x12" }) { totalCount } }' }),
      "BAD_USER_INPUT",
      /^Address: expected a 0x-prefixed 20-byte hex address/,
    );
    expectRefused(
      await post({
        query: "query ($o: Address) { accounts(filter: { owner: $o }) { totalCount } }",
        variables: { o: "not an address" },
      }),
      "BAD_USER_INPUT",
      /Address: expected/,
    );
    expectRefused(
      await post({ query: "{ accounts(first: 99999999999) { totalCount } }" }),
      "BAD_USER_INPUT",
      /Int cannot represent/,
    );
    expectRefused(
      await post({
        query: "query ($n: Int) { accounts(first: $n) { totalCount } }",
        variables: { n: 1e12 },
      }),
      "BAD_USER_INPUT",
      /\$n/,
    );
    expectRefused(
      await post({ query: "{ accounts(orderBy: SIDEWAYS) { totalCount } }" }),
      "BAD_USER_INPUT",
      /SIDEWAYS/,
    );
  });

  it("queries nested too deep: QUERY_TOO_DEEP", async () => {
    const deep =
      "{ liquidations { edges { node { account { liquidations { edges { node { account { positions { market { id } } } } } } } } } } }";
    expectRefused(
      await post({ query: deep }),
      "QUERY_TOO_DEEP",
      /depth 11 exceeds the limit of 10/,
    );
  });

  it("too many aliases: TOO_MANY_ALIASES", async () => {
    const fields = Array.from({ length: 21 }, (_, i) => `a${i}: markets { id }`).join(" ");
    expectRefused(
      await post({ query: `{ ${fields} }` }),
      "TOO_MANY_ALIASES",
      /21 aliases; the limit is 20/,
    );
  });

  it("too many tokens: TOO_MANY_TOKENS", async () => {
    const fields = Array.from({ length: 2100 }, () => "id").join(" ");
    expectRefused(
      await post({ query: `{ markets { ${fields} } }` }),
      "TOO_MANY_TOKENS",
      /more than 2000 tokens/,
    );
  });

  it("queries over the cost limit: QUERY_TOO_COSTLY, with variables taken into account", async () => {
    const q =
      "query ($n: Int) { accounts(first: $n) { edges { node { trades(first: $n) { edges { node { id } } } } } } }";
    expectRefused(
      await post({ query: q, variables: { n: 1000 } }),
      "QUERY_TOO_COSTLY",
      /query cost \d+ exceeds the limit of 50000/,
    );
    expectRefused(
      await post({
        query:
          "{ accounts(first: 100) { edges { node { positions { market { fundingHistory(last: 1000) { rate } } } } } } }",
      }),
      "QUERY_TOO_COSTLY",
      /query cost \d+ exceeds/,
    );
  });

  it("malformed HTTP requests: BAD_REQUEST, not 500", async () => {
    expectRefused(await post("{ not json"), "BAD_REQUEST", /JSON/);
    expectRefused(await post({ variables: {} }), "BAD_REQUEST", /query/i);
  });
});
