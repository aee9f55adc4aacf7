/**
 * Liquidation ladders: per market, how many accounts, how much notional and how much bad debt
 * become liquidatable as that market's price moves (the others fixed), on a grid of moves
 * (default ±50% in 0.5% steps), plus "liquidatable within 1/3/5/10% of the mark".
 *
 * Why: this is the picture a risk team watches — where the liquidation walls sit and how deep
 * they are. The obvious way (move the price to each bin, re-check every account) costs
 * bins × accounts; here each position's closed-form threshold (liquidationThreshold.ts) turns
 * its account's contribution into a few pieces that are affine in the move r on an interval
 * ("liquidatable below r*, with notional N0 + n0·r"), each piece is dropped into the bin where
 * it starts and the bin where it ends (a binary search — the thresholds are sorted into bins),
 * and one prefix sum per market evaluates every bin: positions × log(bins) + bins.
 *
 * Definitions, at a move r of market m (price `mark·(1 + r)`), over accounts holding m:
 *   count          — accounts liquidatable (`MM > 0 && equity < MM`);
 *   notional       — their whole notional (every market: liquidation closes the account);
 *   marketNotional — their notional in market m alone (what hits m's order book);
 *   badDebt        — Σ max(0, keeperReward − equity): the shortfall if the price gaps to r and
 *                    they are liquidated there, by the contract's waterfall with an empty
 *                    insurance fund (the keeper is paid first; `rest < 0` is bad debt).
 * Accounts already liquidatable at the mark count at r = 0 (see `atMark`).
 */

import { marketThresholds, type Thresholds } from "./liquidationThreshold.js";
import { type MarkExposure, markExposure } from "./markExposure.js";
import type { PositionStore } from "./positionStore.js";

export interface LadderOptions {
  /** Largest move each way (default 0.5) and the bin width (default 0.005). */
  maxMove?: number;
  step?: number;
  /** Explicit moves instead of the grid: ascending, each > −1. */
  moves?: ArrayLike<number>;
  /** Levels for "liquidatable within x of the mark" (default 0.01, 0.03, 0.05, 0.1). */
  within?: readonly number[];
  /** Market indices to build (default: all). */
  markets?: readonly number[];
}

export interface LadderPoint {
  count: number;
  notional: number;
  marketNotional: number;
  badDebt: number;
}

export interface MarketLadder {
  market: number;
  marketId: bigint;
  symbol: string;
  mark: number;
  /** Relative moves of the bins, ascending, and the prices they mean. */
  moves: Float64Array;
  prices: Float64Array;
  count: Float64Array;
  notional: Float64Array;
  marketNotional: Float64Array;
  badDebt: Float64Array;
  /** r = 0: liquidatable right now. */
  atMark: LadderPoint;
  /** Liquidatable if the price falls (down) or rises (up) by `move`. */
  within: { move: number; down: LadderPoint; up: LadderPoint }[];
}

/** The default grid: −maxMove … +maxMove in `step`s (0 included). */
export function ladderMoves(maxMove = 0.5, step = 0.005): Float64Array {
  if (!(maxMove > 0 && maxMove < 1)) throw new RangeError(`maxMove: ${maxMove} is not in (0, 1)`);
  if (!(step > 0 && step <= maxMove)) throw new RangeError(`step: ${step} is not in (0, maxMove]`);
  const k = Math.round(maxMove / step);
  const out = new Float64Array(2 * k + 1);
  for (let j = -k; j <= k; j++) out[j + k] = j * step;
  return out;
}

const NV = 7; // count, notional (a, b), marketNotional (a, b), badDebt (a, b): value = a + b·r
const INF = Number.POSITIVE_INFINITY;

/**
 * Sorted evaluation points with O(1) searches: a table over 4·P equal buckets gives, for any
 * x, the first point at or after its bucket's start; at most a few steps remain from there.
 */
class Points {
  readonly n: number;
  private readonly first: number;
  private readonly last: number;
  private readonly inv: number;
  private readonly table: Int32Array;

