/**
 * The venue curve the Curie plugin writes moves the price exactly as the pool mirror's own swap
 * does (which the pool's differential test proves equal to the real pool): for random pools
 * (ranges, liquidity, price) and random base flows both ways, `priceAfterBaseFlow` on the
 * curve equals `priceAfterSwap` on the pool state, to the last bit of the sqrt price.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeCurve,
  encodeCurve,
  priceAfterBaseFlow,
} from "../../../engine/risk/liquidityCurve.js";
import { initializePool, mint, type PoolState, priceAfterSwap } from "../engine/pool/index.js";
import { curveOf } from "./curve.js";

const SPACING = 60;
const E18 = 10n ** 18n;

/** A pool at tick `at` with liquidity in `ranges` (tick multiples of the spacing). */
function pool(at: number, ranges: [number, number, bigint][]): PoolState {
  const sqrt = BigInt(Math.floor(Math.sqrt(1.0001 ** at) * 2 ** 48)) << 48n;
  let s = initializePool({ sqrtPriceX96: sqrt, fee: 3000, tickSpacing: SPACING, time: 1 });
  for (const [lo, hi, l] of ranges) {
    s = mint(s, { tickLower: lo * SPACING, tickUpper: hi * SPACING, liquidity: l, time: 1 }).state;
  }
  return s;
}

const range = fc
  .tuple(
    fc.integer({ min: -400, max: 400 }),
    fc.integer({ min: 1, max: 600 }),
    fc.bigInt({ min: 10n ** 15n, max: 10n ** 24n }),
  )
  .map(([lo, w, l]) => [lo, lo + w, l] as [number, number, bigint]);

describe("Curie venue curve", () => {
  it("prices a base flow exactly as the pool mirror's swap, both ways", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -300 * SPACING, max: 300 * SPACING }),
        fc.array(range, { minLength: 1, maxLength: 6 }),
        fc.bigInt({ min: -(10n ** 6n) * E18, max: 10n ** 6n * E18 }),
        (at, ranges, flow) => {
          const s = pool(at, ranges);
          const curve = decodeCurve(encodeCurve(curveOf(s)));
          let expected: bigint;
          try {
            expected = priceAfterSwap(s, flow, 2).sqrtPriceX96;
          } catch {
            return; // the pool itself refuses (e.g. a buy larger than the pool holds)
          }
          expect(priceAfterBaseFlow(curve, flow)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
