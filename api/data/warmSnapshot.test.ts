/**
 * The sliced warm-up leaves a snapshot exactly as computing on first use would (every
 * account's facts, the risk summary), and hands the event loop back while it runs: a timer
 * due meanwhile fires before it ends, and no slice runs much longer than asked.
 */
import { describe, expect, it } from "vitest";
import { syntheticBook } from "../../engine/analytics/index.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { riskSummary } from "../analytics/riskSummary.js";
import { syntheticRows } from "../test/syntheticRows.js";
import { Snapshot } from "./snapshot.js";
import { warmSnapshot } from "./warmSnapshot.js";

const book = syntheticBook({ seed: 11, accounts: 3000, positions: 9000, markets: 10 });

describe("warmSnapshot", () => {
  it("computes what first use would, the same to the wei", async () => {
    const warm = new Snapshot(syntheticRows(book), referenceRiskModel);
    const cold = new Snapshot(syntheticRows(book), referenceRiskModel);
    const t = await warmSnapshot(warm, 2);
    expect(t.healthMs).toBeGreaterThan(0);
    expect(t.storeMs).toBeGreaterThan(0);
    expect(t.summaryMs).toBeGreaterThan(0);
    expect(warm.facts()).toEqual(cold.facts());
    const { market: _w, ...warmSummary } = riskSummary(warm, null);
    const { market: _c, ...coldSummary } = riskSummary(cold, null);
    expect(warmSummary).toEqual(coldSummary);
    expect(warmSummary.accountsWithPositions).toBeGreaterThan(1000);
  });

  it("lets timers and I/O run between slices", async () => {
    const snap = new Snapshot(syntheticRows(book), referenceRiskModel);
    // A loop that records how long the event loop was held between two of its turns.
    let longest = 0;
    let last = performance.now();
    let ticking = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    let timerFired = false;
    setTimeout(() => {
      timerFired = true;
    }, 1);
    const started = performance.now();
    const t = await warmSnapshot(snap, 2);
    const wall = performance.now() - started;
    ticking = false;
    expect(timerFired).toBe(true);
    expect(t.slices).toBeGreaterThan(3);
    // The longest hold is a slice plus one indivisible step (the store build, the cascade),
    // well under the whole warm-up.
    expect(longest).toBeLessThan(t.healthMs + t.storeMs + t.summaryMs);
    expect(longest).toBeLessThan(wall / 2);
  });

  it("does nothing before the exchange is indexed", async () => {
    const rows = { ...syntheticRows(book), exchange: null };
    const t = await warmSnapshot(new Snapshot(rows, referenceRiskModel));
    expect(t).toEqual({ healthMs: 0, storeMs: 0, summaryMs: 0, slices: 1 });
  });
});
