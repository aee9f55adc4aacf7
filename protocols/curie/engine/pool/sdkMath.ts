/**
 * The one place where the pool mirror meets @uniswap/v3-sdk: its TickMath, SqrtPriceMath and
 * SwapMath are ports of the pool's libraries on JSBI; the mirror works in native bigint, so
 * every value crosses here (hex strings both ways; `jsbi` itself is not imported, see JSBI).
 * Range checks raise the pool's own reasons ('T', 'R') instead of the SDK's invariant
 * messages. Sqrt prices of ticks are memoised: a swap asks for the same few boundaries again
 * and again.
 */
import { createRequire } from "node:module";
import type * as UniswapV3Sdk from "@uniswap/v3-sdk";
import { PoolRevert } from "./poolRevert.js";

/**
 * The SDK's CommonJS build: its ESM build imports extensionless paths, which Node cannot load
 * and vitest then inlines (with a warning per file about missing source maps).
 */
const { SqrtPriceMath, SwapMath, TickMath } = createRequire(import.meta.url)(
  "@uniswap/v3-sdk",
) as typeof UniswapV3Sdk;

/** The SDK's big-integer type; its class is taken from the SDK's own values, so it always matches. */
type JSBI = ReturnType<typeof TickMath.getSqrtRatioAtTick>;
const JSBI = TickMath.MIN_SQRT_RATIO.constructor as unknown as {
  BigInt(x: string): JSBI;
  unaryMinus(x: JSBI): JSBI;
};

export const MIN_TICK = -887272;
export const MAX_TICK = 887272;
export const MIN_SQRT_RATIO = 4295128739n;
export const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;

function toJ(x: bigint): JSBI {
  return x >= 0n ? JSBI.BigInt(`0x${x.toString(16)}`) : JSBI.unaryMinus(toJ(-x));
}

function fromHex(j: JSBI): bigint {
  const hex = j.toString(16);
  return hex.charCodeAt(0) === 45 ? -BigInt(`0x${hex.slice(1)}`) : BigInt(`0x${hex}`);
}

/**
 * JSBI keeps a value as an array of 30-bit digits, least significant first, and a `sign` flag;
 * reading them is ~3x faster than printing hex. That layout is jsbi's, not a public API, so it
 * is checked once against the hex path below and abandoned if it ever disagrees.
 */
function fromDigits(j: JSBI): bigint {
  const digits = j as unknown as { length: number; sign: boolean; [i: number]: number };
  let v = 0n;
  for (let i = digits.length - 1; i >= 0; i--) v = (v << 30n) | BigInt(digits[i]!);
  return digits.sign ? -v : v;
}

const digitsAgree = [
  TickMath.MAX_SQRT_RATIO,
  TickMath.MIN_SQRT_RATIO,
  toJ(-(2n ** 200n) - 12345n),
  toJ(0n),
].every((j) => fromDigits(j) === fromHex(j));
const fromJ = digitsAgree ? fromDigits : fromHex;

const sqrtAtTick = new Map<number, bigint>();
const SQRT_CACHE_LIMIT = 100_000;

/** TickMath.getSqrtRatioAtTick: sqrt(1.0001^tick)·2^96, rounded up; reverts 'T' out of range. */
export function getSqrtRatioAtTick(tick: number): bigint {
  const hit = sqrtAtTick.get(tick);
  if (hit !== undefined) return hit;
  if (!Number.isInteger(tick) || tick < MIN_TICK || tick > MAX_TICK) {
    throw new PoolRevert("T", `tick ${tick} is outside [${MIN_TICK}, ${MAX_TICK}]`);
  }
  const value = fromJ(TickMath.getSqrtRatioAtTick(tick));
  if (sqrtAtTick.size >= SQRT_CACHE_LIMIT) sqrtAtTick.clear();
  sqrtAtTick.set(tick, value);
  return value;
}

/** TickMath.getTickAtSqrtRatio: the greatest tick whose sqrt ratio is ≤ the price; reverts 'R'. */
export function getTickAtSqrtRatio(sqrtPriceX96: bigint): number {
  if (sqrtPriceX96 < MIN_SQRT_RATIO || sqrtPriceX96 >= MAX_SQRT_RATIO) {
    throw new PoolRevert(
      "R",
      `sqrtPriceX96 ${sqrtPriceX96} is outside [MIN_SQRT_RATIO, MAX_SQRT_RATIO)`,
    );
  }
  return TickMath.getTickAtSqrtRatio(toJ(sqrtPriceX96));
}

/** SqrtPriceMath.getAmount0Delta (unsigned form). */
export function getAmount0Delta(a: bigint, b: bigint, liquidity: bigint, roundUp: boolean): bigint {
  return fromJ(SqrtPriceMath.getAmount0Delta(toJ(a), toJ(b), toJ(liquidity), roundUp));
}

/** SqrtPriceMath.getAmount1Delta (unsigned form). */
export function getAmount1Delta(a: bigint, b: bigint, liquidity: bigint, roundUp: boolean): bigint {
  return fromJ(SqrtPriceMath.getAmount1Delta(toJ(a), toJ(b), toJ(liquidity), roundUp));
}

export interface SwapStepResult {
  sqrtRatioNextX96: bigint;
  amountIn: bigint;
  amountOut: bigint;
  feeAmount: bigint;
}

/** SwapMath.computeSwapStep: one step of a swap within a single liquidity range. */
export function computeSwapStep(
  sqrtRatioCurrentX96: bigint,
  sqrtRatioTargetX96: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  feePips: number,
): SwapStepResult {
  const [next, amountIn, amountOut, feeAmount] = SwapMath.computeSwapStep(
    toJ(sqrtRatioCurrentX96),
    toJ(sqrtRatioTargetX96),
    toJ(liquidity),
    toJ(amountRemaining),
    JSBI.BigInt(String(feePips)),
  );
  return {
    sqrtRatioNextX96: fromJ(next),
    amountIn: fromJ(amountIn),
    amountOut: fromJ(amountOut),
    feeAmount: fromJ(feeAmount),
  };
}
