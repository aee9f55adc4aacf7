import { describe, expect, it } from "vitest";
import { SeededRandom } from "./seededRandom.js";

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

  // Recorded seeds replay Monte-Carlo paths, devnet transactions and differential operations:
  // these values were drawn before the three generators were folded into this class.
  it("pins the xoroshiro128+ stream (analytics, devnet)", () => {
    const r = new SeededRandom(42);
    expect([r.uniform(), r.uniform(), r.uniform()]).toEqual([
      0.9999993701129287, 0.8758418435769486, 0.03919820288731701,
    ]);
    expect([r.normal(), r.normal()]).toEqual([0.9239595059425348, 0.1807459390381467]);
    expect(r.int(0, 1000)).toBe(664);
  });

  it("pins split streams: each independent, the parent advanced past them", () => {
    const r = new SeededRandom(42);
    const a = r.split();
    const b = r.split();
    expect([r.uniform(), a.uniform(), b.uniform()]).toEqual([
      0.2096217000888222, 0.32010955279849107, 0.7381718692768996,
    ]);
  });

  it("pins the xoshiro128** stream (differential test): 32-bit uniforms", () => {
    const r = new SeededRandom(42, "xoshiro128**");
    expect([r.u32(), r.u32(), r.u32()]).toEqual([2837322924, 544945897, 479756282]);
    expect(r.uniform()).toBe(0.8149394164793193);
    expect(r.intInclusive(1, 20)).toBe(2);
    expect(r.bigBelow(10n ** 30n)).toBe(814570040967819588093470719190n);
    expect(() => r.split()).toThrow(/cannot jump/);
  });

  it("includes both ends in intInclusive, picks and weighs", () => {
    const r = new SeededRandom(9, "xoshiro128**");
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.intInclusive(1, 3));
    expect([...seen].sort()).toEqual([1, 2, 3]);
    expect(() => r.pick([])).toThrow(/empty/);
    for (let i = 0; i < 100; i++)
      expect(r.weighted({ never: 0, always: 5, negative: -3 })).toBe("always");
  });
});
