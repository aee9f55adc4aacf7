/**
 * The ladder in one unit a risk analyst reads as cumulative: the notional of the accounts a
 * move of that size would liquidate, valued at the pre-shock mark.
 *
 * Why: the API's `liquidatedNotional` values those accounts at the bin's own (shocked) price.
 * The set of accounts only grows with the move, but a fall also shrinks the value of the longs
 * it liquidates, so the figure can fall from one bin to the next (`perpwatch risk --market ETH`
 * drew $205 M at −20% and $180 M at −30%: few accounts join past −20%, and every ETH long
 * already in is worth 10% less at −30%). At the pre-shock mark it cannot fall.
 *
 * The conversion needs only the bin's own fields: at a move r, `liquidatedNotional` is
 * N + M·r and `marketNotional` is M·(1 + r), where N is the accounts' notional at the mark and
 * M their notional in the moved market at the mark (engine/analytics/ladder.ts). So
 * N = liquidatedNotional − marketNotional · r / (1 + r).
 */

export interface LadderBinNotional {
  move: number;
  liquidatedNotional: number;
  marketNotional: number;
}

/** The bin's liquidated notional at the pre-shock mark (USD). */
export function notionalAtMark(bin: LadderBinNotional): number {
  const r = bin.move;
  return Math.max(0, bin.liquidatedNotional - (bin.marketNotional * r) / (1 + r));
}
