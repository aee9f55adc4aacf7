import { describe, expect, it } from "vitest";
import { exactIsLiquidatable, exactMarksAt } from "../../protocols/reference/exactBaseline.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { healthAt, isLiquidatableAt } from "./health.js";
import { type LadderPoint, ladderMoves, liquidationLadders } from "./ladder.js";
import { bookOf, buildPositionStore, type PositionStore } from "./positionStore.js";
import { syntheticBook } from "./syntheticBook.js";

/** The slow way: move market m's price, re-evaluate every account holding m. */
function direct(store: PositionStore, m: number, r: number): LadderPoint {
  const prices = new Float64Array(store.price);
  prices[m] = store.price[m]! * (1 + r);
  const h = healthAt(store, prices);
  const out = { count: 0, notional: 0, marketNotional: 0, badDebt: 0 };
  for (let a = 0; a < store.accountCount; a++) {
    let n = -1;
    for (let i = store.accountStart[a]!; i < store.accountStart[a + 1]!; i++) {
      if (store.positionMarket[i] === m) n = Math.abs(store.size[i]!) * prices[m]!;
    }
    if (n < 0 || !isLiquidatableAt(h, a)) continue;
    out.count++;
    out.notional += h.notional[a]!;
    out.marketNotional += n;
    out.badDebt += Math.max(0, h.keeperReward[a]! - h.equity[a]!);
  }
  return out;
}

function expectClose(got: LadderPoint, want: LadderPoint): void {
  expect(got.count).toBe(want.count);
  for (const k of ["notional", "marketNotional", "badDebt"] as const) {
    expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(1e-7 * (want.notional + 1));
  }
}

describe("liquidationLadders", () => {
  const { state, timestamp } = syntheticBook({
    seed: 21,
    accounts: 1500,
    markets: 5,
    entryDispersion: 0.1,
  });
  const store = buildPositionStore(bookOf(state, timestamp, referenceRiskModel));
  const ladders = liquidationLadders(store);

  it("builds ±50% in 0.5% steps for every market by default", () => {
    expect(ladders).toHaveLength(5);
    for (const l of ladders) {
      expect(l.moves).toHaveLength(201);
      expect(l.moves[0]).toBeCloseTo(-0.5, 12);
      expect(l.moves[100]).toBe(0);
      expect(l.prices[200]).toBeCloseTo(l.mark * 1.5, 6);
    }
  });

  it("equals re-evaluating every account at each bin", () => {
    for (const l of ladders) {
      for (let j = 0; j < l.moves.length; j += 7) {
        const want = direct(store, l.market, l.moves[j]!);
        expectClose(
          {
            count: l.count[j]!,
            notional: l.notional[j]!,
            marketNotional: l.marketNotional[j]!,
            badDebt: l.badDebt[j]!,
          },
          want,
        );
      }
      expectClose(l.atMark, direct(store, l.market, 0));
      for (const w of l.within) {
        expectClose(w.down, direct(store, l.market, -w.move));
        expectClose(w.up, direct(store, l.market, w.move));
      }
    }
    // The book has bad debt somewhere on the ladder, and walls on both sides.
    expect(ladders.some((l) => l.badDebt[0]! > 0)).toBe(true);
    expect(ladders.every((l) => l.count[0]! > l.atMark.count)).toBe(true);
    expect(ladders.every((l) => l.count[200]! > l.atMark.count)).toBe(true);
  });

  it("counts what the exact engine counts at sampled bins", () => {
    const accounts = Object.values(state.accounts);
    for (const l of ladders) {
      for (const j of [10, 80, 100, 130, 195]) {
        const prices = new Float64Array(store.price);
        prices[l.market] = l.prices[j]!;
        const marks = exactMarksAt(state, timestamp, prices);
        const key = String(l.market + 1);
        const n = accounts.filter(
          (acc) => acc.positions[key] !== undefined && exactIsLiquidatable(marks, acc),
        ).length;
        expect(l.count[j]).toBe(n);
      }
    }
  });

  it("takes explicit moves and a subset of markets", () => {
    const [l] = liquidationLadders(store, { moves: [-0.2, -0.1, 0.1], markets: [2], within: [] });
    expect(l!.market).toBe(2);
    expect(Array.from(l!.moves)).toEqual([-0.2, -0.1, 0.1]);
    expectClose(
      {
        count: l!.count[1]!,
        notional: l!.notional[1]!,
        marketNotional: l!.marketNotional[1]!,
        badDebt: l!.badDebt[1]!,
      },
      direct(store, 2, -0.1),
    );
    expect(l!.within).toEqual([]);
  });

  it("rejects bad options", () => {
    expect(() => liquidationLadders(store, { moves: [0.1, -0.1] })).toThrow(RangeError);
    expect(() => liquidationLadders(store, { moves: [-1] })).toThrow(RangeError);
    expect(() => liquidationLadders(store, { within: [2] })).toThrow(RangeError);
    expect(() => liquidationLadders(store, { markets: [7] })).toThrow(RangeError);
    expect(() => ladderMoves(1.5)).toThrow(RangeError);
    expect(() => ladderMoves(0.5, 0)).toThrow(RangeError);
  });

  it("is empty for a book without positions", () => {
    const empty = syntheticBook({ seed: 1, accounts: 1, markets: 2 });
    const s = buildPositionStore({
      ...bookOf(empty.state, empty.timestamp, referenceRiskModel),
      accounts: [],
    });
    for (const l of liquidationLadders(s)) {
      expect(l.count.every((c) => c === 0)).toBe(true);
      expect(l.badDebt.every((c) => c === 0)).toBe(true);
    }
  });
});
