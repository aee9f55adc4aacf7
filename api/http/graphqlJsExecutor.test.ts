/**
 * graphql-js's `execute` in place of yoga's executor answers exactly as yoga's did: data,
 * nulls, nested lists, variables, errors thrown or rejected at any depth (with their paths,
 * locations and extensions) and the HTTP 400 of variables that do not coerce, byte for byte.
 */
import { createSchema, createYoga } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { graphqlJsExecutorPlugin } from "./graphqlJsExecutor.js";
import { gql } from "./graphqlRealm.js";

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Position { market: String! size: String! broken: String }
    type Account { id: ID! equity: String! positions: [Position!]! later: String }
    type Query {
      account(id: ID!): Account
      accounts(first: Int!): [Account!]!
      fails: String
      refused: String
    }
  `,
  resolvers: {
    Query: {
      account: (_: unknown, { id }: { id: string }) => (id === "0" ? null : { id }),
      accounts: (_: unknown, { first }: { first: number }) =>
        Array.from({ length: first }, (_, i) => ({ id: String(i + 1) })),
      fails: () => {
        throw new Error("internal detail");
      },
      refused: () => {
        throw new gql.GraphQLError("no such market", { extensions: { code: "NOT_FOUND" } });
      },
    },
    Account: {
      equity: (a: { id: string }) => `${a.id}000.5`,
      positions: (a: { id: string }) =>
        Array.from({ length: Number(a.id) % 3 }, (_, i) => ({ market: `M${i}`, size: `${i}` })),
      later: async (a: { id: string }) => {
        await new Promise((r) => setTimeout(r, 1));
        if (a.id === "2") throw new Error("rejected later");
        return `later ${a.id}`;
      },
    },
    Position: {
      broken: (p: { market: string }) => {
        if (p.market === "M1") throw new gql.GraphQLError("bad leg", { extensions: { code: "X" } });
        return "fine";
      },
    },
  },
});

const queries: { query: string; variables?: Record<string, unknown> }[] = [
  { query: `{ account(id: "5") { id equity positions { market size broken } later } }` },
  { query: `query ($id: ID!) { account(id: $id) { id equity } }`, variables: { id: "0" } },
  { query: `{ accounts(first: 4) { id positions { market broken } later } }` },
  { query: `{ fails refused account(id: "1") { id } }` },
  { query: `query ($n: Int!) { accounts(first: $n) { id } }`, variables: { n: "x" } },
];

async function answers(withPlugin: boolean): Promise<string[]> {
  const yoga = createYoga({
    schema,
    logging: false,
    maskedErrors: false,
    plugins: withPlugin ? [graphqlJsExecutorPlugin()] : [],
  });
  const out: string[] = [];
  for (const body of queries) {
    const res = await yoga.fetch("http://localhost/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    out.push(`${res.status} ${await res.text()}`);
  }
  return out;
}

describe("graphqlJsExecutorPlugin", () => {
  it("answers every query exactly as yoga's own executor", async () => {
    const ours = await answers(true);
    const theirs = await answers(false);
    expect(ours).toEqual(theirs);
    // The queries do exercise data, masked and coded errors at depth.
    expect(ours.join("\n")).toContain('"later 5"');
    expect(ours.join("\n")).toContain('"code":"X"');
    expect(ours.join("\n")).toContain("rejected later");
    expect(ours.join("\n")).toContain('"code":"NOT_FOUND"');
    expect(ours.at(-1)).toMatch(/^400 .*Int cannot represent/);
  });
});
