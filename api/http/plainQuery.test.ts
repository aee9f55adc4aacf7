/**
 * The plain-query path answers exactly as yoga's full HTTP path does. Two servers, one with
 * plain queries on and one with them off, each the real route in a real HTTP server (Hono on
 * @hono/node-server, as in Ponder), get the same requests; status, content type and body must
 * be equal byte for byte. Without a database every resolver that needs the indexed state
 * answers NOT_READY, so the corpus covers: answers with data (introspection, `__typename`),
 * answers with resolver errors, and everything refused before execution, which the plain path
 * hands back to yoga. The end-to-end API test does the same over an indexed devnet.
 */
import { serve } from "@hono/node-server";
import { getIntrospectionQuery } from "graphql";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GRAPHQL_PATH } from "../server.js";
import { dbLessApi } from "../test/dbLessApi.js";
import { graphqlRoute } from "./graphqlRoute.js";
import { isPlainJson, plainParams } from "./plainQuery.js";

async function startServer(plain: boolean) {
  const api = dbLessApi({ PERPWATCH_API_PLAIN_QUERIES: plain ? "1" : "0" });
  const app = new Hono();
  app.on(["GET", "POST"], GRAPHQL_PATH, graphqlRoute(api));
  let server!: ReturnType<typeof serve>;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve(info.port),
    );
  });
  const url = () => `http://127.0.0.1:${port}${GRAPHQL_PATH}`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

interface Case {
  name: string;
  body: string;
  headers?: Record<string, string>;
}

const json = (v: unknown) => JSON.stringify(v);
const JSON_CT = { "content-type": "application/json" };

const cases: Case[] = [
  { name: "introspection", body: json({ query: getIntrospectionQuery({ descriptions: true }) }) },
  { name: "__typename", body: json({ query: "{ __typename }" }) },
  { name: "null variables", body: json({ query: "{ __typename }", variables: null }) },
  {
    name: "named operation",
    body: json({ query: "query A { __typename } query B { b: __typename }", operationName: "B" }),
  },
  { name: "extensions", body: json({ query: "{ __typename }", extensions: { x: 1 } }) },
  { name: "resolver error", body: json({ query: '{ market(id: "1") { id symbol } }' }) },
  {
    name: "variables",
    body: json({
      query: "query ($id: ID!) { account(id: $id) { id equity } }",
      variables: { id: "7" },
    }),
  },
  { name: "data and error", body: json({ query: "{ __typename riskSummary { block } }" }) },
  // Refused before execution: the plain path hands these back to yoga.
  { name: "syntax error", body: json({ query: "{ markets { id " }) },
  { name: "unknown field", body: json({ query: "{ nope }" }) },
  {
    name: "variable does not coerce",
    body: json({
      query: "query ($n: Int!) { accounts(first: $n) { totalCount } }",
      variables: { n: "x" },
    }),
  },
  {
    name: "missing variable",
    body: json({ query: "query ($id: ID!) { account(id: $id) { id } }" }),
  },
  {
    name: "too costly",
    body: json({
      query:
        "{ accounts(first: 1000) { edges { node { id positions { market { id } } trades(first: 1000) { edges { node { id } } } } } } }",
    }),
  },
  {
    name: "too deep",
    body: json({
      query:
        "{ liquidations { edges { node { account { liquidations { edges { node { account { positions { market { id } } } } } } } } } } }",
    }),
  },
  {
    name: "unknown operation name",
    body: json({ query: "query A { __typename }", operationName: "B" }),
  },
  {
    name: "two operations, no name",
    body: json({ query: "query A { __typename } query B { __typename }" }),
  },
  { name: "subscription", body: json({ query: "subscription { newBlocks { block } }" }) },
  { name: "extra parameter", body: json({ query: "{ __typename }", foo: 1 }) },
  { name: "variables not an object", body: json({ query: "{ __typename }", variables: [1] }) },
  { name: "query not a string", body: json({ query: 5 }) },
  { name: "empty query", body: json({ query: "  " }) },
  { name: "no query", body: json({ variables: {} }) },
  { name: "array body", body: json([{ query: "{ __typename }" }]) },
  { name: "not JSON", body: "{ query" },
  { name: "JSON null", body: "null" },
  // Headers: the plain path takes only JSON in and `application/json` out.
  { name: "no accept", body: json({ query: "{ __typename }" }), headers: { accept: "" } },
  { name: "accept */*", body: json({ query: "{ __typename }" }), headers: { accept: "*/*" } },
  {
    name: "accept graphql-response+json",
    body: json({ query: "{ __typename }" }),
    headers: { accept: "application/graphql-response+json" },
  },
  {
    name: "accept graphql-response+json, error",
    body: json({ query: "{ nope }" }),
    headers: { accept: "application/graphql-response+json" },
  },
  {
    name: "accept list",
    body: json({ query: "{ __typename }" }),
    headers: { accept: "application/graphql-response+json, application/json;q=0.9" },
  },
  {
    name: "charset latin1",
    body: json({ query: "{ __typename }" }),
    headers: { accept: "application/json; charset=iso-8859-1" },
  },
  {
    name: "content type graphql-response+json",
    body: json({ query: "{ __typename }" }),
    headers: { "content-type": "application/graphql-response+json" },
  },
  {
    name: "content type text",
    body: json({ query: "{ __typename }" }),
    headers: { "content-type": "text/plain" },
  },
  {
    name: "no content type",
    body: json({ query: "{ __typename }" }),
    headers: { "content-type": "" },
  },
];

