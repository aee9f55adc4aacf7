import { describe, expect, it } from "vitest";
import type { CurieSimulationResult } from "./simulator.js";
import { curieRunSummary } from "./summary.js";

const result: CurieSimulationResult = {
  ticks: 480,
  setupTransactions: 400,
  setupSeconds: 2,
  transactions: 5234,
  reverted: 12,
  seconds: 60,
  liquidations: 40,
  badDebtLiquidations: 2,
  insuranceCovered: 1500,
  adlEvents: 0,
  finalBlock: 490n,
  hashes: [],
  byKind: {},
  revertedByKind: {},
  partialLiquidations: 25,
  badDebtSettlements: 1,
  fundingSettled: 1234.4,
  insuranceFundStart: 50_000,
  insuranceFundEnd: 61_234.2,
  final: { index: [], pool: [], mark: [] },
};

describe("curieRunSummary", () => {
  it("says what the run did on one line", () => {
    const line = curieRunSummary("crash-cascade", result);
    expect(line).toBe(
      "curie crash-cascade: 480 blocks, 5,234 transactions (12 reverted), 40 liquidations (25 partial, 2 with bad debt), 1 bad-debt settlements, insurance fund 50,000 -> 61,234, funding settled 1,234 USD, no ADL (Curie has none), 8.0 blocks/s",
    );
    expect(line).not.toContain("\n");
  });
});
