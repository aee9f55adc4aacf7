import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactIsLiquidatable, exactMarksAt } from "../../protocols/reference/exactBaseline.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { type CascadeOptions, cascade, prepareCascade, runCascade, type Shock } from "./cascade.js";
import { healthAt, isLiquidatableAt } from "./health.js";
import { defaultMarketModel, type MarketModel } from "./marketModel.js";
import { bookOf, buildPositionStore, type PositionStore } from "./positionStore.js";
import { type HandmadeAccount, handmadeBook, syntheticBook } from "./syntheticBook.js";

function storeOf(b: ReturnType<typeof syntheticBook>): PositionStore {
  return buildPositionStore(bookOf(b.state, b.timestamp, referenceRiskModel));
}

/** The model with every market's depth and volume multiplied by `k`. */
function deeper(model: MarketModel, k: number): MarketModel {
  return {
    correlation: model.correlation,
    markets: model.markets.map((p) => ({
      ...p,
      dailyVolume: p.dailyVolume * k,
      depthPer1Pct: p.depthPer1Pct * k,
    })),
  };
}

/** 50 accounts at ~10x long BTC (liquidated below −9%) and 50 at ~7.5x long `second`. */
function twoClusters(second: number): ReturnType<typeof handmadeBook> {
  const accounts: HandmadeAccount[] = [];
  for (let i = 0; i < 50; i++) accounts.push({ collateral: 9_500, legs: [{ market: 0, size: 1 }] });
  const price = [95_000, 3_400][second]!;
  for (let i = 0; i < 50; i++) {
    accounts.push({ collateral: 12_700, legs: [{ market: second, size: 95_000 / price }] });
  }
  return handmadeBook(accounts);
}

function thinBtc(store: PositionStore, depthPer1Pct: number): MarketModel {
  const model = defaultMarketModel(store);
  model.markets[0] = { ...model.markets[0]!, depthPer1Pct, dailyVolume: depthPer1Pct * 100 };
  return model;
}