  constructor(readonly v: Float64Array) {
    const n = v.length;
    this.n = n;
    this.first = v[0]!;
    this.last = v[n - 1]!;
    const buckets = 4 * n;
    const width = (this.last - this.first) / buckets;
    this.inv = width > 0 ? 1 / width : 0;
    this.table = new Int32Array(buckets + 1);
    let j = 0;
    for (let b = 0; b <= buckets; b++) {
      const x = this.first + b * width;
      while (j < n && v[j]! < x) j++;
      this.table[b] = j;
    }
  }

  /** First index j with v[j] ≥ x (n when none; NaN → n). */
  lowerBound(x: number): number {
    if (x <= this.first) return 0;
    if (!(x <= this.last)) return this.n;
    const v = this.v;
    let j = this.table[((x - this.first) * this.inv) | 0]!;
    while (v[j]! < x) j++;
    return j;
  }

  /** First index j with v[j] > x. */
  upperBound(x: number): number {
    if (x < this.first) return 0;
    if (!(x < this.last)) return this.n;
    const v = this.v;
    let j = this.table[((x - this.first) * this.inv) | 0]!;
    while (v[j]! <= x) j++;
    return j;
  }
}

/** Bad-debt piece α + β·r on [lo, hi) where it is positive, into `acc`. */
function addBadDebt(
  acc: Float64Array,
  points: Points,
  lo: number,
  hi: number,
  alpha: number,
  beta: number,
): void {
  if (beta > 0) lo = Math.max(lo, -alpha / beta);
  else if (beta < 0) hi = Math.min(hi, -alpha / beta);
  else if (!(alpha > 0)) return;
  if (!(lo < hi)) return;
  const j0 = points.lowerBound(lo);
  const j1 = points.lowerBound(hi);
  if (j0 >= j1) return;
  acc[j0 * NV + 5]! += alpha;
  acc[j0 * NV + 6]! += beta;
  acc[j1 * NV + 5]! -= alpha;
  acc[j1 * NV + 6]! -= beta;
}

