import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Account, ExchangeState, Position } from "../../protocols/reference/engine/index.js";
import { exactIsLiquidatable, exactMarksAt } from "../../protocols/reference/exactBaseline.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { isLiquidatableAt } from "./health.js";
import {
  isBeyond,
  marketThresholds,
  shockThresholds,
  solveThreshold,
  type Thresholds,
  thresholdPrices,
} from "./liquidationThreshold.js";
import { markExposure } from "./markExposure.js";
import { bookOf, buildPositionStore, type PositionStore } from "./positionStore.js";
import { DEVNET_MARKET_SPECS, syntheticBook } from "./syntheticBook.js";

const INF = Number.POSITIVE_INFINITY;
const EPS = 1e-6;

function one(gap: number, slope: number, can = true, lo = -1, hi = INF): [number, number] {
  const t: Thresholds = { lower: new Float64Array(1), upper: new Float64Array(1) };
  solveThreshold(t, 0, gap, slope, can, lo, hi);
  return [t.lower[0]!, t.upper[0]!];
}

describe("solveThreshold", () => {
  it("covers each case of the line gap + slope·r", () => {
    expect(one(100, 1000)).toEqual([-0.1, INF]); // long: liquidatable below −10%
    expect(one(100, -1000)).toEqual([-INF, 0.1]); // short: above +10%
    expect(one(-100, 1000)).toEqual([0.1, INF]); // already liquidatable, cured above +10%
    expect(one(100, 50)).toEqual([-INF, INF]); // would need a move below −100%
    expect(one(100, 0)).toEqual([-INF, INF]); // perfectly hedged, healthy: never
    expect(one(-1, 0)).toEqual([INF, -INF]); // perfectly hedged, underwater: always
    expect(one(-100, 1000, false)).toEqual([-INF, INF]); // MM = 0: never
    expect(one(-100, -50, true, -1, INF)).toEqual([INF, -INF]); // crossing below the domain
    expect(one(100, 50, true, -10, 1)).toEqual([-2, INF]); // a wider domain admits r* = −2
    expect(one(-100, 50, true, -10, 1)).toEqual([INF, -INF]); // r* = 2 ≥ hi: always inside
  });

  it("agrees with the sign of the line everywhere (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e7, max: 1e7, noNaN: true }),
        fc.double({ min: -0.999, max: 5, noNaN: true }),
        (gap, slope, r) => {
          const t: Thresholds = { lower: new Float64Array(1), upper: new Float64Array(1) };
          solveThreshold(t, 0, gap, slope, true, -1, INF);
          const f = gap + slope * r;
          // Away from the crossing itself the prediction is the sign of the line.
          if (Math.abs(f) > 1e-9 * (Math.abs(gap) + Math.abs(slope))) {
            expect(isBeyond(t, 0, r)).toBe(f < 0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

function storeOf(state: ExchangeState, timestamp: bigint): PositionStore {
  return buildPositionStore(bookOf(state, timestamp, referenceRiskModel));
}

/** Exact check of account `acc` at float prices. */
function exactAt(state: ExchangeState, ts: bigint, prices: Float64Array, acc: Account): boolean {
  return exactIsLiquidatable(exactMarksAt(state, ts, prices), acc);
}

describe("agreement with the exact engine", () => {
  const { state, timestamp } = syntheticBook({
    seed: 5,
    accounts: 2500,
    markets: 5,
    hedgedShare: 0.5,
    entryDispersion: 0.08,
  });
  const store = storeOf(state, timestamp);
  const exposure = markExposure(store);
  const accounts = Object.values(state.accounts);

  it("flags the same accounts liquidatable at the mark", () => {
    const marks = exactMarksAt(state, timestamp, store.price);
    let liq = 0;
    accounts.forEach((acc, a) => {
      const exact = exactIsLiquidatable(marks, acc);
      if (exact) liq++;
      expect(isLiquidatableAt(exposure.health, a)).toBe(exact);
    });
    expect(liq).toBeGreaterThan(0); // the book has some underwater accounts
  });

  it("flips exactly at the single-market threshold ±1e-6 (thousands of accounts, hedged ones too)", () => {
    const t = marketThresholds(store, exposure);
    const prices = new Float64Array(store.price);
    let flips = 0;
    let hedgedFlips = 0;
    let never = 0;
    for (let a = 0; a < store.accountCount; a++) {
      const acc = accounts[a]!;
      let long = false;
      let short = false;
      for (let i = store.accountStart[a]!; i < store.accountStart[a + 1]!; i++) {
        if (store.size[i]! > 0) long = true;
        else short = true;
      }
      for (let i = store.accountStart[a]!; i < store.accountStart[a + 1]!; i++) {
        const m = store.positionMarket[i]!;
        const mark = store.price[m]!;
        const lo = t.lower[i]!;
        const hi = t.upper[i]!;
        const check = (r: number) => {
          prices[m] = mark * (1 + r);
          const v = exactAt(state, timestamp, prices, acc);
          prices[m] = mark;
          return v;
        };
        if (Number.isFinite(lo)) {
          const p = mark * (1 + lo);
          expect(check((p * (1 - EPS)) / mark - 1)).toBe(true);
          expect(check((p * (1 + EPS)) / mark - 1)).toBe(false);
          flips++;
          if (long && short) hedgedFlips++;
        } else if (Number.isFinite(hi)) {
          const p = mark * (1 + hi);
          expect(check((p * (1 + EPS)) / mark - 1)).toBe(true);
          expect(check((p * (1 - EPS)) / mark - 1)).toBe(false);
          flips++;
          if (long && short) hedgedFlips++;
        } else {
          const always = lo === INF;
          expect(check(-0.999)).toBe(always);
          expect(check(20)).toBe(always);
          never++;
        }
      }
    }
    expect(flips).toBeGreaterThan(5000);
    expect(hedgedFlips).toBeGreaterThan(500);
    expect(never).toBeGreaterThan(0); // low-leverage longs: no positive liquidation price
  });

  it("flips exactly at the correlated-shock threshold ±1e-6, legs netted", () => {
    const betas = new Float64Array([1, 1.15, 1.35, 1.5, 1.9]);
    const t = shockThresholds(store, exposure, betas);
    const delta = EPS / 1.9;
    const prices = new Float64Array(store.price.length);
    const at = (x: number, acc: Account) => {
      for (let m = 0; m < prices.length; m++) prices[m] = store.price[m]! * (1 + betas[m]! * x);
      return exactAt(state, timestamp, prices, acc);
    };
    let flips = 0;
    for (let a = 0; a < store.accountCount; a++) {
      const acc = accounts[a]!;
      const lo = t.lower[a]!;
      const hi = t.upper[a]!;
      if (Number.isFinite(lo)) {
        expect(at(lo - delta, acc)).toBe(true);
        expect(at(lo + delta, acc)).toBe(false);
        flips++;
      } else if (Number.isFinite(hi)) {
        expect(at(hi + delta, acc)).toBe(true);
        expect(at(hi - delta, acc)).toBe(false);
        flips++;
      } else {
        expect(at(0, acc)).toBe(lo === INF);
      }
    }
    expect(flips).toBeGreaterThan(2000);
  });

  it("agrees on arbitrary single accounts, extreme sizes included (property)", () => {
    const specs = DEVNET_MARKET_SPECS.slice(0, 3);
    const leg = fc.record({
      market: fc.integer({ min: 0, max: 2 }),
      // up to 3× skewScale notional: imr·mmScalar above 1 turns a long's threshold upward
      units: fc.double({ min: -3, max: 3, noNaN: true }).filter((u) => Math.abs(u) > 1e-4),
      entry: fc.double({ min: 0.5, max: 1.5, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(leg, { minLength: 1, maxLength: 3 }),
        fc.double({ min: 10, max: 5e8, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 30 }),
        (legs, collateral, seed) => {
          const { state: base } = syntheticBook({ seed, accounts: 1, markets: specs });
          const positions: Record<string, Position> = {};
          let openMarkets = 0n;
          for (const l of legs) {
            const s = specs[l.market]!;
            const key = String(l.market + 1);
            positions[key] = {
              size: BigInt(Math.round(l.units * s.skewScale * 1e6)) * 10n ** 12n,
              lastPrice: BigInt(Math.round(s.price * l.entry * 1e6)) * 10n ** 12n,
              lastFundingIndex: 0n,
            };
            openMarkets |= 1n << BigInt(l.market);
          }
          const acc: Account = {
            accountId: 1n,
            owner: "0x00000000000000000000000000000000000000aa",
            collateral: BigInt(Math.round(collateral)) * 10n ** 18n,
            openMarkets,
            positions,
            adlRecords: {},
          };
          const st: ExchangeState = { ...base, accounts: { "1": acc } };
          const s = storeOf(st, timestamp);
          const ex = markExposure(s);
          const t = marketThresholds(s, ex);
          const prices = new Float64Array(s.price);
          for (let i = 0; i < s.positionCount; i++) {
            const m = s.positionMarket[i]!;
            const mark = s.price[m]!;
            const probe = (price: number) => {
              prices[m] = price;
              const v = exactAt(st, timestamp, prices, acc);
              prices[m] = mark;
              return v;
            };
            const lo = t.lower[i]!;
            const hi = t.upper[i]!;
            if (Number.isFinite(lo)) {
              expect(probe(mark * (1 + lo) * (1 - EPS))).toBe(true);
              expect(probe(mark * (1 + lo) * (1 + EPS))).toBe(false);
            } else if (Number.isFinite(hi)) {
              expect(probe(mark * (1 + hi) * (1 + EPS))).toBe(true);
              expect(probe(mark * (1 + hi) * (1 - EPS))).toBe(false);
            } else {
              expect(probe(mark * 1e-3)).toBe(lo === INF);
              expect(probe(mark * 50)).toBe(lo === INF);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("cross-margin netting", () => {
  it("a hedged account's thresholds reflect both legs", () => {
    // Long 1 BTC, short 28 ETH (≈ equal notional), 10% margin on the gross.
    const { state: base, timestamp } = syntheticBook({ seed: 1, accounts: 1, markets: 2 });
    const mk = (positions: Account["positions"], openMarkets: bigint): Account => ({
      accountId: 1n,
      owner: "0x00000000000000000000000000000000000000aa",
      collateral: 19_000n * 10n ** 18n,
      openMarkets,
      positions,
      adlRecords: {},
    });
    const btc = { size: 10n ** 18n, lastPrice: 95_000n * 10n ** 18n, lastFundingIndex: 0n };
    const eth = { size: -28n * 10n ** 18n, lastPrice: 3_400n * 10n ** 18n, lastFundingIndex: 0n };
    const hedged = mk({ "1": btc, "2": eth }, 3n);
    const naked = mk({ "1": btc }, 1n);
    const th = (acc: Account) => {
      const s = storeOf({ ...base, accounts: { "1": acc } }, timestamp);
      const ex = markExposure(s);
      return {
        market: marketThresholds(s, ex),
        shock: shockThresholds(s, ex, [1, 1]),
        prices: thresholdPrices(s, marketThresholds(s, ex)),
      };
    };
    const h = th(hedged);
    const n = th(naked);
    // One leg moving alone: the hedge's margin makes BTC's threshold nearer than the naked long's.
    expect(h.market.lower[0]!).toBeGreaterThan(n.market.lower[0]!);
    expect(h.market.upper[1]!).toBeGreaterThan(0); // the ETH short is liquidated on a rally
    expect(h.prices.below[0]!).toBeCloseTo(95_000 * (1 + h.market.lower[0]!), 6);
    expect(Number.isNaN(h.prices.above[0]!)).toBe(true);
    // Both legs moving together: the legs offset, so the shock needed is far larger.
    const hx = Number.isFinite(h.shock.lower[0]!) ? h.shock.lower[0]! : h.shock.upper[0]!;
    expect(Math.abs(hx)).toBeGreaterThan(5 * Math.abs(n.shock.lower[0]!));
  });
});
