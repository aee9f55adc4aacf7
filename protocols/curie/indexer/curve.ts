/**
 * A Curie market's pool as the normalized venue curve (engine/risk/liquidityCurve.ts) the
 * cascade moves prices with: price, tick, in-range liquidity and every initialized tick's
 * liquidityNet, from the mirror's pool state. Curie sells a position of `size` base by putting
 * in `size` scaled up by the pool's fee (`sellScaledByFee`).
 */
import { encodeCurve, type LiquidityCurve } from "../../../engine/risk/liquidityCurve.js";
import type { PoolState } from "../engine/pool/index.js";

export function curveOf(pool: PoolState): LiquidityCurve {
  return {
    sqrtPriceX96: pool.sqrtPriceX96,
    tick: pool.tick,
    liquidity: pool.liquidity,
    fee: pool.fee,
    tickSpacing: pool.tickSpacing,
    ticks: Array.from(pool.ticks.entries(), ([t, info]) => [t, info.liquidityNet] as const),
    sellScaledByFee: true,
  };
}

/** The `market.liquidity` column's text for this pool. */
export function curveText(pool: PoolState): string {
  return encodeCurve(curveOf(pool));
}
