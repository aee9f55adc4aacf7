import { describe, expect, it } from "vitest";
import { healthAt, isLiquidatableAt } from "./health.js";
import { markExposure } from "./markExposure.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { SeededRandom } from "./random.js";
import { accountReach, FALLS, MIXED, RISES, reachOrder, withinReach } from "./reachOrder.js";
import { syntheticBook } from "./syntheticBook.js";

const { state, timestamp } = syntheticBook({ seed: 8, accounts: 3000, markets: 6 });
const store = buildPositionStore(bookOf(state, timestamp));
const exposure = markExposure(store);
const scale = Float64Array.from({ length: store.marketCount }, (_, m) => 0.02 + 0.01 * m);

describe("accountReach", () => {
  it("is 0 for accounts liquidatable now and a safe distance for the rest", () => {
    const rng = new SeededRandom(4);
    for (const sc of [undefined, scale]) {
      const reach = accountReach(store, exposure, sc);
      for (let a = 0; a < store.accountCount; a++) {
        if (isLiquidatableAt(exposure.health, a)) expect(reach[a]).toBe(0);
      }
      let caught = 0;
      for (let trial = 0; trial < 40; trial++) {
        const size = rng.between(0.001, 0.4);
        const moves = Float64Array.from(scale, (s) => rng.between(-size, size) * (s / 0.05));
        let z = 0;
        for (let m = 0; m < moves.length; m++) {
          z = Math.max(z, Math.abs(moves[m]!) / (sc ? sc[m]! : 1));
        }
        const h = healthAt(
          store,
          Float64Array.from(store.price, (p, m) => p * (1 + moves[m]!)),
        );
        for (let a = 0; a < store.accountCount; a++) {
          if (isLiquidatableAt(h, a)) {
            expect(reach[a]!).toBeLessThanOrEqual(z);
            caught++;
          }
        }
      }
      expect(caught).toBeGreaterThan(1000);
    }
  });
});

describe("reachOrder", () => {
  const o = reachOrder(store, exposure, scale);
  const reach = accountReach(store, exposure, scale);

  it("groups accounts by the direction that hurts them and sorts each group by reach", () => {
    expect(o.groupStart[0]).toBe(0);
    expect(o.groupStart[3]).toBe(o.count);
    const finite = Array.from(reach).filter((r) => r !== Number.POSITIVE_INFINITY).length;
    expect(o.count).toBe(finite);
    const seen = new Set<number>();
    for (let g = FALLS; g <= MIXED; g++) {
      expect(o.groupStart[g + 1]! - o.groupStart[g]!).toBeGreaterThan(100);
      for (let j = o.groupStart[g]!; j < o.groupStart[g + 1]!; j++) {
        const a = o.account[j]!;
        seen.add(a);
        if (j > o.groupStart[g]!) expect(o.reach[j]!).toBeGreaterThanOrEqual(o.reach[j - 1]!);
        expect(o.reach[j]!).toBeLessThanOrEqual(reach[a]!);
        if (reach[a]! > 0) expect(o.reach[j]! / reach[a]!).toBeGreaterThan(1 - 1e-9);
        const slopes = [];
        for (let i = store.accountStart[a]!; i < store.accountStart[a + 1]!; i++) {
          slopes.push(exposure.gapSlope[i]!);
        }
        if (g === FALLS) expect(slopes.every((s) => s >= 0)).toBe(true);
        if (g === RISES) expect(slopes.every((s) => s <= 0)).toBe(true);
        if (g === MIXED) expect(slopes.some((s) => s > 0) && slopes.some((s) => s < 0)).toBe(true);
        expect(o.gap[j]).toBe(exposure.gap[a]);
        expect(o.start[j + 1]! - o.start[j]!).toBe(slopes.length);
      }
    }
    expect(seen.size).toBe(o.count);
    for (let p = 0; p < o.market.length; p++) {
      expect(o.adverse[p]).toBe(2 * o.market[p]! + (o.gapSlope[p]! < 0 ? 1 : 0));
    }
  });

  it("finds each group's prefix by binary search", () => {
    for (let g = FALLS; g <= MIXED; g++) {
      const s = o.groupStart[g]!;
      const e = o.groupStart[g + 1]!;
      expect(withinReach(o, g, -1)).toBe(s);
      expect(withinReach(o, g, Number.POSITIVE_INFINITY)).toBe(e);
      const x = o.reach[(s + e) >>> 1]!;
      const k = withinReach(o, g, x);
      expect(o.reach[k - 1]!).toBeLessThanOrEqual(x);
      if (k < e) expect(o.reach[k]!).toBeGreaterThan(x);
    }
  });
});
