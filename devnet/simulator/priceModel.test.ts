import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../engine/seededRandom.js";
import { DEFAULT_CORRELATION, DEFAULT_MARKETS } from "../../protocols/reference/devnet/markets.js";
import { PriceModel } from "./priceModel.js";

function logReturns(seed: number, steps: number, dt: number): number[][] {
  const model = new PriceModel(DEFAULT_MARKETS, DEFAULT_CORRELATION, new SeededRandom(seed));
  const out: number[][] = [];
  let prev = model.prices();
  for (let i = 0; i < steps; i++) {
    const next = model.step(dt, { volScale: 1, drift: [], jump: [] });
    out.push(next.map((p, k) => Math.log(p / prev[k]!)));
    prev = next;
  }
  return out;
}

function corr(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe("PriceModel", () => {
  it("reproduces the same path for the same seed and a different one for another", () => {
    expect(logReturns(7, 50, 1)).toEqual(logReturns(7, 50, 1));
    expect(logReturns(7, 50, 1)).not.toEqual(logReturns(8, 50, 1));
  });

  it("has the configured correlation and volatility, jumps included (hourly steps)", () => {
    const r = logReturns(1, 40_000, 3_600);
    const btc = r.map((x) => x[0]!);
    const eth = r.map((x) => x[1]!);
    // Diffusion variance per hour plus independent jump variance per hour, for each market.
    const [mb, me] = [DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!];
    const diff = (m: typeof mb) => m.annualVol ** 2 / (365 * 24);
    const jumps = (m: typeof mb) => (m.jumpsPerDay / 24) * (m.jumpSd ** 2 + m.jumpMean ** 2);
    const expectedCorr =
      (DEFAULT_CORRELATION[0]![1]! * Math.sqrt(diff(mb) * diff(me))) /
      Math.sqrt((diff(mb) + jumps(mb)) * (diff(me) + jumps(me)));
    expect(corr(btc, eth)).toBeCloseTo(expectedCorr, 1);
    const sd = Math.sqrt(btc.reduce((s, x) => s + x * x, 0) / btc.length);
    expect(sd / Math.sqrt(diff(mb) + jumps(mb))).toBeGreaterThan(0.95);
    expect(sd / Math.sqrt(diff(mb) + jumps(mb))).toBeLessThan(1.05);
  });

  it("applies scenario drift and jumps on top of the walk", () => {
    const model = new PriceModel(DEFAULT_MARKETS, DEFAULT_CORRELATION, new SeededRandom(3));
    const before = model.prices()[1]!;
    const after = model.step(1, { volScale: 0, drift: [0, Math.log(0.75)], jump: [] })[1]!;
    expect(after / before).toBeCloseTo(0.75, 6);
  });

  it("rejects a correlation that is not positive definite", () => {
    const two = DEFAULT_MARKETS.slice(0, 2);
    const bad = [
      [1, 2],
      [2, 1],
    ];
    expect(() => new PriceModel(two, bad, new SeededRandom(1))).toThrow(/positive definite/);
  });
});
