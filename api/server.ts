/**
 * Perpwatch's GraphQL API: a graphql-yoga server over `schema.graphql`, reading the indexer's
 * tables through Ponder's read-only `db`, mounted at `/graphql` by src/api/index.ts.
 *
 * Why these pieces: the schema is written by hand (the contract) and resolvers attach to it
 * (`createSchema`); each request takes one snapshot of the indexed state (data/), computes
 * current figures with engine/exact and analytics with engine/analytics once per block;
 * history comes from the tables through batched loaders. Limits (limits/) bound what one
 * request can ask; errors carry stable codes (http/errorHandling.ts). Subscriptions are yoga's
 * server-sent events.
 *
 * `graphql` is imported as `graphql/index.js` throughout api/: the package ships a CommonJS and
 * an ESM build, Vite-based runners (vitest, Ponder's vite-node) resolve the bare name to the ESM
 * file while graphql-yoga, loaded by Node, gets the CommonJS one — two copies whose objects do
 * not mix. Naming the CommonJS entry keeps one copy everywhere.
 */

import { createSchema, createYoga, type YogaServerInstance } from "graphql-yoga";
import type { Logger } from "pino";
import type { RiskModel } from "../engine/risk/riskModel.js";
import { AnalyticsService } from "./admission/analyticsService.js";
import { createAlertsClient } from "./alerts/alertsClient.js";
import { accessPlugin } from "./auth/accessPlugin.js";
import { ApiAccess } from "./auth/apiAccess.js";
import type { Caller } from "./auth/apiKeys.js";
import { type ApiConfig, loadApiConfig } from "./config.js";
import {
  type ApiContext,
  type ApiServices,
  type ChainHead,
  type ExchangeServices,
  RequestContext,
} from "./context.js";
import { type Db, PonderReader, type Tables } from "./data/ponderReader.js";
import type { Snapshot } from "./data/snapshot.js";
import { SnapshotSource } from "./data/snapshotSource.js";
import { warmSnapshot } from "./data/warmSnapshot.js";
import { errorCodesPlugin, makeMaskError } from "./http/errorHandling.js";
import { renderOfflineGraphiQL } from "./http/graphiqlPage.js";
import { graphqlJsExecutorPlugin } from "./http/graphqlJsExecutor.js";
import { ResponseCache } from "./http/responseCache.js";
import { responseExtensionsPlugin } from "./http/responseExtensions.js";
import { subscriptionAcceptPlugin } from "./http/subscriptionAccept.js";
import { limitsPlugin } from "./limits/limitsPlugin.js";
import { logger as defaultLogger } from "./logger.js";
import { queryResolvers } from "./resolvers/query.js";
import { subscriptionResolvers } from "./resolvers/subscription.js";
import { scalarResolvers } from "./scalars/scalars.js";
import { readSchemaFile } from "./schemaFile.js";
import { BlockFeed } from "./subscriptions/blockFeed.js";

export const GRAPHQL_PATH = "/graphql";

/** Markets assumed by the cost estimate before the first snapshot is loaded. */
const FALLBACK_MARKET_COUNT = 32;

/** One exchange the API serves. */
export interface ExchangeToServe {
  /** Its configured id (`exchanges[].id`; every row of it names it). */
  id: string;
  protocol: string;
  chainId: number;
  /** Ponder's name of the chain it lives on (whose checkpoint is the indexed block). */
  chain: string;
  /** Its protocol's risk model (protocols/registry.ts): every figure at a block. */
  riskModel: RiskModel;
  /** The chain's newest block (for the indexing lag); null without an RPC client. */
  head?: ChainHead | null;
}

export interface PerpwatchApiOptions {
  db: Db;
  tables: Tables;
  /** The exchanges served, in configuration order (at least one). */
  exchanges: readonly ExchangeToServe[];
  config?: ApiConfig;
  logger?: Logger;
}

/**
 * What the route may hand yoga with a request (server context): the snapshot it already took,
 * who is asking (api/http/accessMiddleware.ts), and a slot where the request's context is left
 * for the route to read afterwards.
 */
export interface RouteContext {
  perpwatch?: {
    snapshots?: ReadonlyMap<string, Promise<Snapshot>>;
    caller?: Caller;
    request?: RequestContext;
  };
}

