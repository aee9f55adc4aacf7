/**
 * The access plugin inside yoga, without a database: a public-tier caller is refused every
 * root field that is not public (403 `FORBIDDEN`) before anything runs, and a caller's cost
 * budget is charged with the estimate the limits plugin computed (429 `RATE_LIMITED`).
 */
import { describe, expect, it } from "vitest";
import { dbLessApi } from "../test/dbLessApi.js";
import type { Caller } from "./apiKeys.js";

const api = dbLessApi();

const caller = (over: Partial<Caller>): Caller => ({
  name: "anonymous",
  bucket: `test:${Math.random()}`,
  reads: "everything",
  tables: false,
  metrics: false,
  limits: { requests: null, cost: null },
  ...over,
});

async function post(query: string, who: Caller) {
  const res = await api.yoga.fetch(
    "http://localhost/graphql",
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query }),
    },
    { perpwatch: { caller: who } },
  );
  const body = (await res.json()) as {
    errors?: { message: string; extensions: { code: string } }[];
  };
  return { status: res.status, headers: res.headers, errors: body.errors ?? [] };
}

describe("accessPlugin", () => {
  it("refuses the public tier every private root field, naming them", async () => {
    const r = await post(
      '{ exchanges { id } accounts { edges { node { id } } } account(id: "1") { id } }',
      caller({ reads: "public" }),
    );
    expect(r.status).toBe(403);
    expect(r.errors).toEqual([
      {
        message:
          "accounts, account: not public; send an API key (Authorization: Bearer …) to read it",
        extensions: { code: "FORBIDDEN" },
      },
    ]);
  });

  it("lets the public tier ask what it may", async () => {
    const r = await post("{ __typename }", caller({ reads: "public" }));
    expect(r.status).toBe(200);
    expect(r.errors).toEqual([]);
  });

  it("charges the estimated cost and refuses once the budget is spent", async () => {
    const thrifty = caller({ name: "thrifty", limits: { requests: null, cost: 15 } });
    // Its cost (about 11) is charged before it runs (the resolver then fails: no database).
    const first = await post("{ riskSummary { block } }", thrifty);
    expect(first.errors[0]?.extensions.code).not.toBe("RATE_LIMITED");
    const second = await post("{ riskSummary { block } }", thrifty);
    expect(second.status).toBe(429);
    expect(second.errors[0]?.extensions.code).toBe("RATE_LIMITED");
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});
