import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { cholesky } from "./cholesky.js";
import { DEFAULT_CORRELATION, DEFAULT_MARKETS, defaultMarket } from "./defaultMarkets.js";
import { defaultMarketModel } from "./marketModel.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { DEVNET_MARKET_SPECS, syntheticBook } from "./syntheticBook.js";

describe("default markets", () => {
  it("write every parameter as an exact decimal of at most 18 places", () => {
    for (const m of DEFAULT_MARKETS) {
      for (const [key, v] of Object.entries(m.params)) {
        const text = String(v);
        // What devnet parses to D18: a plain decimal (no exponent), ≤ 18 places, that reads back.
        expect(text, `${m.symbol}.${key}`).toMatch(/^\d+(\.\d{1,18})?$/);
        expect(Number(text)).toBe(v);
      }
      expect(m.initialPrice).toBeGreaterThan(0);
    }
  });

  it("have a symmetric, positive-definite correlation in market order", () => {
    const n = DEFAULT_MARKETS.length;
    expect(DEFAULT_CORRELATION).toHaveLength(n);
    const flat = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      expect(DEFAULT_CORRELATION[i]![i]).toBe(1);
      for (let j = 0; j < n; j++) {
        expect(DEFAULT_CORRELATION[i]![j]).toBe(DEFAULT_CORRELATION[j]![i]);
        flat[i * n + j] = DEFAULT_CORRELATION[i]![j]!;
      }
    }
    expect(() => cholesky(flat, n)).not.toThrow();
    expect(defaultMarket("ETH")?.params.skewScale).toBe(250_000);
    expect(defaultMarket("PEPE")).toBeUndefined();
  });

  it("are what the synthetic books and the default market model use", () => {
    expect(DEVNET_MARKET_SPECS.map((s) => s.symbol)).toEqual(DEFAULT_MARKETS.map((m) => m.symbol));
    DEVNET_MARKET_SPECS.forEach((s, i) => {
      const m = DEFAULT_MARKETS[i]!;
      expect(s.price).toBe(m.initialPrice);
      expect(s.imrMin).toBe(m.params.imrMin);
      expect(s.maxOpenInterest).toBe(m.params.maxOpenInterest);
    });
    const b = syntheticBook({ seed: 2, accounts: 10, markets: 5 });
    const model = defaultMarketModel(
      buildPositionStore(bookOf(b.state, b.timestamp, referenceRiskModel)),
    );
    model.markets.forEach((p, i) => {
      expect(p.dailyVol).toBeCloseTo(DEFAULT_MARKETS[i]!.annualVol / Math.sqrt(365), 15);
      expect(p.jumpsPerDay).toBe(DEFAULT_MARKETS[i]!.jumpsPerDay);
    });
    expect(model.correlation[3 * 5 + 1]).toBe(DEFAULT_CORRELATION[3]![1]);
  });
});