export interface PerpwatchApi {
  yoga: YogaServerInstance<RouteContext, ApiContext>;
  /** Every served exchange's services, by id, in configuration order. */
  exchanges: ExchangeServices;
  /** Answers to repeated queries at the served block (http/graphqlRoute.ts). */
  cache: ResponseCache;
  /** Whether plain JSON queries skip yoga's HTTP layer (http/plainQuery.ts). */
  plainQueries: boolean;
  /** Admission control and workers of the analytics (admission/analyticsService.ts). */
  analytics: AnalyticsService;
  /** API keys, rate windows and CORS (auth/apiAccess.ts), for the HTTP middleware. */
  access: ApiAccess;
}

export function createPerpwatchApi(opts: PerpwatchApiOptions): PerpwatchApi {
  const config = opts.config ?? loadApiConfig();
  const logger = opts.logger ?? defaultLogger;
  if (opts.exchanges.length === 0) throw new Error("createPerpwatchApi: no exchange to serve");
  // One analytics queue and worker pool for the process: its concurrency is the machine's.
  const analytics = new AnalyticsService(config.admission, logger);
  const access = new ApiAccess(config.auth, logger);
  const alerts = createAlertsClient(config.alertsUrl);
  const exchanges = new Map<string, ApiServices>();
  for (const x of opts.exchanges) {
    exchanges.set(x.id, exchangeServices(x, opts, config, logger, { analytics, alerts }));
  }
  const schema = createSchema<ApiContext>({
    typeDefs: readSchemaFile(),
    resolvers: {
      ...scalarResolvers,
      Query: queryResolvers,
      Subscription: subscriptionResolvers(),
    },
  });
  const yoga = createYoga<RouteContext, ApiContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: (initial) => {
      const api = new RequestContext(exchanges, initial.perpwatch?.snapshots);
      if (initial.perpwatch) initial.perpwatch.request = api;
      return { api };
    },
    maskedErrors: { maskError: makeMaskError(logger) },
    logging: false,
    landingPage: false,
    cors: false,
    batching: false,
    graphiql: { title: "Perpwatch GraphQL" },
    renderGraphiQL: renderOfflineGraphiQL,
    plugins: [
      limitsPlugin(config.limits, () => marketCount(exchanges) || FALLBACK_MARKET_COUNT),
      // After the limits: it charges the cost they estimated to the caller's rate window.
      accessPlugin(access),
      subscriptionAcceptPlugin(),
      errorCodesPlugin(),
      responseExtensionsPlugin(),
      graphqlJsExecutorPlugin(),
    ],
  });
  return {
    yoga,
    exchanges,
    cache: new ResponseCache(config.responseCacheEntries),
    plainQueries: config.plainQueries,
    analytics,
    access,
  };
}

/** The largest market count of the served exchanges' latest snapshots (for cost estimates). */
function marketCount(exchanges: ExchangeServices): number {
  let n = 0;
  for (const s of exchanges.values()) n = Math.max(n, s.snapshots.marketCount());
  return n;
}

/** One exchange's reader, snapshots (warmed per block) and block feed. */
function exchangeServices(
  x: ExchangeToServe,
  opts: PerpwatchApiOptions,
  config: ApiConfig,
  parent: Logger,
  shared: Pick<ApiServices, "analytics" | "alerts">,
): ApiServices {
  const logger = opts.exchanges.length > 1 ? parent.child({ exchange: x.id }) : parent;
  const chain = x.head ?? null;
  const reader = new PonderReader(opts.db, opts.tables, x.id, x.chain);
  const snapshots = new SnapshotSource(
    reader,
    {
      freshnessMs: config.freshnessMs,
      staleMs: config.staleMs,
      kept: config.keptSnapshots,
      model: x.riskModel,
      // Every account's health and the exchange's risk summary are what most requests read:
      // computed once when the block is loaded, before requests see it, in slices that let
      // requests (answered from the previous block meanwhile) through.
      warm: (snap) => warmSnapshot(snap, config.warmSliceMs),
    },
    logger,
    chain ? (block) => chain.blockHash(block) : null,
  );
  const feed = new BlockFeed(snapshots, config.pollIntervalMs, logger);
  const exchange = {
    id: x.id,
    protocol: x.protocol,
    chainId: x.chainId,
    mechanics: x.riskModel.mechanics,
  };
  return { exchange, reader, snapshots, feed, chain, config, logger, ...shared };
}
