/**
 * The `RiskSource` the worker uses in production: Perpwatch's GraphQL API over HTTP, turned
 * into plain `RiskObservation`s, one exchange at a time (the API's `exchanges` lists them;
 * every other query names its exchange); and, when the chain's JSON-RPC URL is configured,
 * the canonical block hashes that let the worker retract alerts raised on reorged blocks.
 *
 * Decimal strings become float64 here (thresholds are risk estimates); block numbers stay
 * bigint. Everything schema-specific is in `queries.ts` and the answer types below.
 */
import type { ApiClient, QueryOptions } from "../../runtime/apiClient.js";
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
import {
  analyticsDocuments,
  analyticsFields,
  coreQuery,
  EXCHANGES,
  LIQUIDATIONS_PAGE,
} from "./queries.js";

export interface RiskSource {
  /** Every exchange the API indexes (`exchanges[].id`), in its order. */
  exchanges(): Promise<readonly string[]>;
  /** One exchange at its latest indexed block. */
  observe(exchange: string, needs: ObservationNeeds): Promise<RiskObservation>;
  /**
   * One exchange at an earlier block, where the source can tell (the API keeps or rebuilds
   * recent blocks: `X-Perpwatch-Block`); rejects with `BLOCK_UNAVAILABLE` where it cannot.
   */
  observeAt?(exchange: string, needs: ObservationNeeds, block: bigint): Promise<RiskObservation>;
  /** Canonical hash of each block number of the exchange's chain now (null when unknown). */
  blockHashes(exchange: string, numbers: readonly bigint[]): Promise<Map<bigint, string | null>>;
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

/** How long the API's list of exchanges is trusted before it is asked again. */
const EXCHANGES_TTL_MS = 60_000;

export interface ApiSourceOptions {
  api: ApiClient;
  chain?: ChainHashes;
  /** Wall clock (tests). */
  now?: () => number;
}

interface ExchangeList {
  ids: string[];
  chainIds: Map<string, number>;
  atMs: number;
}

export function createApiSource(opts: ApiSourceOptions): RiskSource {
  const { api } = opts;
  const chain = opts.chain ?? noChainHashes;
  const now = opts.now ?? Date.now;
  /** Market ids per exchange, as last seen (the per-market fields run beside the core query). */
  const knownMarkets = new Map<string, string[]>();
  let list: ExchangeList | null = null;

  async function fetchExchanges(): Promise<ExchangeList> {
    const r = await api.query<{ exchanges: { id: string; chainId: number }[] }>(EXCHANGES);
    list = {
      ids: r.exchanges.map((x) => x.id),
      chainIds: new Map(r.exchanges.map((x) => [x.id, x.chainId])),
      atMs: Date.now(),
    };
    return list;
  }
  /** The list as last fetched (fetched once if never). */
  const known = async () => list ?? (await fetchExchanges());

  /** Whether the RPC's block hashes are this exchange's chain's. */
  async function chainOf(exchange: string): Promise<boolean> {
    if (!chain.enabled) return false;
    const l = await known();
    const rpc = await chain.chainId();
    // An RPC that does not say its chain is trusted only when there is one exchange to use it for.
    if (rpc === null) return l.ids.length <= 1;
    return l.chainIds.get(exchange) === rpc;
  }

  async function hashesOf(exchange: string, numbers: readonly bigint[]) {
    if (await chainOf(exchange)) return chain.hashes(numbers);
    return new Map(numbers.map((n) => [n, null] as [bigint, string | null]));
  }

  async function analytics(
    exchange: string,
    needs: ObservationNeeds,
    ids: readonly string[],
    at: QueryOptions,
  ) {
    const fields = analyticsFields(needs, ids);
    const answers = await Promise.all(
      analyticsDocuments(fields).map((doc) =>
        api.query<Record<string, unknown>>(doc, { exchange }, at),
      ),
    );
    return Object.assign({}, ...answers) as Record<string, unknown>;
  }

  async function liquidationsBack(
    exchange: string,
    first: LiquidationsAnswer,
    sinceS: number,
    at: QueryOptions,
  ) {
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
      const next: { liquidations: LiquidationsAnswer } = await api.query(
        LIQUIDATIONS_PAGE,
        { exchange, liquidations: LIQUIDATION_PAGE_SIZE, after: page.pageInfo.endCursor },
        at,
      );
      page = next.liquidations;
    }
    return out;
  }

  return {
    async exchanges() {
      const l = list && Date.now() - list.atMs < EXCHANGES_TTL_MS ? list : await fetchExchanges();
      return l.ids;
    },

    observe: (exchange, needs) => observation(exchange, needs, {}),
    observeAt: (exchange, needs, block) => observation(exchange, needs, { block }),
    blockHashes: (exchange, numbers) => hashesOf(exchange, numbers),
  };

  /** One exchange at the newest block, or at `at.block`. */
  async function observation(
    exchange: string,
    needs: ObservationNeeds,
    at: QueryOptions,
  ): Promise<RiskObservation> {
    const observedAtMs = now();
    const perMarket = needs.marketRisk || needs.marketShocks.length > 0;
    const markets = knownMarkets.get(exchange) ?? [];
    const [core, extra, watched] = await Promise.all([
      api.query<CoreAnswer>(
        coreQuery(needs),
        { exchange, liquidations: LIQUIDATION_PAGE_SIZE, after: null, top: needs.topAccounts },
        at,
      ),
      analytics(exchange, needs, perMarket ? markets : [], at),
      known().then((l) => l.ids),
    ]);
    const ids = core.markets?.map((m) => m.id) ?? [];
    const missing = perMarket ? ids.filter((id) => !markets.includes(id)) : [];
    if (missing.length > 0) {
      const more = await analytics(
        exchange,
        { ...needs, correlatedShocks: [], stress: null, varLar: null },
        missing,
        at,
      );
      Object.assign(extra, more);
    }
    if (core.markets) knownMarkets.set(exchange, ids);

    const number = BigInt(core.riskSummary.block);
    const timestamp = seconds(core.riskSummary.timestamp);
    const hash = (await hashesOf(exchange, [number])).get(number) ?? null;
    const obs: RiskObservation = {
      exchangeId: exchange,
      watchedExchanges: watched,
      block: { number, hash, timestamp },
      observedAtMs,
    };

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
        exchange,
        core.liquidations,
        timestamp - needs.liquidationWindowMs / 1000,
        at,
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
  }
}
