import { parse } from "graphql/index.js";
import { describe, expect, it } from "vitest";
import { privateRootFields } from "./publicFields.js";

describe("privateRootFields", () => {
  it("lets the exchange-wide fields through", () => {
    expect(privateRootFields(parse("{ markets { id price } riskSummary { block } }"))).toEqual([]);
    expect(privateRootFields(parse("subscription { riskSummary { block } }"))).toEqual([]);
  });

  it("names every field about accounts, also behind fragments and aliases", () => {
    const doc = parse(`
      query Q { m: markets { id } ...F ... on Query { who: account(id: "1") { id } } }
      fragment F on Query { accounts { edges { node { id } } } liquidationLadder(market: "1") { block } }
    `);
    expect(privateRootFields(doc, "Q")).toEqual(["accounts", "liquidationLadder", "account"]);
    expect(privateRootFields(parse("subscription { liquidations { id } }"))).toEqual([
      "liquidations",
    ]);
  });
});
