/**
 * The risk summary of an exchange that is deployed but has no markets yet (the first blocks
 * of every devnet, what alert rules and subscribers ask for from the start): all zeros, not an
 * internal error. Found by the alerts' crash-cascade test, whose worker got "internal server
 * error" at the block between the deployment and the first market.
 */
import { describe, expect, it } from "vitest";
import { syntheticBook } from "../../engine/analytics/index.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { Snapshot } from "../data/snapshot.js";
import { warmSnapshot } from "../data/warmSnapshot.js";
import { syntheticRows } from "../test/syntheticRows.js";
import { riskSummary } from "./riskSummary.js";

describe("riskSummary", () => {
  it("is all zeros for an exchange with no markets", async () => {
    const rows = syntheticRows(syntheticBook({ seed: 3, accounts: 5, markets: 2 }));
    const snap = new Snapshot(
      { ...rows, markets: [], prices: {}, accounts: [] },
      referenceRiskModel,
    );
    const t = await warmSnapshot(snap);
    expect(t.slices).toBeGreaterThanOrEqual(1);
    const s = riskSummary(snap, null);
    expect(s.openInterestUsd).toBe(0n);
    expect(s.accountsWithPositions).toBe(0);
    expect(s.accountsAtRisk).toBe(0);
    expect(s.liquidatableWithin).toEqual({ pct1: 0, pct3: 0, pct5: 0, pct10: 0 });
    expect(s.cascadeLiquidationsAt10).toBe(0);
    expect(s.adlLikely).toBe(false);
    expect(s.maxAbsFundingRate).toBe(0n);
  });
});
