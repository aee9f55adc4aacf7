/** Price ↔ Uniswap v3 conversions for Curie pools (base = token0, quote = token1, both 18 decimals). */

/** Integer square root (floor) of a non-negative bigint. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new Error("isqrt: negative");
  if (n < 2n) return n;
  // Newton from above: x₀ ≥ √n, then x ← (x + n/x)/2 until it stops decreasing.
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

const PRICE_SCALE = 10n ** 12n;

/** sqrt(price) · 2^96, floor, for a price in quote per base. */
export function sqrtPriceX96At(price: number): bigint {
  const scaled = BigInt(Math.round(price * Number(PRICE_SCALE)));
  return isqrt((scaled << 192n) / PRICE_SCALE);
}

/** Price (quote per base) of a pool's sqrtPriceX96. */
export function priceOfSqrtX96(sqrtPriceX96: bigint): number {
  return (Number(sqrtPriceX96) / 2 ** 96) ** 2;
}

/** The tick whose price is at or below `price`. */
export function tickAt(price: number): number {
  return Math.floor(Math.log(price) / Math.log(1.0001));
}

/** [lower, upper] ticks covering the prices, snapped outward to `spacing`. */
export function tickRange(
  lowPrice: number,
  highPrice: number,
  spacing: number,
): { lowerTick: number; upperTick: number } {
  return {
    lowerTick: Math.floor(tickAt(lowPrice) / spacing) * spacing,
    upperTick: Math.ceil(tickAt(highPrice) / spacing) * spacing,
  };
}

/** A Chainlink answer for `price` at `decimals` decimals. */
export function aggregatorAnswer(price: number, decimals: number): bigint {
  return BigInt(Math.round(price * 10 ** decimals));
}
