/**
 * The `RiskSource` the worker uses in production: Perpwatch's GraphQL API over HTTP, turned
 * into plain `RiskObservation`s; and, when the chain's JSON-RPC URL is configured, the
 * canonical block hashes that let the worker retract alerts raised on reorged blocks.
 *
 * Decimal strings become float64 here (thresholds are risk estimates); block numbers stay
 * bigint. Everything schema-specific is in `queries.ts` and the answer types below.
 */
import type { ApiClient } from "../../runtime/apiClient.js";
import type {
  AccountObservation,
  CascadeOutcome,
  LiquidatableWithin,
  LiquidationObservation,
  MarketObservation,
  ObservationNeeds,
  RiskObservation,
} from "../observation.js";
import { type ChainHashes, noChainHashes } from "./chainHashes.js";
import { analyticsDocuments, analyticsFields, coreQuery, LIQUIDATIONS_PAGE } from "./queries.js";

export interface RiskSource {
  observe(needs: ObservationNeeds): Promise<RiskObservation>;
  /** Canonical hash of each block number now (null when unknown). */
  blockHashes(numbers: readonly bigint[]): Promise<Map<bigint, string | null>>;
}

type Dec = string;
interface WithinAnswer {
  pct1: number;
  pct3: number;
  pct5: number;
  pct10: number;
}
interface LiquidationsAnswer {
  edges: {
    node: {
      id: string;
      accountId: string;
      notional: Dec;
      badDebt: Dec;
      insuranceCovered: Dec;
      blockNumber: string;
      timestamp: string;
    };
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface CoreAnswer {
  riskSummary: {
    block: string;
    timestamp: string;
    openInterestUsd?: number;
    accountsAtRisk?: number;
    insuranceFund?: Dec;
    pendingBadDebt?: Dec;
    amplificationAt10?: number;
    adlLikely?: boolean;
    maxAbsFundingRate?: number;
    liquidatableWithin?: WithinAnswer;
  };
  indexingStatus?: {
    chainHead: string;
    indexedBlock: string;
    lagBlocks: string;
    lagSeconds: number;
    live: boolean;
  };
  markets?: {
    id: string;
    symbol: string;
    price: Dec;
    priceTime: string | null;
    openInterestUsd: Dec;
    skewRatio: number;
    pendingBadDebt: Dec;
    funding: { rateNow: Dec; velocity: Dec };
  }[];
  liquidations?: LiquidationsAnswer;
  accounts?: {
    edges: {
      node: {
        id: string;
        marginRatio: number | null;
        notional: Dec;
        equity: Dec;
        liquidatable: boolean;
        positions: { market: { id: string }; notional: Dec }[];
      };
    }[];
  };
  mirrorStatus?: { eventsChecked: string; divergenceCount: string };
}
interface CascadeAnswer {
  amplification: number;
  liquidatedNotional: number;
  liquidatedAccounts: number;
  badDebt: number;
  adlTriggered: boolean;
}

const f = (v: string | number | null | undefined): number =>
  v === null || v === undefined ? Number.NaN : typeof v === "number" ? v : Number.parseFloat(v);
const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
const within = (w: WithinAnswer): LiquidatableWithin => ({
  pct1: w.pct1,
  pct3: w.pct3,
  pct5: w.pct5,
  pct10: w.pct10,
});
const outcome = (shock: number, c: CascadeAnswer): CascadeOutcome => ({ shock, ...c });

/** Liquidations per page; the window usually fits in one. */
const LIQUIDATION_PAGE_SIZE = 500;

export interface ApiSourceOptions {
  api: ApiClient;
  chain?: ChainHashes;
  /** Wall clock (tests). */
  now?: () => number;
}

export function createApiSource(opts: ApiSourceOptions): RiskSource {
  const { api } = opts;
  const chain = opts.chain ?? noChainHashes;
  const now = opts.now ?? Date.now;
  let knownMarkets: string[] = [];

  async function analytics(needs: ObservationNeeds, ids: readonly string[]) {
    const fields = analyticsFields(needs, ids);
    const answers = await Promise.all(
      analyticsDocuments(fields).map((doc) => api.query<Record<string, unknown>>(doc)),
    );
    return Object.assign({}, ...answers) as Record<string, unknown>;
  }

  async function liquidationsBack(first: LiquidationsAnswer, sinceS: number) {
    const out: LiquidationObservation[] = [];
    let page: LiquidationsAnswer | undefined = first;
    while (page) {
      let older = false;
      for (const { node: n } of page.edges) {
        const t = seconds(n.timestamp);
        if (t < sinceS) older = true;
        out.push({
          id: n.id,
          accountId: n.accountId,
          notional: f(n.notional),
          badDebt: f(n.badDebt),
          insuranceCovered: f(n.insuranceCovered),
          blockNumber: BigInt(n.blockNumber),
          timestamp: t,
        });
      }
      if (older || !page.pageInfo.hasNextPage) break;
      const next: { liquidations: LiquidationsAnswer } = await api.query(LIQUIDATIONS_PAGE, {
        liquidations: LIQUIDATION_PAGE_SIZE,
        after: page.pageInfo.endCursor,
      });
      page = next.liquidations;
    }
    return out;
  }

  return {
    async observe(needs) {
      const observedAtMs = now();
      const perMarket = needs.marketRisk || needs.marketShocks.length > 0;
      const [core, extra] = await Promise.all([
        api.query<CoreAnswer>(coreQuery(needs), {
          liquidations: LIQUIDATION_PAGE_SIZE,
          after: null,
          top: needs.topAccounts,
        }),
        analytics(needs, perMarket ? knownMarkets : []),
      ]);
      const ids = core.markets?.map((m) => m.id) ?? [];
      const missing = perMarket ? ids.filter((id) => !knownMarkets.includes(id)) : [];
      if (missing.length > 0) {
        const more = await analytics(
          { ...needs, correlatedShocks: [], stress: null, varLar: null },
          missing,
        );
        Object.assign(extra, more);
      }
      if (core.markets) knownMarkets = ids;

      const number = BigInt(core.riskSummary.block);
      const timestamp = seconds(core.riskSummary.timestamp);
      const hash = (await chain.hashes([number])).get(number) ?? null;
      const obs: RiskObservation = { block: { number, hash, timestamp }, observedAtMs };

      const s = core.riskSummary;
      if (needs.exchange && s.liquidatableWithin) {
        obs.exchange = {
          openInterestUsd: f(s.openInterestUsd),
          accountsAtRisk: s.accountsAtRisk ?? 0,
          insuranceFund: f(s.insuranceFund),
          pendingBadDebt: f(s.pendingBadDebt),
          amplificationAt10: f(s.amplificationAt10),
          adlLikely: s.adlLikely === true,
          maxAbsFundingRate: f(s.maxAbsFundingRate),
          liquidatableWithin: within(s.liquidatableWithin),
        };
      }
      if (core.indexingStatus) {
        const i = core.indexingStatus;
        obs.indexing = {
          chainHead: BigInt(i.chainHead),
          indexedBlock: BigInt(i.indexedBlock),
          lagBlocks: Number(i.lagBlocks),
          lagSeconds: i.lagSeconds,
          live: i.live,
        };
      }
      if (core.markets) {
        obs.markets = core.markets.map((m): MarketObservation => {
          const market: MarketObservation = {
            id: m.id,
            symbol: m.symbol,
            price: f(m.price),
            priceTime: m.priceTime === null ? null : seconds(m.priceTime),
            openInterestUsd: f(m.openInterestUsd),
            skewRatio: m.skewRatio,
            fundingRate: f(m.funding.rateNow),
            fundingVelocity: f(m.funding.velocity),
            pendingBadDebt: f(m.pendingBadDebt),
          };
          const risk = extra[`risk_${m.id}`] as { liquidatableWithin: WithinAnswer } | undefined;
          if (risk) market.liquidatableWithin = within(risk.liquidatableWithin);
          const cascades = needs.marketShocks.flatMap((shock, i) => {
            const c = extra[`cascade_${m.id}_${i}`] as CascadeAnswer | undefined;
            return c ? [outcome(shock, c)] : [];
          });
          if (needs.marketShocks.length > 0) market.cascades = cascades;
          return market;
        });
      }
      if (needs.correlatedShocks.length > 0) {
        obs.correlatedCascades = needs.correlatedShocks.flatMap((shock, i) => {
          const c = extra[`correlated_${i}`] as CascadeAnswer | undefined;
          return c ? [outcome(shock, c)] : [];
        });
      }
      if (core.liquidations) {
        obs.liquidations = await liquidationsBack(
          core.liquidations,
          timestamp - needs.liquidationWindowMs / 1000,
        );
      }
      if (core.accounts) {
        obs.topAccounts = core.accounts.edges.map(
          ({ node: a }): AccountObservation => ({
            id: a.id,
            marginRatio: a.marginRatio,
            notional: f(a.notional),
            equity: f(a.equity),
            liquidatable: a.liquidatable,
            positions: a.positions.map((p) => ({ marketId: p.market.id, notional: f(p.notional) })),
          }),
        );
      }
      if (core.mirrorStatus) {
        obs.mirror = {
          eventsChecked: Number(core.mirrorStatus.eventsChecked),
          divergenceCount: Number(core.mirrorStatus.divergenceCount),
        };
      }
      const stress = extra.stress as
        | { points: NonNullable<RiskObservation["stress"]>["points"] }
        | undefined;
      if (needs.stress && stress)
        obs.stress = { withImpact: needs.stress.withImpact, points: stress.points };
      const v = extra.varLar as NonNullable<RiskObservation["varLar"]> | undefined;
      if (v) obs.varLar = v;
      return obs;
    },
    blockHashes: (numbers) => chain.hashes(numbers),
  };
}
