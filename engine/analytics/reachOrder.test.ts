import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { SeededRandom } from "../seededRandom.js";
import { healthAt, isLiquidatableAt } from "./health.js";
import { markExposure } from "./markExposure.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { accountReach, FALLS, listWithinReach, MIXED, RISES, reachOrder } from "./reachOrder.js";
import { syntheticBook } from "./syntheticBook.js";

const { state, timestamp } = syntheticBook({ seed: 8, accounts: 3000, markets: 6 });
const store = buildPositionStore(bookOf(state, timestamp, referenceRiskModel));
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
    let ok = true;
    for (let g = FALLS; g <= MIXED; g++) {
      expect(o.groupStart[g + 1]! - o.groupStart[g]!).toBeGreaterThan(100);
      for (let j = o.groupStart[g]!; j < o.groupStart[g + 1]!; j++) {
        const a = o.account[j]!;
        seen.add(a);
        const r = o.reach[j]!;
        ok &&= j === o.groupStart[g] || r >= o.reach[j - 1]!;
        ok &&= r <= reach[a]! && (reach[a] === 0 || r / reach[a]! > 1 - 1e-9);
        const slopes = [];
        for (let i = store.accountStart[a]!; i < store.accountStart[a + 1]!; i++) {
          slopes.push(exposure.gapSlope[i]!);
        }
        if (g === FALLS) ok &&= slopes.every((s) => s >= 0);
        if (g === RISES) ok &&= slopes.every((s) => s <= 0);
        if (g === MIXED) ok &&= slopes.some((s) => s > 0) && slopes.some((s) => s < 0);
        ok &&=
          o.accountF64[4 * j] === exposure.gap[a] &&
          o.accountF64[4 * j + 1] === exposure.health.equity[a] &&
          o.liquidation[o.accountI32[8 * j + 6]!] === exposure.health.equity[a];
        const p0 = o.accountI32[8 * j + 4]!;
        ok &&= o.accountI32[8 * j + 5]! - p0 === slopes.length;
        slopes.forEach((sl, k) => {
          const i = store.accountStart[a]! + k;
          const m = store.positionMarket[i]!;
          ok &&=
            o.positionF64[2 * (p0 + k)] === sl &&
            o.positionI32[4 * (p0 + k) + 3] === m &&
            o.positionI32[4 * (p0 + k) + 2] === 2 * m + (sl < 0 ? 1 : 0) &&
            o.liquidation[o.accountI32[8 * j + 6]! + 1 + 4 * k + 1] === exposure.notional[i] &&
            o.liquidation[o.accountI32[8 * j + 6]! + 1 + 4 * k + 3] === m;
        });
      }
    }
    expect(ok).toBe(true);
    expect(seen.size).toBe(o.count);
  });

  it("lists each group's accounts per market, in reach order, with their legs inline", () => {
    const n = store.marketCount;
    let inline = true;
    const recordOwner = new Map<number, number>();
    for (let j = 0; j < o.count; j++) recordOwner.set(o.accountI32[8 * j + 6]!, j);
    for (let g = FALLS; g <= MIXED; g++) {
      for (let m = 0; m < n; m++) {
        const c = g * n + m;
        const list: number[] = [];
        for (let e = o.listStart[c]!; e < o.listStart[c + 1]!; e++) {
          const w = o.entryOffset[e]!;
          const j = recordOwner.get(o.entryI32[w + 2]!)!;
          list.push(j);
          const p0 = o.accountI32[8 * j + 4]!;
          const k = o.entryI32[w + 3]!;
          inline &&=
            o.entryReach[e] === o.reach[j] &&
            o.entryF64[w / 2] === o.accountF64[4 * j] &&
            k === o.accountI32[8 * j + 5]! - p0 &&
            (e === o.listStart[c] || w > o.entryOffset[e - 1]!);
          if (k === 1) {
            const rec = o.accountI32[8 * j + 6]!;
            for (let f = 0; f < 4; f++) {
              inline &&= o.entryF64[(w + 8) / 2 + f] === o.liquidation[rec + f];
            }
          }
          for (let l = 0; l < k; l++) {
            const x = w + 4 + 4 * l;
            const p = p0 + l;
            inline &&=
              o.entryF64[x / 2] === o.positionF64[2 * p] &&
              o.entryI32[x + 2] === o.positionI32[4 * p + 2] &&
              o.entryI32[x + 3] === o.positionI32[4 * p + 3];
          }
        }
        const want: number[] = [];
        for (let j = o.groupStart[g]!; j < o.groupStart[g + 1]!; j++) {
          for (let p = o.accountI32[8 * j + 4]!; p < o.accountI32[8 * j + 5]!; p++) {
            if (o.positionI32[4 * p + 3] === m) want.push(j);
          }
        }
        expect(list).toEqual(want);
        const x = o.reach[want[want.length >> 1] ?? 0] ?? 0;
        const k = listWithinReach(o, c, x) - o.listStart[c]!;
        expect(list.slice(0, k).every((j) => o.reach[j]! <= x)).toBe(true);
        expect(list.slice(k).every((j) => o.reach[j]! > x)).toBe(true);
      }
    }
    expect(inline).toBe(true);
  });
});
