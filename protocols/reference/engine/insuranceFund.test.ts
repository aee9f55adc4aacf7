import { describe, expect, test } from "vitest";
import { ALICE, market2, T0, usd } from "../test/fixtures.js";
import { depositInsuranceFund } from "./insuranceFund.js";
import { MAX_PARAM } from "./market.js";

describe("insuranceFund", () => {
  test("anyone may deposit; tokens come in and the fund grows", () => {
    const s = market2();
    const r = depositInsuranceFund(s, { amount: usd(10) }, { timestamp: T0, sender: ALICE });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.state.insuranceFund).toBe(usd(10));
    expect(r.state.tokenBalance).toBe(s.tokenBalance + usd(10));
    expect(r.events).toEqual([
      { name: "InsuranceFundUpdated", args: { delta: usd(10), newBalance: usd(10), reason: 3 } },
    ]);
  });

  test("zero and more than MAX_PARAM revert; MAX_PARAM itself does not", () => {
    const s = market2();
    const ctx = { timestamp: T0, sender: ALICE };
    expect(depositInsuranceFund(s, { amount: 0n }, ctx)).toMatchObject({
      ok: false,
      error: { name: "ZeroAmount" },
    });
    expect(depositInsuranceFund(s, { amount: MAX_PARAM + 1n }, ctx)).toMatchObject({
      ok: false,
      error: { name: "AmountTooLarge", args: { amount: MAX_PARAM + 1n } },
    });
    expect(depositInsuranceFund(s, { amount: MAX_PARAM }, ctx).ok).toBe(true);
  });
});
