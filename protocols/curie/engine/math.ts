/**
 * Curie's fixed-point arithmetic (PerpMath, FullMath, PerpFixedPoint96, SettlementTokenMath) in
 * bigint, with Solidity's rounding: unsigned mulDiv floors, PerpMath.mulDiv applies the sign to
 * the floored magnitude (so it truncates toward zero), `/` on int256 truncates toward zero (as
 * bigint does). Overflow checks are not mirrored: the differential test would see them as reverts.
 */

export const Q96 = 1n << 96n;
export const Q128 = 1n << 128n;
export const ONE = 10n ** 18n;
/** 1e6 = 100 % in Curie's uint24 ratios. */
export const RATIO_ONE = 1_000_000n;

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

export { abs };

/** FullMath.mulDiv on non-negative operands. */
export function mulDivU(a: bigint, b: bigint, d: bigint): bigint {
  return (a * b) / d;
}

/** FullMath.mulDivRoundingUp on non-negative operands. */
export function mulDivUp(a: bigint, b: bigint, d: bigint): bigint {
  const p = a * b;
  return p % d === 0n ? p / d : p / d + 1n;
}

/** PerpMath.mulDiv(int256, int256, uint256): |a·b| / d floored, then signed. */
export function mulDiv(a: bigint, b: bigint, d: bigint): bigint {
  const m = (abs(a) * abs(b)) / d;
  return a < 0n !== b < 0n && a !== 0n && b !== 0n ? -m : m;
}

/** PerpMath.mulRatio for uint256. */
export const mulRatioU = (value: bigint, ratio: bigint): bigint => (value * ratio) / RATIO_ONE;
/** PerpMath.mulRatio for int256. */
export const mulRatio = (value: bigint, ratio: bigint): bigint => mulDiv(value, ratio, RATIO_ONE);

/** PerpMath.formatSqrtPriceX96ToPriceX96. */
export const sqrtPriceX96ToPriceX96 = (sqrtPriceX96: bigint): bigint =>
  (sqrtPriceX96 * sqrtPriceX96) / Q96;
/** PerpMath.formatX96ToX10_18. */
export const x96ToX18 = (valueX96: bigint): bigint => (valueX96 * ONE) / Q96;
/** PerpMath.formatX10_18ToX96. */
export const x18ToX96 = (value: bigint): bigint => (value * Q96) / ONE;

/** The market price (1e18) of a sqrt price X96, as Curie's `_getMarketPrice` formats it. */
export const priceX18OfSqrtX96 = (sqrtPriceX96: bigint): bigint =>
  x96ToX18(sqrtPriceX96ToPriceX96(sqrtPriceX96));

export const minI = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const maxI = (a: bigint, b: bigint): bigint => (a >= b ? a : b);

/** PerpMath.findMedianOfThree. */
export function medianOfThree(a: bigint, b: bigint, c: bigint): bigint {
  return maxI(minI(a, b), minI(maxI(a, b), c));
}

/** SettlementTokenMath.formatSettlementToken: 18 decimals to the token's, rounded down (toward −∞). */
export function formatSettlementToken(valueX18: bigint, decimals: number): bigint {
  if (decimals === 18) return valueX18;
  const d = 10n ** BigInt(18 - decimals);
  const q = valueX18 / d;
  return valueX18 < 0n && valueX18 % d !== 0n ? q - 1n : q;
}

/** SettlementTokenMath: a settlement-token amount in 18 decimals. */
export function parseSettlementToken(value: bigint, decimals: number): bigint {
  if (decimals === 18) return value;
  return value * 10n ** BigInt(18 - decimals);
}
