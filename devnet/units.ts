/**
 * Conversions between the simulator's float64 world and the chain's D18 integers. Prices are
 * rounded to 8 significant decimals before scaling so the conversion is exact and the same on
 * every machine (no float formatting involved).
 */
export const D18 = 10n ** 18n;

/** USD or size as a D18 bigint, rounded to 1e-8. */
export function toD18(value: number): bigint {
  return BigInt(Math.round(value * 1e8)) * 10n ** 10n;
}

export function fromD18(value: bigint): number {
  return Number(value) / 1e18;
}
