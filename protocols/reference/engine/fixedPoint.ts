/**
 * 18-decimal fixed point with Solidity 0.8's checked arithmetic.
 *
 * Why: the mirror must reproduce the contract to the wei, including *when* it reverts. Every
 * operator here is the exact counterpart of one Solidity operator on `int256`/`uint256`: bigint
 * division truncates toward zero as the EVM does, and a result outside the type's range throws
 * the same `Panic(0x11)` the contract would (division by zero: `Panic(0x12)`). `mulD`/`divD`
 * are `FixedPoint.mulD`/`divD` operation for operation. Explicit conversions between `int256`
 * and `uint256` are unchecked in Solidity (two's-complement reinterpretation) and are so here.
 */
import { panic } from "./errors.js";

export const ONE = 10n ** 18n;
export const SECONDS_PER_DAY = 86_400n;
export const INT256_MAX = (1n << 255n) - 1n;
export const INT256_MIN = -(1n << 255n);
export const UINT256_MAX = (1n << 256n) - 1n;
const TWO_256 = 1n << 256n;

/** Panic codes of Solidity 0.8. */
export const PANIC_OVERFLOW = 0x11n;
export const PANIC_DIVISION_BY_ZERO = 0x12n;

function checkInt(r: bigint): bigint {
  if (r > INT256_MAX || r < INT256_MIN) panic(PANIC_OVERFLOW);
  return r;
}

function checkUint(r: bigint): bigint {
  if (r > UINT256_MAX || r < 0n) panic(PANIC_OVERFLOW);
  return r;
}

/** int256 `a + b`. */
export function add(a: bigint, b: bigint): bigint {
  return checkInt(a + b);
}

/** int256 `a - b`. */
export function sub(a: bigint, b: bigint): bigint {
  return checkInt(a - b);
}

/** int256 `a * b`. */
export function mul(a: bigint, b: bigint): bigint {
  return checkInt(a * b);
}

/** int256 `a / b`, truncating toward zero; `type(int256).min / -1` overflows. */
export function div(a: bigint, b: bigint): bigint {
  if (b === 0n) panic(PANIC_DIVISION_BY_ZERO);
  // |a / b| ≤ |a| for every b ≠ 0 except −1, where only int256.min overflows
  if (b === -1n && a === INT256_MIN) panic(PANIC_OVERFLOW);
  return a / b;
}

/** int256 unary `-a`. */
export function neg(a: bigint): bigint {
  return checkInt(-a);
}

/** uint256 `a + b`. */
export function uadd(a: bigint, b: bigint): bigint {
  return checkUint(a + b);
}

/** uint256 `a - b` (underflow panics). */
export function usub(a: bigint, b: bigint): bigint {
  return checkUint(a - b);
}

/** uint256 `a * b`. */
export function umul(a: bigint, b: bigint): bigint {
  return checkUint(a * b);
}

/** uint256 `a / b`. */
export function udiv(a: bigint, b: bigint): bigint {
  if (b === 0n) panic(PANIC_DIVISION_BY_ZERO);
  return a / b;
}

/** `FixedPoint.mulD`: `(a * b) / 1e18` (the quotient of an in-range product is in range). */
export function mulD(a: bigint, b: bigint): bigint {
  const p = a * b;
  if (p > INT256_MAX || p < INT256_MIN) panic(PANIC_OVERFLOW);
  return p / ONE;
}

/** `FixedPoint.divD`: `(a * 1e18) / b`. */
export function divD(a: bigint, b: bigint): bigint {
  return div(checkInt(a * ONE), b);
}

/** `FixedPoint.abs`: `a < 0 ? -a : a` (the negation is checked). */
export function abs(a: bigint): bigint {
  return a < 0n ? neg(a) : a;
}

export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** `int256(u)` for a uint256 `u`: unchecked, values at or above 2^255 wrap negative. */
export function toInt256(u: bigint): bigint {
  return u > INT256_MAX ? u - TWO_256 : u;
}

/** `uint256(i)` for an int256 `i`: unchecked, negative values wrap to 2^256 + i. */
export function toUint256(i: bigint): bigint {
  return i < 0n ? i + TWO_256 : i;
}

/** Whether `v` is a bigint in int256 range. */
export function isInt256(v: unknown): v is bigint {
  return typeof v === "bigint" && v >= INT256_MIN && v <= INT256_MAX;
}

/** Whether `v` is a bigint in uint256 range. */
export function isUint256(v: unknown): v is bigint {
  return typeof v === "bigint" && v >= 0n && v <= UINT256_MAX;
}
