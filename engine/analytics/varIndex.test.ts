import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { SeededRandom } from "../seededRandom.js";
import { healthAt, isLiquidatableAt } from "./health.js";
import { markExposure } from "./markExposure.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { accountReach } from "./reachOrder.js";
import { syntheticBook } from "./syntheticBook.js";
import { entriesWithinReach, varIndex } from "./varIndex.js";

const b = syntheticBook({ seed: 12, accounts: 2500, positions: 7000, markets: 8 });
const store = buildPositionStore(bookOf(b.state, b.timestamp, referenceRiskModel));
const exposure = markExposure(store);
const scale = Float64Array.from({ length: store.marketCount }, (_, m) => 0.03 + 0.01 * m);
const ix = varIndex(store, exposure, scale);
const n = store.marketCount;
const legsOf = (a: number) => store.accountStart[a + 1]! - store.accountStart[a]!;

describe("varIndex", () => {
  it("sums the accounts liquidatable at the marks once", () => {
    const h = exposure.health;
    let count = 0;
    let notional = 0;
    let bad = 0;
    for (let a = 0; a < store.accountCount; a++) {
      if (!isLiquidatableAt(h, a)) continue;
      count++;
      notional += h.notional[a]!;
      bad += Math.max(0, h.keeperReward[a]! - h.equity[a]!);
    }
    expect(count).toBeGreaterThan(5);
    expect(ix.nowCount).toBe(count);
    expect(ix.nowNotional).toBeCloseTo(notional, 3);
    expect(ix.nowBadDebt).toBeCloseTo(bad, 3);
  });

  it("lists one-leg accounts by market and side, nearest threshold first, records beside", () => {
    const seen = new Map<number, number>();
    for (let c = 0; c < 2 * n; c++) {
      for (let e = ix.oneStart[c]!; e < ix.oneStart[c + 1]!; e++) {
        if (e > ix.oneStart[c]!) expect(ix.oneTau[e]!).toBeLessThanOrEqual(ix.oneTau[e - 1]!);
        seen.set(ix.oneRec[4 * e + 2]! * 1e3 + ix.oneTau[e]!, c);
      }
    }
    let expected = 0;
    for (let a = 0; a < store.accountCount; a++) {
      const i = store.accountStart[a]!;
      const s = exposure.gapSlope[i]!;
      if (legsOf(a) !== 1 || exposure.canLiquidate[a] !== 1 || exposure.gap[a]! < 0 || s === 0) {
        continue;
      }
      expected++;
      const c = 2 * store.positionMarket[i]! + (s < 0 ? 1 : 0);
      const tau = s > 0 ? -exposure.gap[a]! / s : exposure.gap[a]! / s;
      expect(seen.get(exposure.notional[i]! * 1e3 + tau)).toBe(c);
      // Liquidatable exactly beyond its threshold, on the side that hurts it.
      const sigma = s > 0 ? 1 : -1;
      for (const r of [tau * 0.999, tau * 1.001]) {
        const prices = Float64Array.from(store.price, (p, m) =>
          m === store.positionMarket[i] ? p * (1 + sigma * r) : p,
        );
        expect(isLiquidatableAt(healthAt(store, prices), a)).toBe(r < tau);
      }
    }
    expect(seen.size).toBe(expected);
    expect(expected).toBeGreaterThan(100);
  });

  it("lists each multi-leg account under every leg's market and side, by reach", () => {
    const reach = accountReach(store, exposure, scale);
    const lists = new Map<number, number[]>();
    const number = new Map<number, number>();
    let ok = true;
    for (let c = 0; c < 2 * n; c++) {
      for (let e = ix.listStart[c]!; e < ix.listStart[c + 1]!; e++) {
        if (e > ix.listStart[c]!) ok &&= ix.entryReach[e]! >= ix.entryReach[e - 1]!;
        // The entry has every leg of one account, in store order, with what deciding and
        // pricing need, and (a lower bound of) its reach.
        const l0 = ix.entryLeg[e]!;
        const a = accountOf(ix.entryGapEquity[2 * e]!, l0, ix.entryLeg[e + 1]! - l0);
        ok &&= a >= 0 && ix.entryGapEquity[2 * e + 1] === exposure.health.equity[a];
        ok &&= ix.entryReach[e]! <= reach[a]! && ix.entryReach[e]! >= reach[a]! * (1 - 1e-9);
        ok &&= (number.get(a) ?? ix.entryAccount[e]) === ix.entryAccount[e];
        number.set(a, ix.entryAccount[e]!);
        lists.set(a, [...(lists.get(a) ?? []), c]);
      }
    }
    expect(ok).toBe(true);
    let multi = 0;
    for (let a = 0; a < store.accountCount; a++) {
      if (legsOf(a) < 2 || exposure.canLiquidate[a] !== 1 || exposure.gap[a]! < 0) continue;
      multi++;
      const want: number[] = [];
      for (let i = store.accountStart[a]!; i < store.accountStart[a + 1]!; i++) {
        const s = exposure.gapSlope[i]!;
        if (s !== 0) want.push(2 * store.positionMarket[i]! + (s < 0 ? 1 : 0));
      }
      expect(lists.get(a)).toEqual(want.sort((x, y) => x - y));
    }
    expect(ix.multiCount).toBe(multi);
    expect(lists.size).toBe(multi);
    expect(new Set(number.values()).size).toBe(multi);
    expect([...lists.values()].some((cs) => cs.length === 6)).toBe(true);
  });

  it("finds every multi-leg account a move liquidates in one of its legs' lists", () => {
    const rng = new SeededRandom(5);
    let found = 0;
    let ok = true;
    for (let trial = 0; trial < 30; trial++) {
      const size = rng.between(0.2, 3);
      const moves = Float64Array.from(scale, (s) => rng.between(-size, size) * s);
      const h = healthAt(
        store,
        Float64Array.from(store.price, (p, m) => p * (1 + moves[m]!)),
      );
      // The entries a move reaches: per list, the prefix its excursion (in scale) covers.
      const reached = new Set<string>();
      for (let c = 0; c < 2 * n; c++) {
        const mv = moves[c >> 1]!;
        const z = (c & 1) === 0 ? -mv / scale[c >> 1]! : mv / scale[c >> 1]!;
        const end = entriesWithinReach(ix, c, z);
        for (let e = ix.listStart[c]!; e < end; e++) {
          ok &&= ix.entryReach[e]! <= z;
          reached.add(`${ix.entryGapEquity[2 * e]}:${ix.legData[3 * ix.entryLeg[e]!]}`);
        }
        if (end < ix.listStart[c + 1]!) ok &&= ix.entryReach[end]! > z;
      }
      for (let a = 0; a < store.accountCount; a++) {
        if (legsOf(a) < 2 || exposure.gap[a]! < 0 || !isLiquidatableAt(h, a)) continue;
        ok &&= reached.has(`${exposure.gap[a]}:${exposure.gapSlope[store.accountStart[a]!]}`);
        found++;
      }
    }
    expect(ok).toBe(true);
    expect(found).toBeGreaterThan(200);
  });
});

/** The store account an entry stands for (its gap and legs match), or −1. */
function accountOf(gap: number, l0: number, k: number): number {
  const key = `${gap}:${k}:${ix.legData[3 * l0]}`;
  if (byKey === undefined) {
    byKey = new Map();
    for (let a = 0; a < store.accountCount; a++) {
      const i = store.accountStart[a]!;
      byKey.set(`${exposure.gap[a]}:${legsOf(a)}:${exposure.gapSlope[i]}`, a);
    }
  }
  const a = byKey.get(key) ?? -1;
  if (a < 0) return -1;
  const i0 = store.accountStart[a]!;
  for (let l = 0; l < k; l++) {
    const i = i0 + l;
    const s = exposure.gapSlope[i]!;
    const m = store.positionMarket[i]!;
    if (
      ix.legData[3 * (l0 + l)] !== s ||
      ix.legData[3 * (l0 + l) + 1] !== exposure.equitySlope[i] ||
      ix.legData[3 * (l0 + l) + 2] !== exposure.notional[i] ||
      ix.legAdverse[l0 + l] !== 2 * m + (s < 0 ? 1 : 0)
    ) {
      return -1;
    }
  }
  return a;
}
let byKey: Map<string, number> | undefined;
