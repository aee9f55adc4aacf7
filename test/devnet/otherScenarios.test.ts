/**
 * funding-squeeze drives one-sided skew and funding to extremes; calm stays orderly. A
 * different seed gives a different run.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "./simulate.js";

const D18 = 10n ** 18n;

describe("other scenarios", () => {
  it("funding-squeeze: SOL skew is long and its funding rate reaches an extreme", async () => {
    const run = await simulate("funding-squeeze", 7, 120, 300);
    const sol = 2;
    expect(run.skews[sol]!).toBeGreaterThan(0n);
    // Over 1% a day (over 365% a year) is an extreme funding rate; longs pay.
    expect(run.fundingRates[sol]!).toBeGreaterThan(D18 / 100n);
    // The squeeze is in SOL: its rate is the largest in magnitude.
    const abs = run.fundingRates.map((r) => (r < 0n ? -r : r));
    const largest = [...abs].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))[0];
    expect(abs[sol]).toBe(largest);
  });

  it("calm: trades happen, nothing goes bankrupt, and another seed differs", async () => {
    const a = await simulate("calm", 1, 80, 150);
    expect(a.result.transactions).toBeGreaterThan(150);
    expect(a.result.badDebtLiquidations).toBe(0);
    expect(a.result.adlEvents).toBe(0);
    const b = await simulate("calm", 2, 80, 20);
    expect(b.result.hashes.slice(0, 50)).not.toEqual(a.result.hashes.slice(0, 50));
  });
});
