import { describe, expect, it } from "vitest";
import { gql } from "../http/graphqlRealm.js";
import { readSchemaFile } from "../schemaFile.js";
import { queryCost } from "./queryCost.js";

const schema = gql.buildSchema(readSchemaFile());
const cost = (q: string, variables?: Record<string, unknown>, marketCount = 5) =>
  queryCost(schema, gql.parse(q), variables, undefined, { marketCount });

describe("queryCost", () => {
  it("charges one per object and nothing for scalars", () => {
    expect(cost("{ indexingStatus { chainHead indexedBlock } }")).toBe(1 + 2);
    expect(cost('{ market(id: "1") { id symbol params { imrMin } } }')).toBe(2);
  });

  it("multiplies lists by the rows they may return, defaults included", () => {
    expect(cost("{ markets { id } }")).toBe(5);
    expect(cost("{ markets { id } }", undefined, 20)).toBe(20);
    const page = cost("{ accounts(first: 10) { edges { node { id } } } }");
    expect(page).toBe(10 * (1 + 1 + 1));
    // first defaults to 100 in the schema
    expect(cost("{ accounts { edges { node { id } } } }")).toBe(100 * 3);
  });

  it("nests multiplicatively and reads variables", () => {
    const q =
      "query ($n: Int, $m: Int) { accounts(first: $n) { edges { node { trades(first: $m) { edges { node { id } } } } } } }";
    const small = cost(q, { n: 2, m: 3 });
    const big = cost(q, { n: 20, m: 30 });
    expect(big / small).toBeGreaterThan(50);
  });

  it("prices analytics by their arguments", () => {
    expect(cost("{ varLar(paths: 20000) { block } }")).toBeGreaterThan(
      cost("{ varLar(paths: 100) { block } }"),
    );
    const ladder = (step: number) =>
      cost(`{ liquidationLadder(marketId: "1", range: 0.5, step: ${step}) { bins { move } } }`);
    expect(ladder(0.001)).toBeGreaterThan(5 * ladder(0.01));
    expect(cost("{ stress(shocks: [0.1, 0.2]) { points { shock } } }")).toBeLessThan(
      cost("{ stress { points { shock } } }"),
    );
  });

  it("prices analytics by their real work, every alias counted", () => {
    const one = cost("{ varLar(paths: 20000) { block } }");
    expect(one).toBe(9600 + 1);
    const aliases = Array.from({ length: 20 }, (_, i) => `v${i}: varLar(paths: 20000) { block }`);
    expect(cost(`{ ${aliases.join(" ")} }`)).toBe(20 * one);
    expect(20 * one).toBeGreaterThan(50_000);
    expect(cost("{ stress { block } }")).toBe(20 + 35 * 40 + 1);
    expect(cost('{ liquidationLadder(marketId: "1", step: 0.0005) { block } }')).toBe(
      20 + Math.ceil(2001 / 5) + 1,
    );
    expect(cost("{ cascade(shock: { move: -0.1 }, maxRounds: 5) { block } }")).toBe(70 + 1);
  });
  it("follows fragments and ignores introspection", () => {
    const direct = cost("{ accounts(first: 5) { edges { node { positions { size } } } } }");
    const viaFragment = cost(
      "{ accounts(first: 5) { edges { node { ...A } } } } fragment A on Account { positions { size } }",
    );
    expect(viaFragment).toBe(direct);
    expect(cost("{ __schema { types { name fields { name } } } }")).toBe(0);
  });

  it("leaves variables that do not coerce to execution", () => {
    expect(cost("query ($n: Int) { accounts(first: $n) { totalCount } }", { n: "many" })).toBe(0);
  });
});
