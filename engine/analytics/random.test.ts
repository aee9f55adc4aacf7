import { describe, expect, it } from "vitest";
import { SeededRandom } from "./random.js";

describe("SeededRandom", () => {
  it("replays the same stream from the same seed", () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    const xs = Array.from({ length: 20 }, () => a.normal());
    expect(Array.from({ length: 20 }, () => b.normal())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.normal())).not.toEqual(xs);
  });

  it("draws normals with mean 0 and variance 1", () => {
    const r = new SeededRandom(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });

  it("draws Poisson counts with the given mean", () => {
    const r = new SeededRandom(2);
    const n = 100_000;
    let s = 0;
    for (let i = 0; i < n; i++) s += r.poisson(0.3);
    expect(Math.abs(s / n - 0.3)).toBeLessThan(0.01);
    expect(r.poisson(0)).toBe(0);
  });

  it("keeps uniforms, ints and log-uniforms in range", () => {
    const r = new SeededRandom(3);
    let ok = true;
    for (let i = 0; i < 10_000; i++) {
      const u = r.uniform();
      const k = r.int(2, 5);
      const l = r.logBetween(10, 1000);
      ok &&= u >= 0 && u < 1 && k >= 2 && k < 5 && Number.isInteger(k) && l >= 10 && l < 1000;
    }
    expect(ok).toBe(true);
    expect(() => new SeededRandom(1.5)).toThrow(RangeError);
  });
});
