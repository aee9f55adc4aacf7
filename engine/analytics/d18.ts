/**
 * Conversions between the exact engine's 18-decimal fixed point (`bigint`) and float64.
 *
 * Why: analytics trades wei precision for speed — every D18 quantity enters the column store
 * once, as a float64 with ~16 significant digits, and leaves it only where the exact engine has
 * to check an analytics answer (a moved oracle price, say). One place for both directions keeps
 * the scale factor and the rounding rule (to nearest wei) from drifting apart.
 */

export const ONE_D18 = 1e18;

/** A D18 bigint as a float (`1.5e18n` → 1.5), rounded to the nearest double. */
export function fromD18(v: bigint): number {
  return Number(v) / ONE_D18;
}

const WEI = 10n ** 18n;

/**
 * A float as D18: the integer part exactly, the fraction rounded to the nearest wei (so whole
 * numbers of USD or units convert without error). Throws on NaN or ±Infinity.
 */
export function toD18(x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`toD18: ${x} is not a finite number`);
  const whole = Math.trunc(x);
  return BigInt(whole) * WEI + BigInt(Math.round((x - whole) * ONE_D18));
}
