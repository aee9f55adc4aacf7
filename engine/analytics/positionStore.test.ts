import { describe, expect, it } from "vitest";
import { exactHealth, exactMarks } from "../../protocols/reference/exactBaseline.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { bookOf, buildPositionStore, marketIndex, storeBytes } from "./positionStore.js";
import { syntheticBook } from "./syntheticBook.js";

const { state, timestamp } = syntheticBook({ seed: 11, accounts: 400, markets: 5 });
const store = buildPositionStore(bookOf(state, timestamp, referenceRiskModel));

describe("PositionStore", () => {
  it("lays positions out in CSR order by account", () => {
    const accounts = Object.values(state.accounts);
    expect(store.accountCount).toBe(accounts.length);
    let n = 0;
    accounts.forEach((acc, a) => {
      expect(store.accountIds[a]).toBe(acc.accountId);
      const keys = Object.keys(acc.positions);
      expect(store.accountStart[a + 1]! - store.accountStart[a]!).toBe(keys.length);
      keys.forEach((k, j) => {
        const i = store.accountStart[a]! + j;
        expect(store.positionAccount[i]).toBe(a);
        expect(store.positionMarket[i]).toBe(Number(k) - 1);
        expect(store.size[i]).toBeCloseTo(Number(acc.positions[k]!.size) / 1e18, 9);
      });
      n += keys.length;
    });
    expect(store.positionCount).toBe(n);
    expect(store.accountStart[store.accountCount]).toBe(n);
    expect(storeBytes(store)).toBeGreaterThan(n * 8 * 8);
  });

  it("reproduces the exact engine's funding index and, through it, equity and margins", () => {
    const marks = exactMarks(state, timestamp);
    marks.forEach((mark, m) => {
      if ("error" in mark) throw new Error("unexpected");
      expect(store.fundingIndex[m]! / (Number(mark.index) / 1e18)).toBeCloseTo(1, 12);
      const viaAffine = store.fundingIndexBase[m]! + store.fundingPerPrice[m]! * store.price[m]!;
      expect(Math.abs(viaAffine - store.fundingIndex[m]!)).toBeLessThan(1e-9 * store.price[m]!);
    });
    const accounts = Object.values(state.accounts);
    accounts.forEach((acc, a) => {
      const h = exactHealth(marks, acc);
      let e = store.collateral[a]!;
      let mm = 0;
      for (let i = store.accountStart[a]!; i < store.accountStart[a + 1]!; i++) {
        const m = store.positionMarket[i]!;
        e += store.equityPerPrice[i]! * store.price[m]! + store.equityConst[i]!;
        mm += store.mmPerPrice[i]! * store.price[m]! + store.minPositionMargin[m]!;
      }
      const scale = Number(h.notional) / 1e18 + 1;
      expect(Math.abs(e - Number(h.equity) / 1e18) / scale).toBeLessThan(1e-12);
      expect(Math.abs(mm - Number(h.maintenanceMargin) / 1e18) / scale).toBeLessThan(1e-12);
    });
  });

  it("grows its columns for accounts with many positions", () => {
    const dense = syntheticBook({ seed: 4, accounts: 10, positions: 60, markets: 6 });
    const s = buildPositionStore(bookOf(dense.state, dense.timestamp, referenceRiskModel));
    expect(s.positionCount).toBe(60);
    expect(s.size).toHaveLength(60);
    expect(s.accountStart[10]).toBe(60);
    expect(
      Array.from(s.positionAccount).every((a, i) => i === 0 || a >= s.positionAccount[i - 1]!),
    ).toBe(true);
  });

  it("accepts accounts as an iterable and finds market indices", () => {
    const s2 = buildPositionStore({
      markets: state.markets,
      accounts: Object.values(state.accounts).slice(0, 10),
      prices: state.oracle.prices,
      timestamp,
      model: referenceRiskModel,
    });
    expect(s2.accountCount).toBe(10);
    expect(marketIndex(s2, 3n)).toBe(2);
    expect(() => marketIndex(s2, 9n)).toThrow(RangeError);
  });

  it("rejects positions in markets without a price, and unknown markets", () => {
    const acc = Object.values(state.accounts)[0]!;
    const key = Object.keys(acc.positions)[0]!;
    const prices = { ...state.oracle.prices };
    delete prices[key];
    expect(() =>
      buildPositionStore({
        markets: state.markets,
        accounts: [acc],
        prices,
        timestamp,
        model: referenceRiskModel,
      }),
    ).toThrow(/no oracle price/);
    const bad = { ...acc, positions: { "9": acc.positions[key]! } };
    expect(() =>
      buildPositionStore({ ...bookOf(state, timestamp, referenceRiskModel), accounts: [bad] }),
    ).toThrow(/unknown market 9/);
  });
});
