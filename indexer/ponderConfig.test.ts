import { describe, expect, it } from "vitest";
import { mergeSources } from "./ponderConfig.js";

describe("mergeSources", () => {
  it("adds each protocol's Ponder sources, and refuses a name two protocols use", () => {
    const into: Record<string, unknown> = {};
    mergeSources(into, { Exchange: 1, Oracle: 2 }, "alpha");
    mergeSources(into, { Vault: 3 }, "beta");
    expect(into).toEqual({ Exchange: 1, Oracle: 2, Vault: 3 });
    expect(() => mergeSources(into, { Oracle: 4 }, "gamma")).toThrow(
      'protocol gamma: Ponder source name "Oracle" is already used by another protocol',
    );
  });
});
