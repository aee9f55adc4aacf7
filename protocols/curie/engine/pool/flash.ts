/**
 * `flash` (v3-core UniswapV3Pool.flash): the only other call that moves fee growth. The pool
 * spreads what the borrower paid beyond the loan over the active liquidity (no protocol fee
 * on Curie's pools). Curie never flashes; anyone may, so the mirror follows.
 */

import { PoolRevert } from "./poolRevert.js";
import type { PoolState } from "./poolState.js";
import { mulDiv, Q128, u256 } from "./uint.js";

/** The pool after a flash whose borrower paid `paid0` / `paid1` in fees (the Flash event's). */
export function flash(s: PoolState, a: { paid0: bigint; paid1: bigint }): PoolState {
  if (s.liquidity <= 0n) throw new PoolRevert("L", "flash needs active liquidity");
  const grow = (g: bigint, paid: bigint) =>
    paid > 0n ? u256(g + mulDiv(paid, Q128, s.liquidity)) : g;
  return {
    ...s,
    feeGrowthGlobal0X128: grow(s.feeGrowthGlobal0X128, a.paid0),
    feeGrowthGlobal1X128: grow(s.feeGrowthGlobal1X128, a.paid1),
  };
}
