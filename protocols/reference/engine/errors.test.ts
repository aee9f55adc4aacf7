import { describe, expect, test } from "vitest";
import { errors, panic, Revert, revert } from "./errors.js";

describe("errors", () => {
  test("every error says which revert and why", () => {
    const e = errors.insufficientMargin(5n, 7n);
    expect(e).toEqual({
      name: "InsufficientMargin",
      args: { equity: 5n, initialMargin: 7n },
      message:
        "this will revert with InsufficientMargin, because equity 5 would be below the initial margin 7",
    });
    expect(errors.stalePrice(1n, 10n, 61n, 60n).message).toMatch(
      /61s old, more than maxPriceAge 60s/,
    );
    expect(errors.notLiquidatable(3n, 0n).message).toMatch(/no open position/);
  });

  test("panics name their code", () => {
    expect(errors.panic(0x11n).message).toMatch(/overflows/);
    expect(errors.panic(0x12n).message).toMatch(/divides by zero/);
    expect(errors.panic(0x01n).message).toMatch(/code 1/);
  });

  test("revert and panic throw the internal signal carrying the typed error", () => {
    expect(() => revert(errors.zeroAmount())).toThrow(Revert);
    try {
      panic(0x11n);
    } catch (e) {
      expect(e).toBeInstanceOf(Revert);
      expect((e as Revert).error).toMatchObject({ name: "Panic", args: { code: 0x11n } });
    }
  });

  test("invalid input is not a contract error", () => {
    expect(errors.invalidInput("sizeDelta", "must be an int256 bigint")).toMatchObject({
      name: "InvalidInput",
      args: { field: "sizeDelta" },
    });
  });
});
