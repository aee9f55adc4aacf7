/**
 * Solidity 0.7 integer semantics for the pool mirror: the pool's arithmetic is unchecked, so
 * fee growth wraps at 2^256, seconds-per-liquidity at 2^160, tick cumulatives at int56 and
 * timestamps at uint32; the mirror must wrap exactly where the bytecode does.
 */

export const Q96 = 1n << 96n;
export const Q128 = 1n << 128n;
export const MAX_UINT128 = (1n << 128n) - 1n;

/** uint256 wrap-around. */
export const u256 = (x: bigint): bigint => BigInt.asUintN(256, x);
/** uint160 wrap-around. */
export const u160 = (x: bigint): bigint => BigInt.asUintN(160, x);
/** int56 wrap-around. */
export const i56 = (x: bigint): bigint => BigInt.asIntN(56, x);
/** uint32 of a number (a block timestamp, a seconds delta). */
export const u32 = (n: number): number => n >>> 0;

/** FullMath.mulDiv for non-negative operands: floor(a·b / d). */
export function mulDiv(a: bigint, b: bigint, d: bigint): bigint {
  return (a * b) / d;
}

/** FullMath.mulDivRoundingUp for non-negative operands: ceil(a·b / d). */
export function mulDivRoundingUp(a: bigint, b: bigint, d: bigint): bigint {
  const p = a * b;
  const q = p / d;
  return p % d === 0n ? q : q + 1n;
}

/** Index of the most significant set bit of a positive value below 2^256 (BitMath). */
export function mostSignificantBit(x: bigint): number {
  for (let shift = 224; shift >= 0; shift -= 32) {
    const chunk = Number((x >> BigInt(shift)) & 0xffffffffn);
    if (chunk !== 0) return shift + 31 - Math.clz32(chunk);
  }
  throw new RangeError("mostSignificantBit: x must be positive");
}

/** Index of the least significant set bit of a positive value (BitMath). */
export function leastSignificantBit(x: bigint): number {
  return mostSignificantBit(x & -x);
}