describe("cascade", () => {
  it("does nothing without positions", () => {
    const b = syntheticBook({ seed: 1, accounts: 1, markets: 3 });
    const store = buildPositionStore({
      ...bookOf(b.state, b.timestamp, referenceRiskModel),
      accounts: [],
    });
    const r = cascade(store, { kind: "correlated", move: -0.4 });
    expect(r.rounds).toEqual([]);
    expect(r.converged).toBe(true);
    expect(r.liquidatedAccounts).toBe(0);
    expect(r.badDebt).toBe(0);
    expect(r.amplification).toBe(1);
    expect(Array.from(r.finalMoves)).toEqual(Array.from(r.initialMoves));
    expect(r.pricePath[0]).toHaveLength(2);
  });

  it("has amplification 1 without impact, liquidating exactly what the shock reaches", () => {
    const b = syntheticBook({ seed: 4, accounts: 3000, markets: 5 });
    const store = storeOf(b);
    const ctx = prepareCascade(store);
    for (const shock of [
      { kind: "correlated", move: -0.15 },
      { kind: "correlated", move: 0.2 },
      { kind: "market", market: 2, move: -0.3 },
    ] as Shock[]) {
      const r = runCascade(ctx, shock, { impact: "none" });
      expect(r.amplification).toBe(1);
      expect(r.rounds.length).toBeLessThanOrEqual(1);
      expect(r.converged).toBe(true);
      const h = healthAt(store, r.finalPrices);
      const want = [];
      for (let a = 0; a < store.accountCount; a++) if (isLiquidatableAt(h, a)) want.push(a);
      expect(Array.from(r.liquidated).sort((x, y) => x - y)).toEqual(want);
      expect(r.liquidatedAccounts).toBeGreaterThan(0);
    }
  });

  it("reaches a fixed point the exact engine agrees with", () => {
    const b = syntheticBook({ seed: 6, accounts: 1500, markets: 5 });
    const store = storeOf(b);
    const r = cascade(
      store,
      { kind: "correlated", move: -0.12 },
      { impact: "linear" },
      deeper(defaultMarketModel(store), 0.02),
    );
    expect(r.converged).toBe(true);
    expect(r.rounds.length).toBeGreaterThan(1);
    const marks = exactMarksAt(b.state, b.timestamp, r.finalPrices);
    const gone = new Set(r.liquidated);
    Object.values(b.state.accounts).forEach((acc, a) => {
      if (!gone.has(a)) expect(exactIsLiquidatable(marks, acc)).toBe(false);
    });
    // Each round liquidated exactly the accounts liquidatable at the prices it started from.
    let before = r.initialMoves;
    let seen = 0;
    for (const round of r.rounds) {
      const h = healthAt(
        store,
        Float64Array.from(before, (mv, m) => store.price[m]! * (1 + mv)),
      );
      const ids = Array.from(r.liquidated.subarray(seen, seen + round.liquidatedAccounts));
      for (const a of ids) expect(isLiquidatableAt(h, a)).toBe(true);
      seen += round.liquidatedAccounts;
      before = round.moves;
    }
    expect(r.amplification).toBeGreaterThan(1);
  });

  it("cascades from a first cluster into a second, in the same market", () => {
    const b = twoClusters(0);
    const store = storeOf(b);
    const model = thinBtc(store, 1_000_000);
    const shock: Shock = { kind: "market", market: 0, move: -0.1 };
    const direct = cascade(store, shock, { impact: "none" }, model);
    expect(direct.liquidatedAccounts).toBe(50);
    expect(Array.from(direct.liquidated).every((a) => a < 50)).toBe(true);
    const r = cascade(store, shock, { impact: "linear" }, model);
    expect(r.liquidatedAccounts).toBe(100);
    expect(r.rounds[0]!.liquidatedAccounts).toBe(50);
    expect(r.rounds[1]!.liquidatedAccounts).toBe(50);
    expect(r.amplification).toBeGreaterThan(1.3);
    expect(r.pricePath[0]![1]).toBeCloseTo(85_500, 6);
    expect(r.pricePath[0]![2]!).toBeLessThan(95_000 * 0.876);
    // The first wave sells 50 BTC, counted at the mark like the depth it meets.
    expect(r.rounds[0]!.netFlow[0]!).toBeCloseTo(-50 * 95_000, 3);
  });

  it("cascades from a first cluster into a second through correlation", () => {
    const b = twoClusters(1);
    const store = storeOf(b);
    const model = thinBtc(store, 300_000);
    const shock: Shock = { kind: "market", market: 0, move: -0.1 };
    const alone = cascade(store, shock, { impact: "linear", spillover: false }, model);
    expect(alone.liquidatedAccounts).toBe(50);
    expect(alone.finalMoves[1]).toBe(0);
    const r = cascade(store, shock, { impact: "linear" }, model);
    expect(r.liquidatedAccounts).toBe(100);
    expect(Array.from(r.liquidated.subarray(50)).every((a) => a >= 50)).toBe(true);
    expect(r.finalMoves[1]!).toBeLessThan(-0.124);
    expect(r.liquidatedNotionalByMarket[1]!).toBeGreaterThan(0);
  });

  it("runs the waterfall: penalties in, bad debt covered by the fund, ADL beyond it", () => {
    const b = twoClusters(0);
    const store = storeOf(b);
    const model = thinBtc(store, 200_000);
    const shock: Shock = { kind: "market", market: 0, move: -0.25 };
    const none = cascade(store, shock, { impact: "linear" }, model);
    expect(none.badDebt).toBeGreaterThan(0);
    expect(none.adlTriggered).toBe(true);
    expect(none.uncoveredBadDebt).toBeCloseTo(none.badDebt, 6);
    expect(none.insuranceCoverage).toBe(0);
    const rich = cascade(store, shock, { impact: "linear", insuranceFund: 1e9 }, model);
    expect(rich.adlTriggered).toBe(false);
    expect(rich.insuranceCoverage).toBe(1);
    expect(rich.insuranceFundEnd).toBeCloseTo(1e9 + rich.penalties - rich.badDebt, 3);
    const some = cascade(
      store,
      shock,
      { impact: "linear", insuranceFund: none.badDebt / 2 },
      model,
    );
    expect(some.adlTriggered).toBe(true);
    expect(some.insuranceCoverage).toBeGreaterThanOrEqual(0.5 - 1e-12);
    expect(some.insuranceCoverage).toBeLessThan(1);
  });

  it("stops at the round limit and says so", () => {
    const b = twoClusters(0);
    const store = storeOf(b);
    const r = cascade(
      store,
      { kind: "market", market: 0, move: -0.1 },
      { impact: "linear", maxRounds: 1 },
      thinBtc(store, 1_000_000),
    );
    expect(r.rounds).toHaveLength(1);
    expect(r.converged).toBe(false);
    expect(r.liquidatedAccounts).toBe(50);
  });

  it("can leave accounts that are liquidatable at the mark alone", () => {
    const b = syntheticBook({ seed: 2, accounts: 2000, markets: 5 });
    const store = storeOf(b);
    const ctx = prepareCascade(store);
    const withOld = runCascade(ctx, { kind: "correlated", move: 0 }, { impact: "none" });
    expect(withOld.liquidatedAccounts).toBeGreaterThan(0);
    expect(withOld.amplification).toBe(1);
    const without = runCascade(
      ctx,
      { kind: "correlated", move: 0 },
      { impact: "none", includeAlreadyLiquidatable: false },
    );
    expect(without.liquidatedAccounts).toBe(0);
  });

  it("rejects bad shocks and options", () => {
    const b = syntheticBook({ seed: 2, accounts: 10, markets: 2 });
    const ctx = prepareCascade(storeOf(b));
    expect(() => runCascade(ctx, { kind: "market", market: 2, move: -0.1 })).toThrow(RangeError);
    expect(() => runCascade(ctx, { kind: "market", market: 0, move: Number.NaN })).toThrow(
      RangeError,
    );
    expect(() => runCascade(ctx, { kind: "correlated", move: -0.1, betas: [1] })).toThrow(
      RangeError,
    );
    expect(() => runCascade(ctx, { kind: "correlated", move: -0.1 }, { maxRounds: 0 })).toThrow(
      RangeError,
    );
    expect(() =>
      runCascade(ctx, { kind: "correlated", move: -0.1 }, { insuranceFund: -1 }),
    ).toThrow(RangeError);
    // A shock past −100% is floored at −99%.
    const r = runCascade(ctx, { kind: "correlated", move: -3 }, { impact: "none" });
    expect(r.initialMoves.every((m) => m >= -0.99)).toBe(true);
  });

  it("never liquidates more when depth doubles (property)", () => {
    // Directional books (single-market accounts, healthy at the mark) under a fall: every
    // liquidation sells, every impact pushes further down, so more depth can only mean less.
    // It is not true in general, which is why the property is stated for such books only: an
    // account long BTC and short ETH survives a BTC cascade while ETH, dragged down by
    // spillover, pays its short; with twice the depth ETH falls less, the hedge earns less and
    // the account is liquidated. Likewise liquidated shorts buy, and in a thin market that
    // buying holds up the price for the longs; deeper, it does not.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.double({ min: -0.35, max: -0.01, noNaN: true }),
        fc.constantFrom<CascadeOptions["impact"]>("linear", "sqrt"),
        fc.double({ min: 0.001, max: 2, noNaN: true }),
        fc.boolean(),
        (seed, move, impact, scale, correlated) => {
          const b = syntheticBook({ seed, accounts: 150, positions: 150, markets: 4 });
          const store = storeOf(b);
          const base = deeper(defaultMarketModel(store), scale);
          const shock: Shock = correlated
            ? { kind: "correlated", move }
            : { kind: "market", market: seed % 4, move };
          const opts: CascadeOptions = { impact, includeAlreadyLiquidatable: false };
          const thin = cascade(store, shock, opts, base);
          const deep = cascade(store, shock, opts, deeper(base, 2));
          expect(deep.liquidatedNotionalAtMark).toBeLessThanOrEqual(
            thin.liquidatedNotionalAtMark * (1 + 1e-12),
          );
          const thinSet = new Set(thin.liquidated);
          for (const a of deep.liquidated) expect(thinSet.has(a)).toBe(true);
          expect(deep.amplification).toBeLessThanOrEqual(thin.amplification * (1 + 1e-12));
        },
      ),
      {
        numRuns: 150,
        // Books whose markets floor at −99% (found when liquidation flow was valued at the
        // fallen price, which broke the property there), always tried.
        examples: [
          [788806988, -0.01, "linear", 0.007145997113920507, false],
          [874826453, -0.01, "linear", 0.010859976579934694, false],
        ],
      },
    );
  });
});
