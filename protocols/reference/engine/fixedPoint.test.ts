import { describe, expect, test } from "vitest";
import { Revert } from "./errors.js";
import {
  abs,
  add,
  div,
  divD,
  INT256_MAX,
  INT256_MIN,
  isInt256,
  isUint256,
  mul,
  mulD,
  neg,
  ONE,
  sub,
  toInt256,
  toUint256,
  UINT256_MAX,
  uadd,
  udiv,
  umul,
  usub,
} from "./fixedPoint.js";

function panicCode(f: () => unknown): bigint | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof Revert && e.error.name === "Panic") return e.error.args.code;
    throw e;
  }
  return undefined;
}

describe("fixedPoint", () => {
  test("mulD and divD truncate toward zero, like Solidity", () => {
    expect(mulD(3n, ONE / 2n)).toBe(1n); // 1.5 wei → 1
    expect(mulD(-3n, ONE / 2n)).toBe(-1n); // −1.5 wei → −1, not −2
    expect(divD(1n, 3n)).toBe(333_333_333_333_333_333n);
    expect(divD(-1n, 3n)).toBe(-333_333_333_333_333_333n);
    expect(div(-7n, 2n)).toBe(-3n);
    expect(mulD(2n * ONE, 3n * ONE)).toBe(6n * ONE);
    expect(divD(6n * ONE, 4n * ONE)).toBe(ONE + ONE / 2n);
  });

  test("checked int256 arithmetic panics with 0x11 exactly past the type's range", () => {
    expect(add(INT256_MAX, 0n)).toBe(INT256_MAX);
    expect(panicCode(() => add(INT256_MAX, 1n))).toBe(0x11n);
    expect(panicCode(() => sub(INT256_MIN, 1n))).toBe(0x11n);
    expect(panicCode(() => mul(INT256_MAX, 2n))).toBe(0x11n);
    expect(panicCode(() => neg(INT256_MIN))).toBe(0x11n);
    expect(panicCode(() => abs(INT256_MIN))).toBe(0x11n);
    expect(panicCode(() => div(INT256_MIN, -1n))).toBe(0x11n);
    // a*1e18 overflows inside divD even when the quotient would fit
    expect(panicCode(() => divD(INT256_MAX / ONE + 1n, ONE))).toBe(0x11n);
    expect(divD(INT256_MAX / ONE, ONE)).toBe(INT256_MAX / ONE);
  });

  test("division by zero panics with 0x12", () => {
    expect(panicCode(() => div(1n, 0n))).toBe(0x12n);
    expect(panicCode(() => divD(0n, 0n))).toBe(0x12n);
    expect(panicCode(() => udiv(1n, 0n))).toBe(0x12n);
  });

  test("checked uint256 arithmetic", () => {
    expect(uadd(UINT256_MAX - 1n, 1n)).toBe(UINT256_MAX);
    expect(panicCode(() => uadd(UINT256_MAX, 1n))).toBe(0x11n);
    expect(panicCode(() => usub(0n, 1n))).toBe(0x11n);
    expect(panicCode(() => umul(1n << 200n, 1n << 100n))).toBe(0x11n);
    expect(udiv(7n, 2n)).toBe(3n);
  });

  test("int256 ⇄ uint256 conversions wrap, unchecked", () => {
    expect(toInt256(1n << 255n)).toBe(INT256_MIN);
    expect(toInt256(UINT256_MAX)).toBe(-1n);
    expect(toInt256(5n)).toBe(5n);
    expect(toUint256(-1n)).toBe(UINT256_MAX);
    expect(toUint256(7n)).toBe(7n);
  });

  test("type guards", () => {
    expect(isInt256(INT256_MIN)).toBe(true);
    expect(isInt256(INT256_MAX + 1n)).toBe(false);
    expect(isInt256(1)).toBe(false);
    expect(isUint256(UINT256_MAX)).toBe(true);
    expect(isUint256(-1n)).toBe(false);
  });
});
