/**
 * The analytics of one snapshot: the float64 position store built once per indexed block, and
 * on top of it the ladders, cascades, stress grids and VaR the API serves — each computed on
 * first request and kept for the block (`Snapshot.cached`), so repeated and concurrent queries
 * at one block cost a lookup.
 *
 * Why the API wraps `engine/analytics` rather than exposing it: the engine speaks market
 * indices, typed arrays and options objects; the API speaks market ids, validated arguments and
 * plain result rows, and adds the few figures only the API needs (liquidation price of one
 * position, "liquidatable within x%" in either direction). Everything here is pure computation
 * over the snapshot; no I/O.
 */
import {
  buildPositionStore,
  type CascadeContext,
  type CascadeResult,
  defaultMarketModel,
  fromD18,
  type ImpactModel,
  liquidationLadders,
  type MarkExposure,
  type MarketLadder,
  type MarketModel,
  markExposure,
  marketThresholds,
  type PositionStore,
  prepareCascade,
  runCascade,
  type Shock,
  type StressGrid,
  shockBetas,
  shockThresholds,
  stressGrid,
  type Thresholds,
  type VarResult,
  valueAtRisk,
} from "../../engine/analytics/index.js";
import type { Snapshot } from "../data/snapshot.js";

/** Moves (fractions) the "liquidatable within" figures are given at. */
export const WITHIN_LEVELS = [0.01, 0.03, 0.05, 0.1] as const;

export interface Within {
  pct1: number;
  pct3: number;
  pct5: number;
  pct10: number;
}

export interface ImpactChoice {
  model: ImpactModel;
  /** Multiplies every market's impact (0 = no impact). */
  scale: number;
}

export const DEFAULT_IMPACT: ImpactChoice = { model: "sqrt", scale: 1 };

const INF = Number.POSITIVE_INFINITY;

/**
 * Which moves "within x" ranges over: every move with |r| ≤ x, the falls −x ≤ r ≤ 0, or the
 * rises 0 ≤ r ≤ x (an account liquidatable now counts in both directions).
 */
export type WithinSide = "either" | "down" | "up";

function withinOf(
  thresholds: Thresholds,
  slots: Iterable<[slot: number, notional: number]>,
  side: WithinSide = "either",
): Within {
  const sums = WITHIN_LEVELS.map(() => 0);
  for (const [k, n] of slots) {
    const lo = thresholds.lower[k]!;
    const up = thresholds.upper[k]!;
    if (lo === -INF && up === INF) continue; // never liquidatable
    WITHIN_LEVELS.forEach((x, j) => {
      // Liquidatable for moves r < lo or r > up: some r in [−x, 0] qualifies iff lo > −x or
      // up < 0; some r in [0, x] iff lo > 0 or up < x; some |r| ≤ x iff lo > −x or up < x.
      const reached =
        side === "down" ? lo > -x || up < 0 : side === "up" ? lo > 0 || up < x : lo > -x || up < x;
      if (reached) sums[j]! += n;
    });
  }
  return { pct1: sums[0]!, pct3: sums[1]!, pct5: sums[2]!, pct10: sums[3]! };
}

/** Keeps a computed figure under a key for the book's block (`Snapshot.cached`). */
export type FigureCache = <T>(key: string, compute: () => T) => T;

/** A figure cache of its own, for a book without a snapshot (an analytics worker's). */
export function ownFigureCache(maxEntries = 256): FigureCache {
  const memo = new Map<string, unknown>();
  return <T>(key: string, compute: () => T): T => {
    if (memo.has(key)) return memo.get(key) as T;
    const v = compute();
    if (memo.size >= maxEntries) memo.delete(memo.keys().next().value!);
    memo.set(key, v);
    return v;
  };
}

export class BookAnalytics {
  readonly exposure: MarkExposure;
  readonly model: MarketModel;
  private thresholdsMemo: Thresholds | undefined;
  private readonly accountSlot = new Map<string, number>();
  private readonly contexts = new Map<string, CascadeContext>();

  /**
   * @param store the book's positions (plain data: an analytics worker gets a copy)
   * @param insuranceFund the fund's balance in USD
   * @param cached where figures are kept for the block
   */
  constructor(
    readonly store: PositionStore,
    readonly insuranceFund: number,
    private readonly cached: FigureCache,
  ) {
    this.exposure = markExposure(this.store);
    this.model = defaultMarketModel(this.store);
    this.store.accountIds.forEach((id, a) => {
      this.accountSlot.set(id.toString(), a);
    });
  }

  static ofSnapshot(snap: Snapshot): BookAnalytics {
    const store = buildPositionStore({
      markets: snap.book.markets,
      accounts: snap.book.accounts,
      prices: snap.book.prices,
      timestamp: snap.timestamp,
      model: snap.model,
    });
    return new BookAnalytics(store, fromD18(snap.book.insuranceFund), (key, compute) =>
      snap.cached(key, compute),
    );
  }

  /** Per position: the move of its market at which its account turns liquidatable. */
  private thresholds(): Thresholds {
    this.thresholdsMemo ??= marketThresholds(this.store, this.exposure);
    return this.thresholdsMemo;
  }