export function liquidationLadders(
  store: PositionStore,
  options: LadderOptions = {},
  exposure: MarkExposure = markExposure(store),
  thresholds: Thresholds = marketThresholds(store, exposure),
): MarketLadder[] {
  const moves = options.moves
    ? Float64Array.from(options.moves)
    : ladderMoves(options.maxMove, options.step);
  for (let j = 0; j < moves.length; j++) {
    if (!(moves[j]! > -1) || (j > 0 && !(moves[j]! > moves[j - 1]!))) {
      throw new RangeError(`moves: must be ascending and above −1 (moves[${j}] = ${moves[j]})`);
    }
  }
  const within = options.within ?? [0.01, 0.03, 0.05, 0.1];
  for (const w of within) {
    if (!(w > 0 && w < 1)) throw new RangeError(`within: ${w} is not in (0, 1)`);
  }
  // Evaluation points: the bins, the mark and ±each level.
  const all = Array.from(moves);
  all.push(0);
  for (const w of within) all.push(-w, w);
  all.sort((x, y) => x - y);
  const pts: number[] = [];
  for (const x of all) if (pts.length === 0 || x !== pts[pts.length - 1]) pts.push(x);
  const pv = Float64Array.from(pts);
  const points = new Points(pv);
  const P = pv.length;

  const markets = options.markets ?? Array.from({ length: store.marketCount }, (_, m) => m);
  const accs: (Float64Array | undefined)[] = new Array(store.marketCount);
  for (const m of markets) {
    if (!(m >= 0 && m < store.marketCount)) throw new RangeError(`markets: no market index ${m}`);
    accs[m] = new Float64Array((P + 1) * NV);
  }

  const { canLiquidate, equitySlope, notional } = exposure;
  const { equity, keeperReward } = exposure.health;
  const accountNotional = exposure.health.notional;
  const { lower, upper } = thresholds;
  const nP = store.positionCount;
  for (let i = 0; i < nP; i++) {
    const m = store.positionMarket[i]!;
    const acc = accs[m];
    if (acc === undefined) continue;
    const a = store.positionAccount[i]!;
    if (canLiquidate[a] !== 1) continue;
    const lo = lower[i]!;
    const up = upper[i]!;
    // The liquidatable interval [lLo, lHi) and its bins [j0, j1).
    let lLo: number;
    let lHi: number;
    let j0: number;
    let j1: number;
    if (lo === INF) {
      lLo = -INF;
      lHi = INF;
      j0 = 0;
      j1 = P;
    } else if (lo !== -INF) {
      lLo = -INF;
      lHi = lo;
      j0 = 0;
      j1 = points.lowerBound(lo); // strictly below lo
    } else if (up !== INF) {
      lLo = up;
      lHi = INF;
      j0 = points.upperBound(up); // strictly above up
      j1 = P;
    } else continue;
    const n0 = notional[i]!;
    if (j0 < j1) {
      const N0 = accountNotional[a]!;
      const b0 = j0 * NV;
      const b1 = j1 * NV;
      acc[b0]! += 1;
      acc[b0 + 1]! += N0;
      acc[b0 + 2]! += n0;
      acc[b0 + 3]! += n0;
      acc[b0 + 4]! += n0;
      acc[b1]! -= 1;
      acc[b1 + 1]! -= N0;
      acc[b1 + 2]! -= n0;
      acc[b1 + 3]! -= n0;
      acc[b1 + 4]! -= n0;
    }
    // Bad debt: keeper − equity where positive, inside the liquidatable interval. The keeper
    // reward of market m is min(krr·n0·(1 + r), cap): uncapped below rCap, capped above.
    const e0 = equity[a]!;
    const eS = equitySlope[i]!;
    const kr = store.keeperRewardRatio[m]! * n0;
    const cap = store.maxKeeperReward[m]!;
    const kOther = keeperReward[a]! - Math.min(kr, cap);
    if (kr > 0) {
      const rCap = cap / kr - 1;
      addBadDebt(acc, points, lLo, Math.min(lHi, rCap), kOther + kr - e0, kr - eS);
      addBadDebt(acc, points, Math.max(lLo, rCap), lHi, kOther + cap - e0, -eS);
    } else {
      addBadDebt(acc, points, lLo, lHi, kOther - e0, -eS);
    }
  }

  const out: MarketLadder[] = [];
  const K = moves.length;
  const moveIdx = new Int32Array(K);
  for (let k = 0; k < K; k++) moveIdx[k] = points.lowerBound(moves[k]!);
  for (const m of markets) {
    const acc = accs[m]!;
    const mark = store.price[m]!;
    const vCount = new Float64Array(P);
    const vNotional = new Float64Array(P);
    const vMarket = new Float64Array(P);
    const vBad = new Float64Array(P);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    for (let j = 0; j < P; j++) {
      const b = j * NV;
      s0 += acc[b]!;
      s1 += acc[b + 1]!;
      s2 += acc[b + 2]!;
      s3 += acc[b + 3]!;
      s4 += acc[b + 4]!;
      s5 += acc[b + 5]!;
      s6 += acc[b + 6]!;
      const r = pv[j]!;
      vCount[j] = Math.round(s0);
      vNotional[j] = Math.max(0, s1 + s2 * r);
      vMarket[j] = Math.max(0, s3 + s4 * r);
      vBad[j] = Math.max(0, s5 + s6 * r);
    }
    const ladder: MarketLadder = {
      market: m,
      marketId: store.marketIds[m]!,
      symbol: store.symbols[m]!,
      mark,
      moves: moves.slice(),
      prices: new Float64Array(K),
      count: new Float64Array(K),
      notional: new Float64Array(K),
      marketNotional: new Float64Array(K),
      badDebt: new Float64Array(K),
      atMark: { count: 0, notional: 0, marketNotional: 0, badDebt: 0 },
      within: [],
    };
    for (let k = 0; k < K; k++) {
      const j = moveIdx[k]!;
      ladder.prices[k] = mark * (1 + moves[k]!);
      ladder.count[k] = vCount[j]!;
      ladder.notional[k] = vNotional[j]!;
      ladder.marketNotional[k] = vMarket[j]!;
      ladder.badDebt[k] = vBad[j]!;
    }
    const point = (x: number): LadderPoint => {
      const j = points.lowerBound(x);
      return {
        count: vCount[j]!,
        notional: vNotional[j]!,
        marketNotional: vMarket[j]!,
        badDebt: vBad[j]!,
      };
    };
    ladder.atMark = point(0);
    for (const w of within) ladder.within.push({ move: w, down: point(-w), up: point(w) });
    out.push(ladder);
  }
  return out;
}
