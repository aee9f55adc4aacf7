/**
 * MarketModel: what analytics assumes about each market beyond the contract — daily volatility,
 * jumps, traded volume, order-book depth, impact coefficient — and how markets co-move.
 *
 * Why: cascades (impact), correlated shocks (betas), spillover and Monte-Carlo (paths) all need
 * the same statistical picture of the markets, and it must be one object a caller can inspect,
 * override and validate. Defaults: volatility, jumps and correlation of the default markets
 * (defaultMarkets.ts: the devnet's markets and its simulator's price model; annual volatility
 * / √365 per day), and for any other symbol a middle-of-the-road small cap with 0.6
 * correlation. Liquidity is
 * scaled to the market's open-interest cap (an exchange sizes caps to what it can unwind):
 * daily volume twice the cap's notional, 1% of daily volume to move the price by 1%.
 */
import type { LiquidityCurve } from "../risk/liquidityCurve.js";
import { DEFAULT_CORRELATION, DEFAULT_MARKETS } from "./defaultMarkets.js";
import type { PositionStore } from "./positionStore.js";

export interface MarketRiskParams {
  symbol: string;
  /** Daily volatility of log returns (e.g. 0.55/√365 for BTC). */
  dailyVol: number;
  /** Poisson jumps per day and the mean / sd of a jump's log size. */
  jumpsPerDay: number;
  jumpMean: number;
  jumpSd: number;
  /** Daily traded volume, USD: the V of the square-root impact law. */
  dailyVolume: number;
  /** USD of net flow that moves the price by 1% (linear depth model). */
  depthPer1Pct: number;
  /** The Y of the square-root law Δp/p = Y·σ·√(Q/V) (order 1 empirically). */
  impactY: number;
  /** The pool the market's liquidations trade against, for the "pool" impact law. */
  venue?: LiquidityCurve;
}

export interface MarketModel {
  markets: MarketRiskParams[];
  /** Correlation of daily log returns, n×n row-major. */
  correlation: Float64Array;
}

const DAYS = Math.sqrt(365);

/** The default markets' annual volatility and jumps (defaultMarkets.ts), by symbol. */
const KNOWN: Readonly<Record<string, readonly [number, number, number, number]>> =
  Object.fromEntries(
    DEFAULT_MARKETS.map((m) => [m.symbol, [m.annualVol, m.jumpsPerDay, m.jumpMean, m.jumpSd]]),
  );
const KNOWN_ORDER = DEFAULT_MARKETS.map((m) => m.symbol);
const DEFAULT_SMALL_CAP: readonly [number, number, number, number] = [1.2, 4, 0, 0.025];
const OTHER_CORRELATION = 0.6;

/** The default model for the store's markets (see the module comment). */
export function defaultMarketModel(store: PositionStore): MarketModel {
  const n = store.marketCount;
  const markets: MarketRiskParams[] = [];
  for (let m = 0; m < n; m++) {
    const symbol = store.symbols[m]!;
    const [annualVol, jumpsPerDay, jumpMean, jumpSd] = KNOWN[symbol] ?? DEFAULT_SMALL_CAP;
    const capNotional = store.maxOpenInterest[m]! * store.price[m]!;
    const dailyVolume = Math.max(2 * capNotional, 1e6);
    markets.push({
      symbol,
      dailyVol: annualVol / DAYS,
      jumpsPerDay,
      jumpMean,
      jumpSd,
      dailyVolume,
      depthPer1Pct: dailyVolume / 100,
      impactY: 1,
      ...(store.venues?.[m] ? { venue: store.venues[m]! } : {}),
    });
  }
  // The devnet table where both symbols are known (all known: exactly the table); otherwise a
  // constant correlation, which is positive definite for any n.
  const allKnown = store.symbols.every((s) => KNOWN_ORDER.includes(s));
  const correlation = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const si = KNOWN_ORDER.indexOf(store.symbols[i]!);
      const sj = KNOWN_ORDER.indexOf(store.symbols[j]!);
      correlation[i * n + j] =
        i === j ? 1 : allKnown ? DEFAULT_CORRELATION[si]![sj]! : OTHER_CORRELATION;
    }
  }
  return { markets, correlation };
}

function fail(key: string, value: unknown, expected: string): never {
  throw new RangeError(`${key}: ${String(value)} is not ${expected}`);
}

/** Throws a `RangeError` naming the key, the value and what was expected. */
export function validateMarketModel(model: MarketModel, marketCount: number): void {
  if (model.markets.length !== marketCount) {
    fail("markets.length", model.markets.length, `${marketCount} (one per market)`);
  }
  model.markets.forEach((p, m) => {
    const k = (f: string) => `markets[${m}].${f}`;
    if (!(p.dailyVol >= 0 && p.dailyVol < 10)) fail(k("dailyVol"), p.dailyVol, "in [0, 10)");
    if (!(p.jumpsPerDay >= 0)) fail(k("jumpsPerDay"), p.jumpsPerDay, "≥ 0");
    if (!Number.isFinite(p.jumpMean)) fail(k("jumpMean"), p.jumpMean, "finite");
    if (!(p.jumpSd >= 0)) fail(k("jumpSd"), p.jumpSd, "≥ 0");
    if (!(p.dailyVolume > 0)) fail(k("dailyVolume"), p.dailyVolume, "> 0");
    if (!(p.depthPer1Pct > 0)) fail(k("depthPer1Pct"), p.depthPer1Pct, "> 0");
    if (!(p.impactY >= 0)) fail(k("impactY"), p.impactY, "≥ 0");
  });
  const n = marketCount;
  if (model.correlation.length !== n * n) {
    fail("correlation.length", model.correlation.length, `${n * n} (${n}×${n})`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = model.correlation[i * n + j]!;
      if (i === j && c !== 1) fail(`correlation[${i}][${i}]`, c, "1");
      if (!(c >= -1 && c <= 1)) fail(`correlation[${i}][${j}]`, c, "in [−1, 1]");
      if (c !== model.correlation[j * n + i]) fail(`correlation[${i}][${j}]`, c, "symmetric");
    }
  }
}

/**
 * Betas of a correlated shock on a reference market: `beta_m = ρ(m, ref)·σ_m/σ_ref`, the
 * regression of m's return on the reference's (1 for the reference itself).
 */
export function shockBetas(model: MarketModel, reference = 0): Float64Array {
  const n = model.markets.length;
  // No markets yet (an exchange just deployed): a market-wide shock moves nothing.
  if (n === 0) return new Float64Array(0);
  if (!(reference >= 0 && reference < n)) fail("reference", reference, `a market index < ${n}`);
  const sRef = model.markets[reference]!.dailyVol;
  const out = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    out[m] =
      m === reference
        ? 1
        : sRef > 0
          ? (model.correlation[m * n + reference]! * model.markets[m]!.dailyVol) / sRef
          : 0;
  }
  return out;
}

/**
 * Spillover: `S[m·n + j]` is how much market m moves per unit move of market j caused by j's
 * own flow — the regression beta `ρ(m, j)·σ_m/σ_j`, 1 on the diagonal.
 */
export function spilloverMatrix(model: MarketModel): Float64Array {
  const n = model.markets.length;
  const s = new Float64Array(n * n);
  for (let m = 0; m < n; m++) {
    for (let j = 0; j < n; j++) {
      const sj = model.markets[j]!.dailyVol;
      s[m * n + j] =
        m === j
          ? 1
          : sj > 0
            ? (model.correlation[m * n + j]! * model.markets[m]!.dailyVol) / sj
            : 0;
    }
  }
  return s;
}
