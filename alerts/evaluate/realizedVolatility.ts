/**
 * Realized volatility of one market from the worker's price history (one sample per block),
 * and the move it makes plausible within a horizon.
 *
 * Why: a stress shock of fixed size means different things in a quiet and in a moving market.
 * A page about what a move would cost should weigh how far the market can plausibly go soon
 * (issue 19's backtest: on a calm book a +5% move would have left bad debt above twice the
 * fund, and `insurance-coverage-critical` paged, though at calm volatility such a move takes
 * hours; during a crash the same rule should see the bigger moves the market is making).
 */
import type { HistorySample } from "../observation.js";

/**
 * Fewer returns than this in the window: too few to say (noData, not zero). 30, not fewer: σ
 * from 30 returns is within ~13% (one standard error), so a 5σ test does not become a 3σ one.
 */
export const MIN_RETURNS = 30;

/**
 * σ per √second: the root of the summed squared log returns of `marketId` over the time they
 * span, from the samples of the last `windowMs` before the observed block to its `price`.
 * Null when the window holds fewer than MIN_RETURNS returns.
 */
export function realizedVolPerSqrtS(
  marketId: string,
  price: number,
  windowMs: number,
  obs: { block: { number: bigint; timestamp: number } },
  history: readonly HistorySample[],
): number | null {
  const since = obs.block.timestamp - windowMs / 1000;
  const points = pricesBetween(marketId, since, obs.block.timestamp, obs.block.number, history);
  if (price > 0) points.push([obs.block.timestamp, price]);
  return volOf(points);
}

/**
 * σ per √second of `marketId` over the samples from `fromS` to `toS` (chain time, inclusive)
 * before block `before`: a baseline that a move since `toS` is measured against.
 */
export function volBetween(
  marketId: string,
  fromS: number,
  toS: number,
  before: bigint,
  history: readonly HistorySample[],
): number | null {
  return volOf(pricesBetween(marketId, fromS, toS, before, history));
}

function pricesBetween(
  marketId: string,
  fromS: number,
  toS: number,
  before: bigint,
  history: readonly HistorySample[],
): [number, number][] {
  const points: [number, number][] = [];
  for (const s of history) {
    if (s.timestamp < fromS || s.timestamp > toS || s.blockNumber >= before) continue;
    const p = s.prices[marketId];
    if (p !== undefined && p > 0) points.push([s.timestamp, p]);
  }
  return points;
}

function volOf(points: readonly [number, number][]): number | null {
  let sum = 0;
  for (let i = 1; i < points.length; i++) {
    const r = Math.log(points[i]![1] / points[i - 1]![1]);
    sum += r * r;
  }
  const span = points.length > 1 ? points.at(-1)![0] - points[0]![0] : 0;
  if (points.length - 1 < MIN_RETURNS || span <= 0) return null;
  return Math.sqrt(sum / span);
}

/** The move `sigmas` standard deviations wide over `horizonMs` at σ per √second. */
export function plausibleMove(sigmaPerSqrtS: number, sigmas: number, horizonMs: number): number {
  return sigmas * sigmaPerSqrtS * Math.sqrt(horizonMs / 1000);
}
