import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { SeededRandom } from "../seededRandom.js";
import { healthAt } from "./health.js";
import { markExposure } from "./markExposure.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { syntheticBook } from "./syntheticBook.js";

const { state, timestamp } = syntheticBook({ seed: 19, accounts: 800, markets: 6 });
const store = buildPositionStore(bookOf(state, timestamp, referenceRiskModel));
const ex = markExposure(store);

describe("markExposure", () => {
  it("is the health at the marks", () => {
    const h = healthAt(store);
    expect(ex.health).toEqual(h);
    for (let a = 0; a < store.accountCount; a++) {
      expect(ex.gap[a]).toBe(h.equity[a]! - h.maintenanceMargin[a]!);
      expect(ex.canLiquidate[a]).toBe(h.maintenanceMargin[a]! > 0 ? 1 : 0);
    }
  });

  it("predicts equity, MM and notional at any moves with its linear form", () => {
    const rng = new SeededRandom(3);
    let worst = 0;
    let slopesOk = true;
    for (let trial = 0; trial < 10; trial++) {
      const moves = Float64Array.from(store.price, () => rng.between(-0.6, 0.6));
      const h = healthAt(
        store,
        Float64Array.from(store.price, (p, m) => p * (1 + moves[m]!)),
      );
      for (let a = 0; a < store.accountCount; a++) {
        let gap = ex.gap[a]!;
        let eq = ex.health.equity[a]!;
        let n = 0;
        for (let i = store.accountStart[a]!; i < store.accountStart[a + 1]!; i++) {
          const r = moves[store.positionMarket[i]!]!;
          gap += ex.gapSlope[i]! * r;
          eq += ex.equitySlope[i]! * r;
          n += ex.notional[i]! * (1 + r);
          slopesOk &&=
            Math.abs(ex.gapSlope[i]! - (ex.equitySlope[i]! - ex.marginSlope[i]!)) < 1e-9 &&
            Math.abs(ex.signedNotional[i]!) === ex.notional[i];
        }
        const scale = h.notional[a]! + 1;
        worst = Math.max(
          worst,
          Math.abs(gap - (h.equity[a]! - h.maintenanceMargin[a]!)) / scale,
          Math.abs(eq - h.equity[a]!) / scale,
          Math.abs(n - h.notional[a]!) / scale,
        );
      }
    }
    expect(worst).toBeLessThan(1e-9);
    expect(slopesOk).toBe(true);
  });
});
