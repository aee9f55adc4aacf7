/**
 * A market's venue liquidity, for protocols whose liquidations trade against a pool with
 * Uniswap v3-style concentrated liquidity (Perp v2): the pool's price and the liquidity
 * between its initialized ticks, as plain data the analytics can carry to a worker thread, and
 * `priceAfterBaseFlow`, the pool's price after a given base size is traded through it, tick by
 * tick, with Uniswap's own math (@uniswap/v3-sdk's TickMath and SwapMath, the library the
 * pool mirror also uses).
 *
 * Why here and not in a protocol: the cascade (engine/analytics) needs the impact of a net
 * liquidation flow on any such venue, and nothing outside protocols/ may name one. The curve
 * is what a protocol's plugin writes (market.liquidity); token0 is the base, both tokens
 * have 18 decimals, prices are quote per base.
 */
import { createRequire } from "node:module";
import type * as UniswapV3Sdk from "@uniswap/v3-sdk";

const { SwapMath, TickMath } = createRequire(import.meta.url)(
  "@uniswap/v3-sdk",
) as typeof UniswapV3Sdk;
type JSBI = ReturnType<typeof TickMath.getSqrtRatioAtTick>;
const JSBI = TickMath.MIN_SQRT_RATIO.constructor as unknown as { BigInt(x: string): JSBI };
const big = (x: bigint): JSBI => JSBI.BigInt(x.toString());
const nat = (x: JSBI): bigint => BigInt(x.toString());

const Q96 = 1n << 96n;
const ONE = 10n ** 18n;
const MIN_SQRT = nat(TickMath.MIN_SQRT_RATIO) + 1n;
const MAX_SQRT = nat(TickMath.MAX_SQRT_RATIO) - 1n;

export interface LiquidityCurve {
  sqrtPriceX96: bigint;
  /** The pool's current tick and in-range liquidity. */
  tick: number;
  liquidity: bigint;
  /** Uniswap fee, pips (3000 = 0.3 %), and tick spacing. */
  fee: number;
  tickSpacing: number;
  /** Initialized ticks with their liquidityNet, ascending. */
  ticks: readonly (readonly [number, bigint])[];
  /**
   * How a sale of `size` base enters the pool: exactly `size` (false), or scaled up by the fee so
   * the seller's position moves by exactly `size` (Perp v2's `calcScaledAmountForSwaps`).
   */
  sellScaledByFee: boolean;
}

/** Price in quote per base (D18) of a sqrt price. */
export function priceOfSqrtX96(sqrtPriceX96: bigint): bigint {
  return (sqrtPriceX96 * sqrtPriceX96 * ONE) / (Q96 * Q96);
}

/** The curve as the `market.liquidity` column stores it, and back. */
export function encodeCurve(c: LiquidityCurve): string {
  return JSON.stringify({
    sqrtPriceX96: c.sqrtPriceX96.toString(),
    tick: c.tick,
    liquidity: c.liquidity.toString(),
    fee: c.fee,
    tickSpacing: c.tickSpacing,
    ticks: c.ticks.map(([t, n]) => [t, n.toString()]),
    sellScaledByFee: c.sellScaledByFee,
  });
}

export function decodeCurve(text: string): LiquidityCurve {
  const j = JSON.parse(text) as {
    sqrtPriceX96: string;
    tick: number;
    liquidity: string;
    fee: number;
    tickSpacing: number;
    ticks: [number, string][];
    sellScaledByFee: boolean;
  };
  return {
    sqrtPriceX96: BigInt(j.sqrtPriceX96),
    tick: j.tick,
    liquidity: BigInt(j.liquidity),
    fee: j.fee,
    tickSpacing: j.tickSpacing,
    ticks: j.ticks.map(([t, n]) => [t, BigInt(n)] as const),
    sellScaledByFee: j.sellScaledByFee,
  };
}

/**
 * The pool's sqrt price after trading `baseDelta` base through it (> 0: buying base out of the
 * pool, an exact-output swap; < 0: selling base in, exact input), stepping as the pool does:
 * to the next initialized tick or the end of the bitmap word, whichever is first (the step
 * boundaries decide the rounding). Stops at the price bound when the pool runs out of liquidity.
 */
export function priceAfterBaseFlow(c: LiquidityCurve, baseDelta: bigint): bigint {
  if (baseDelta === 0n) return c.sqrtPriceX96;
  const zeroForOne = baseDelta < 0n;
  const size = zeroForOne ? -baseDelta : baseDelta;
  const scaled = zeroForOne && c.sellScaledByFee;
  let remaining = scaled ? ceilDiv(size * 1_000_000n, 1_000_000n - BigInt(c.fee)) : size;
  const limit = zeroForOne ? MIN_SQRT : MAX_SQRT;
  const compressed = c.ticks.map(([t]) => t / c.tickSpacing);
  const net = new Map(c.ticks);
  let sqrt = c.sqrtPriceX96;
  let tick = c.tick;
  let liquidity = c.liquidity;
  while (remaining !== 0n && sqrt !== limit) {
    const step = nextTick(compressed, tick, zeroForOne, c.tickSpacing);
    const target = nat(TickMath.getSqrtRatioAtTick(step.tick));
    const bounded = zeroForOne
      ? target < limit
        ? limit
        : target
      : target > limit
        ? limit
        : target;
    const [after, amountIn, amountOut, feeAmount] = SwapMath.computeSwapStep(
      big(sqrt),
      big(bounded),
      big(liquidity),
      big(zeroForOne ? remaining : -remaining),
      c.fee as never,
    ).map(nat) as [bigint, bigint, bigint, bigint];
    remaining -= zeroForOne ? amountIn + feeAmount : amountOut;
    if (after === target) {
      if (step.initialized) {
        const n = net.get(step.tick) ?? 0n;
        liquidity = zeroForOne ? liquidity - n : liquidity + n;
      }
      tick = zeroForOne ? step.tick - 1 : step.tick;
    } else if (after !== sqrt) {
      tick = TickMath.getTickAtSqrtRatio(big(after));
    }
    sqrt = after;
  }
  return sqrt;
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);

/**
 * TickBitmap.nextInitializedTickWithinOneWord over the initialized ticks (`compressed`:
 * tick / spacing, ascending), clamped to the pool's tick range.
 */
function nextTick(compressed: readonly number[], tick: number, lte: boolean, spacing: number) {
  const c = floorDiv(tick, spacing);
  const clamp = (t: number) => Math.max(MIN_TICK, Math.min(MAX_TICK, t));
  if (lte) {
    const wordStart = floorDiv(c, 256) * 256;
    let hit: number | undefined;
    for (const x of compressed) if (x >= wordStart && x <= c) hit = x;
    return hit === undefined
      ? { tick: clamp(wordStart * spacing), initialized: false }
      : { tick: clamp(hit * spacing), initialized: true };
  }
  const from = c + 1;
  const wordEnd = floorDiv(from, 256) * 256 + 255;
  const hit = compressed.find((x) => x >= from && x <= wordEnd);
  return hit === undefined
    ? { tick: clamp(wordEnd * spacing), initialized: false }
    : { tick: clamp(hit * spacing), initialized: true };
}

const MIN_TICK = -887272;
const MAX_TICK = 887272;

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