describe("plain queries answer as yoga does", () => {
  let plain: Awaited<ReturnType<typeof startServer>>;
  let full: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    plain = await startServer(true);
    full = await startServer(false);
  });
  afterAll(async () => {
    await plain.close();
    await full.close();
  });

  async function send(url: string, c: Case) {
    const headers: Record<string, string> = {
      ...JSON_CT,
      accept: "application/json",
      ...c.headers,
    };
    for (const [k, v] of Object.entries(headers)) if (v === "") delete headers[k];
    const res = await fetch(url, { method: "POST", headers, body: c.body });
    return {
      status: res.status,
      contentType: res.headers.get("content-type"),
      body: await res.text(),
    };
  }

  for (const c of cases) {
    it(c.name, async () => {
      const a = await send(plain.url(), c);
      const b = await send(full.url(), c);
      expect(a).toEqual(b);
      expect(a.status).not.toBe(500);
      expect(a.body).not.toMatch(/\n\s+at /);
    });
  }

  it("the corpus has answers with data, with resolver errors, and refusals", async () => {
    const statuses = new Set<number>();
    let withData = 0;
    let withErrors = 0;
    for (const c of cases) {
      const r = await send(plain.url(), c);
      statuses.add(r.status);
      if (r.body.includes('"data":{"__')) withData++;
      // Resolvers reach the (absent) database: masked internal errors.
      if (r.body.includes('"INTERNAL_SERVER_ERROR"')) withErrors++;
    }
    expect(withData).toBeGreaterThan(5);
    expect(withErrors).toBeGreaterThan(2);
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400]));
  });
});

describe("what takes the plain path", () => {
  it("only JSON in, JSON out", () => {
    expect(isPlainJson("application/json", undefined)).toBe(true);
    expect(isPlainJson("application/json; charset=utf-8", "*/*")).toBe(true);
    expect(isPlainJson("Application/JSON", " application/json ")).toBe(true);
    expect(isPlainJson("application/json", "")).toBe(true);
    expect(isPlainJson(undefined, "application/json")).toBe(false);
    expect(isPlainJson("text/plain", "application/json")).toBe(false);
    expect(isPlainJson("application/json; charset=latin1", "application/json")).toBe(false);
    expect(isPlainJson("application/json", "application/graphql-response+json")).toBe(false);
    expect(isPlainJson("application/json", "application/json, */*")).toBe(false);
    expect(isPlainJson("application/json", "text/event-stream")).toBe(false);
  });

  it("only one object of query, variables, operationName and extensions", () => {
    expect(plainParams('{"query":"{ a }"}')).toEqual({ query: "{ a }" });
    expect(plainParams('{"query":"{ a }","variables":null,"operationName":null}')).not.toBeNull();
    expect(plainParams('{"query":"{ a }","variables":{"x":1},"extensions":{}}')).not.toBeNull();
    for (const bad of [
      "",
      "null",
      "[]",
      '"x"',
      "{}",
      '{"query":""}',
      '{"query":1}',
      '{"query":"{ a }","other":1}',
      '{"query":"{ a }","variables":[]}',
      '{"query":"{ a }","variables":"x"}',
      '{"query":"{ a }","operationName":1}',
      '{"query":"{ a }","extensions":1}',
    ]) {
      expect(plainParams(bad), bad).toBeNull();
    }
  });
});