  /**
   * The price of `marketId` at which the account's liquidation condition flips (all other
   * prices fixed), or null when no positive price does (or every price does).
   */
  liquidationPrice(accountId: bigint, marketId: bigint): number | null {
    const a = this.accountSlot.get(accountId.toString());
    if (a === undefined) return null;
    const m = Number(marketId) - 1;
    const s = this.store;
    for (let i = s.accountStart[a]!; i < s.accountStart[a + 1]!; i++) {
      if (s.positionMarket[i] !== m) continue;
      const t = this.thresholds();
      const lo = t.lower[i]!;
      const up = t.upper[i]!;
      const mark = s.price[m]!;
      if (Number.isFinite(lo)) return mark * (1 + lo);
      if (Number.isFinite(up)) return mark * (1 + up);
      return null;
    }
    return null;
  }

  /**
   * Notional of the accounts holding `marketId` that a move of it within ±x liquidates (or a
   * fall, or a rise, of at most x: `side`).
   */
  withinMarket(marketId: bigint, side: WithinSide = "either"): Within {
    const m = Number(marketId) - 1;
    const s = this.store;
    const t = this.thresholds();
    const notional = this.exposure.health.notional;
    const slots: [number, number][] = [];
    for (let i = 0; i < s.positionCount; i++) {
      if (s.positionMarket[i] === m) slots.push([i, notional[s.positionAccount[i]!]!]);
    }
    return withinOf(t, slots, side);
  }

  /** Notional a correlated shock (every market by its beta) within ±x liquidates. */
  withinCorrelated(): Within {
    const t = shockThresholds(this.store, this.exposure, shockBetas(this.model));
    const notional = this.exposure.health.notional;
    const slots: [number, number][] = [];
    for (let a = 0; a < this.store.accountCount; a++) slots.push([a, notional[a]!]);
    return withinOf(t, slots);
  }

  /** The model with every market's impact scaled (sqrt: Y·scale; linear: depth/scale). */
  private scaledModel(impact: ImpactChoice): MarketModel {
    if (impact.scale === 1) return this.model;
    return {
      correlation: this.model.correlation,
      markets: this.model.markets.map((p) => ({
        ...p,
        impactY: p.impactY * impact.scale,
        depthPer1Pct: impact.scale > 0 ? p.depthPer1Pct / impact.scale : p.depthPer1Pct,
      })),
    };
  }

  private context(impact: ImpactChoice): CascadeContext {
    const key = impact.scale === 1 ? "1" : String(impact.scale);
    let ctx = this.contexts.get(key);
    if (!ctx) {
      ctx = prepareCascade(this.store, this.scaledModel(impact), this.exposure);
      this.contexts.set(key, ctx);
    }
    return ctx;
  }

  private impactModel(impact: ImpactChoice): ImpactModel {
    return impact.scale === 0 ? "none" : impact.model;
  }

  cascade(
    shock: { marketId?: bigint; move: number },
    impact: ImpactChoice,
    maxRounds: number,
    spillover: boolean,
  ): CascadeResult {
    const key = `cascade:${shock.marketId ?? "all"}:${shock.move}:${impact.model}:${impact.scale}:${maxRounds}:${spillover}`;
    return this.cached(key, () => {
      const s: Shock =
        shock.marketId !== undefined
          ? { kind: "market", market: Number(shock.marketId) - 1, move: shock.move }
          : { kind: "correlated", move: shock.move };
      return runCascade(this.context(impact), s, {
        impact: this.impactModel(impact),
        spillover,
        maxRounds,
        insuranceFund: this.insuranceFund,
      });
    });
  }

  stress(q: {
    shocks?: readonly number[];
    withImpact: boolean;
    impact: ImpactChoice;
    marketId?: bigint;
  }): StressGrid {
    const key = `stress:${q.shocks?.join(",") ?? "default"}:${q.withImpact}:${q.impact.model}:${q.impact.scale}:${q.marketId ?? "all"}`;
    return this.cached(key, () => {
      const grid = stressGrid(
        this.store,
        {
          shocks: q.shocks,
          mode: q.withImpact ? "cascade" : "shock",
          impact: this.impactModel(q.impact),
          market: q.marketId !== undefined ? Number(q.marketId) - 1 : undefined,
          insuranceFund: this.insuranceFund,
        },
        undefined,
        this.context(q.impact),
      );
      // Keep the rows only: the per-shock cascade results are large and not served.
      return {
        mode: grid.mode,
        rows: grid.rows,
        firstBadDebt: grid.firstBadDebt,
        firstAdl: grid.firstAdl,
      };
    });
  }

  ladder(marketId: bigint, range: number, step: number): MarketLadder {
    return this.cached(`ladder:${marketId}:${range}:${step}`, () => {
      const [ladder] = liquidationLadders(
        this.store,
        { maxMove: range, step, markets: [Number(marketId) - 1] },
        this.exposure,
        this.thresholds(),
      );
      return ladder!;
    });
  }

  valueAtRisk(
    paths: number,
    seed: number,
  ): Omit<VarResult, "pathBadDebt" | "pathLiquidatedNotional" | "pathLiquidatedAccounts"> {
    return this.cached(`var:${paths}:${seed}`, () => {
      const { pathBadDebt, pathLiquidatedNotional, pathLiquidatedAccounts, ...rest } = valueAtRisk(
        this.store,
        { paths, seed },
        this.model,
        this.exposure,
      );
      return rest;
    });
  }
}

const perSnapshot = new WeakMap<Snapshot, BookAnalytics>();

/** The analytics of a snapshot, built on first use. */
export function analyticsOf(snap: Snapshot): BookAnalytics {
  let a = perSnapshot.get(snap);
  if (!a) {
    a = BookAnalytics.ofSnapshot(snap);
    perSnapshot.set(snap, a);
  }
  return a;
}
