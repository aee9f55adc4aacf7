/**
 * Which bodies ask for analytics: the fields computed through the queue, by name at the root
 * (aliases, fragments and inline fragments followed) and `coverage` at any depth; a mention in
 * an alias, a string or an argument name is not one, and a body that is not JSON or GraphQL is
 * left to yoga.
 */
import { describe, expect, it } from "vitest";
import { asksForAnalytics, mayAskForAnalytics } from "./asksForAnalytics.js";

const body = (query: string) => JSON.stringify({ query });

describe("asksForAnalytics", () => {
  it.each([
    ["a root field", "{ varLar(paths: 500) { block } }"],
    ["under an alias", "{ v: stress { block } }"],
    ["beside a table read", "{ markets { id } cascade(shock: { move: -0.1 }) { block } }"],
    [
      "through a fragment",
      'query Q { ...F } fragment F on Query { liquidationLadder(marketId: "1") { block } }',
    ],
    ["through an inline fragment", "{ ... on Query { stress { block } } }"],
    ["the insurance fund's coverage", "{ insuranceFund { coverage { coverageRatio } } }"],
  ])("%s: yes", (_name, query) => {
    expect(mayAskForAnalytics(body(query))).toBe(true);
    expect(asksForAnalytics(body(query))).toBe(true);
  });

  it.each([
    ["a table read", "{ markets { id } }"],
    ["an alias named like one", "{ stress: markets { id } }"],
    ["a string naming one", '{ account(id: "cascade") { id } }'],
    ["a root name below the root", "{ riskSummary { cascadeBadDebtAt10 } markets { varLar: id } }"],
    ["a fragment that spreads itself", "{ ...F } fragment F on Query { ...F markets { id } }"],
    ["a syntax error", "{ varLar( }"],
  ])("%s: no", (_name, query) => {
    expect(asksForAnalytics(body(query))).toBe(false);
  });

  it("a body naming none is not parsed; one that is not JSON is left to yoga", () => {
    expect(mayAskForAnalytics(body("{ markets { id } }"))).toBe(false);
    expect(asksForAnalytics("{ varLar")).toBe(false);
    expect(asksForAnalytics(JSON.stringify({ query: 42, stress: true }))).toBe(false);
  });
});
