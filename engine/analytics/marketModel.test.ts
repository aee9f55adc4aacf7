import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { cholesky } from "./cholesky.js";
import {
  defaultMarketModel,
  shockBetas,
  spilloverMatrix,
  validateMarketModel,
} from "./marketModel.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { syntheticBook } from "./syntheticBook.js";

function store(markets: number) {
  const b = syntheticBook({ seed: 3, accounts: 20, markets });
  return buildPositionStore(bookOf(b.state, b.timestamp, referenceRiskModel));
}

describe("MarketModel", () => {
  it("defaults to the devnet's volatilities and correlations for its markets", () => {
    const model = defaultMarketModel(store(5));
    validateMarketModel(model, 5);
    expect(model.markets.map((m) => m.symbol)).toEqual(["BTC", "ETH", "SOL", "DOGE", "WIF"]);
    expect(model.markets[0]!.dailyVol).toBeCloseTo(0.55 / Math.sqrt(365), 12);
    expect(model.markets[4]!.jumpsPerDay).toBe(6);
    expect(model.correlation[1]).toBe(0.85);
    expect(model.correlation[3 * 5 + 4]).toBe(0.6);
    expect(() => cholesky(model.correlation, 5)).not.toThrow();
    for (const m of model.markets) expect(m.depthPer1Pct).toBeCloseTo(m.dailyVolume / 100, 6);
  });

  it("falls back to a positive-definite constant correlation for other symbols", () => {
    const model = defaultMarketModel(store(20));
    validateMarketModel(model, 20);
    expect(model.correlation[1]).toBe(0.6);
    expect(model.markets[7]!.dailyVol).toBeCloseTo(1.2 / Math.sqrt(365), 12);
    expect(() => cholesky(model.correlation, 20)).not.toThrow();
  });

  it("validates with messages that name the key", () => {
    const model = defaultMarketModel(store(3));
    expect(() => validateMarketModel(model, 4)).toThrow(/markets.length: 3/);
    const bad = { ...model, markets: model.markets.map((m) => ({ ...m })) };
    bad.markets[1]!.depthPer1Pct = 0;
    expect(() => validateMarketModel(bad, 3)).toThrow(/markets\[1\]\.depthPer1Pct: 0 is not > 0/);
    const asym = { ...model, correlation: Float64Array.from(model.correlation) };
    asym.correlation[1] = 0.1;
    expect(() => validateMarketModel(asym, 3)).toThrow(/symmetric/);
  });

  it("derives shock betas and spillover as regression betas", () => {
    const model = defaultMarketModel(store(5));
    const b = shockBetas(model);
    expect(b[0]).toBe(1);
    const s = model.markets.map((m) => m.dailyVol);
    expect(b[4]).toBeCloseTo((0.55 * s[4]!) / s[0]!, 12);
    const sp = spilloverMatrix(model);
    expect(sp[0]).toBe(1);
    expect(sp[1 * 5 + 0]).toBeCloseTo((0.85 * s[1]!) / s[0]!, 12);
    expect(shockBetas(model, 1)[1]).toBe(1);
    expect(() => shockBetas(model, 9)).toThrow(RangeError);
  });
});
