import { describe, expect, test } from "vitest";
import { BTC } from "../test/fixtures.js";
import { Revert } from "./errors.js";
import { INT256_MAX, INT256_MIN, UINT256_MAX } from "./fixedPoint.js";
import * as input from "./input.js";

function rejects(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof Revert && e.error.name === "InvalidInput") return e.error.args.field;
    throw e;
  }
  return undefined;
}

describe("input", () => {
  test("ABI ranges", () => {
    expect(input.uint256(UINT256_MAX, "x")).toBe(UINT256_MAX);
    expect(rejects(() => input.uint256(-1n, "x"))).toBe("x");
    expect(rejects(() => input.uint256(UINT256_MAX + 1n, "x"))).toBe("x");
    expect(rejects(() => input.uint256(1, "x"))).toBe("x");
    expect(input.int256(INT256_MIN, "y")).toBe(INT256_MIN);
    expect(rejects(() => input.int256(INT256_MAX + 1n, "y"))).toBe("y");
    expect(rejects(() => input.int256("1", "y"))).toBe("y");
  });

  test("addresses are checked and lowercased", () => {
    expect(input.address("0x00000000000000000000000000000000000000AB", "a")).toBe(
      "0x00000000000000000000000000000000000000ab",
    );
    expect(rejects(() => input.address("0x1234", "a"))).toBe("a");
  });

  test("arrays, strings, booleans, objects", () => {
    expect(input.uint256Array([1n, 2n], "ids")).toEqual([1n, 2n]);
    expect(rejects(() => input.uint256Array([1n, -2n], "ids"))).toBe("ids[1]");
    expect(rejects(() => input.uint256Array("x", "ids"))).toBe("ids");
    expect(rejects(() => input.str(5, "symbol"))).toBe("symbol");
    expect(rejects(() => input.bool(1, "allowed"))).toBe("allowed");
    expect(rejects(() => input.inputObject(null))).toBe("input");
  });

  test("market params: every field a uint256", () => {
    expect(input.marketParams(BTC, "params")).toEqual(BTC);
    const { takerFee: _, ...missing } = BTC;
    expect(rejects(() => input.marketParams(missing, "params"))).toBe("params.takerFee");
  });
});
