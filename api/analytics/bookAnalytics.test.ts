/**
 * "Liquidatable within x%" of one market by direction (the ladder's `withinDown`/`withinUp`,
 * what the exporter's market rows chart) against the direct evaluation: an account holding the
 * market counts for a fall of at most x when it is liquidatable at the mark or at a price x
 * lower (its liquidatable moves are a ray, so the two ends of [−x, 0] decide), likewise for a
 * rise; and `within` (either direction) is their union.
 */
import { describe, expect, it } from "vitest";
import { healthAt, isLiquidatableAt, syntheticBook } from "../../engine/analytics/index.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { Snapshot } from "../data/snapshot.js";
import { syntheticRows } from "../test/syntheticRows.js";
import { analyticsOf, WITHIN_LEVELS, type Within } from "./bookAnalytics.js";

const KEYS = ["pct1", "pct3", "pct5", "pct10"] as const;

describe("BookAnalytics.withinMarket by direction", () => {
  const snap = new Snapshot(
    syntheticRows(syntheticBook({ seed: 11, accounts: 400, markets: 3 })),
    referenceRiskModel,
  );
  const a = analyticsOf(snap);
  const s = a.store;

  /** Notional at the mark of the accounts holding market `m` liquidatable at one of `moves`. */
  function direct(m: number, moves: readonly number[]): number {
    const liquidatable = moves.map((r) => {
      const prices = Float64Array.from(s.price);
      prices[m] = prices[m]! * (1 + r);
      return healthAt(s, prices);
    });
    let sum = 0;
    for (let i = 0; i < s.positionCount; i++) {
      if (s.positionMarket[i] !== m) continue;
      const acc = s.positionAccount[i]!;
      if (liquidatable.some((h) => isLiquidatableAt(h, acc)))
        sum += a.exposure.health.notional[acc]!;
    }
    return sum;
  }

  const close = (got: Within, want: number[]) => {
    KEYS.forEach((k, j) => {
      expect(got[k]).toBeCloseTo(want[j]!, 3);
    });
  };

  it("counts what a fall, a rise, or either of at most x liquidates", () => {
    let reached = 0;
    let oneSided = 0;
    for (let m = 0; m < s.marketCount; m++) {
      const id = s.marketIds[m]!;
      const down = a.withinMarket(id, "down");
      const up = a.withinMarket(id, "up");
      const either = a.withinMarket(id);
      close(
        down,
        WITHIN_LEVELS.map((x) => direct(m, [-x, 0])),
      );
      close(
        up,
        WITHIN_LEVELS.map((x) => direct(m, [0, x])),
      );
      close(
        either,
        WITHIN_LEVELS.map((x) => direct(m, [-x, 0, x])),
      );
      for (const k of KEYS) {
        expect(either[k]).toBeGreaterThanOrEqual(Math.max(down[k], up[k]) - 1e-6);
        expect(either[k]).toBeLessThanOrEqual(down[k] + up[k] + 1e-6);
        reached += down[k] + up[k];
        if (down[k] < either[k] - 1e-6 || up[k] < either[k] - 1e-6) oneSided++;
      }
    }
    expect(reached).toBeGreaterThan(0);
    expect(oneSided).toBeGreaterThan(0); // the directions differ somewhere on this book
  });
});
