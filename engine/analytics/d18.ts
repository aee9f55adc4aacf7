/**
 * Conversions between the exact engine's 18-decimal fixed point (`bigint`) and float64.
 *
 * Why: analytics trades wei precision for speed — every D18 quantity enters the column store
 * once, as a float64 with ~16 significant digits, and leaves it only where the exact engine has
 * to check an analytics answer (a moved oracle price, say). One place for both directions keeps
 * the scale factor and the rounding rules from drifting apart. Two rules, for two uses:
 * - `toD18`: to the nearest wei (analytics answers checked by the exact engine);
 * - `toD18At8Decimals`: to 1e-8 first (the devnet's prices, sizes and amounts sent on chain), so
 *   every D18 it produces is a whole multiple of 1e10 wei.
 */

export const ONE_D18 = 1e18;

/** A D18 bigint as a float (`1.5e18n` → 1.5), rounded to the nearest double. */
export function fromD18(v: bigint): number {
  return Number(v) / ONE_D18;
}

const WEI = 10n ** 18n;

/** `a·b / 1e18` truncated toward zero, as the contracts' `mulD` (exact D18 arithmetic). */
export function mulD(a: bigint, b: bigint): bigint {
  return (a * b) / WEI;
}

/**
 * A float as D18: the integer part exactly, the fraction rounded to the nearest wei (so whole
 * numbers of USD or units convert without error). Throws on NaN or ±Infinity.
 */
export function toD18(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`toD18: ${x} is not a finite number`);
  const whole = Math.trunc(x);
  return BigInt(whole) * WEI + BigInt(Math.round((x - whole) * ONE_D18));
}

/**
 * A float as D18 rounded to 8 decimals (1e-8) before scaling: `Math.round(x · 1e8) · 1e10`, the
 * same integer on every machine, with no float formatting involved. Throws on NaN or ±Infinity.
 */
export function toD18At8Decimals(x: number): bigint {
  return BigInt(Math.round(x * 1e8)) * 10n ** 10n;
}
