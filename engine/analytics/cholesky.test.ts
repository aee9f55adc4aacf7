import { describe, expect, it } from "vitest";
import { cholesky } from "./cholesky.js";

describe("cholesky", () => {
  it("factors a correlation matrix so that L·Lᵀ reproduces it", () => {
    const c = [1, 0.85, 0.75, 0.85, 1, 0.8, 0.75, 0.8, 1];
    const l = cholesky(c, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += l[i * 3 + k]! * l[j * 3 + k]!;
        expect(s).toBeCloseTo(c[i * 3 + j]!, 12);
      }
      for (let j = i + 1; j < 3; j++) expect(l[i * 3 + j]).toBe(0);
    }
  });

  it("rejects a matrix that is not positive definite", () => {
    expect(() => cholesky([1, 0.99, -0.99, 0.99, 1, 0.99, -0.99, 0.99, 1], 3)).toThrow(
      /not positive definite/,
    );
    expect(() => cholesky([1, 0], 2)).toThrow(RangeError);
  });
});
