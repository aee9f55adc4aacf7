/**
 * Ponder's HTTP entry point: Perpwatch's GraphQL API at `/graphql` (api/, the contract in
 * `schema.graphql`), Ponder's own generated GraphQL at `/ponder/graphql` and SQL over HTTP at
 * `/sql/*` (what `@ponder/client` uses). All logic lives in api/; this file only wires it to
 * Ponder's read-only database, its schema objects, the exchanges it serves and their chains'
 * RPC clients.
 */

import { db, publicClients } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";
import { guardMetrics } from "../../api/auth/metricsGuard.js";
import { loadApiConfigOrExit } from "../../api/config.js";
import type { ChainHead } from "../../api/context.js";
import { accessMiddleware } from "../../api/http/accessMiddleware.js";
import { beforePonder } from "../../api/http/beforePonder.js";
import { frontDoor } from "../../api/http/frontDoor.js";
import { graphqlNotFound, graphqlRoute } from "../../api/http/graphqlRoute.js";
import { RISK_PAGE_PATH, riskPageResponse } from "../../api/http/riskPage.js";
import { loadReplicaConfigOrExit } from "../../api/replica/replicaConfig.js";
import { rewritePaths } from "../../api/replica/replicaPaths.js";
import {
  addReplicaRoutes,
  followBlocks,
  REPLICA_READY_PATH,
  REPLICA_STATUS_PATH,
} from "../../api/replica/replicaRoutes.js";
import { createPerpwatchApi, GRAPHQL_PATH } from "../../api/server.js";
import { loadIndexerConfigOrExit } from "../../indexer/config.js";
import { protocolNamed } from "../../protocols/protocols.js";

// Every configured exchange: its rows name its id, its chain's checkpoint is its indexed
// block, and Ponder's client of that chain answers the head and reorg checks.
const exchanges = loadIndexerConfigOrExit(process.env).exchanges.map((x) => {
  const chainClient = publicClients[x.chain.name as keyof typeof publicClients];
  if (!chainClient) throw new Error(`perpwatch api: Ponder has no chain "${x.chain.name}"`);
  const protocol = protocolNamed(x.protocol);
  if (!protocol) throw new Error(`perpwatch api: no protocol "${x.protocol}" is registered`);
  const head: ChainHead = {
    async latest() {
      const b = await chainClient.getBlock({ blockTag: "latest" });
      return { number: b.number, timestamp: b.timestamp };
    },
    async blockHash(blockNumber) {
      const b = await chainClient.getBlock({ blockNumber }).catch(() => null);
      return b?.hash ?? null;
    },
  };
  return {
    id: x.id,
    protocol: x.protocol,
    chainId: x.chain.id,
    chain: x.chain.name,
    riskModel: protocol.riskModel,
    head,
  };
});
const config = loadApiConfigOrExit(process.env);
const api = createPerpwatchApi({ db, tables: schema, exchanges, config });

const app = new Hono();

// The built-in risk page: its figures come from /graphql, under that route's access rules.
app.get(RISK_PAGE_PATH, () => riskPageResponse());
// Who is asking first (API key or anonymous tier, rate window, CORS); the raw tables need a
// key with `tables: true` unless anonymous callers may read everything (the devnet).
app.use(GRAPHQL_PATH, accessMiddleware(api.access, "graphql"));
// Every method, so that PUT or DELETE get a 405 with a GraphQL error body rather than Hono's
// plain-text 404; anything below the endpoint gets a 404 with one.
app.all(GRAPHQL_PATH, graphqlRoute(api));
app.all(`${GRAPHQL_PATH}/*`, graphqlNotFound);
app.use("/ponder/graphql", accessMiddleware(api.access, "tables"));
app.use("/ponder/graphql", graphql({ db, schema }));
app.use("/sql/*", accessMiddleware(api.access, "tables"));
app.use("/sql/*", client({ db, schema }));
// Ponder's own /metrics is answered before any route of ours: guarded below Hono instead.
guardMetrics(api.access);
// /health and the analytics queue's refusals, answered below Ponder's HTTP stack.
if (config.frontDoor) beforePonder("front door", frontDoor(api));
// Requests and analytics cost per API key name (never the key), for the same scraper key.
app.use("/perpwatch/metrics", accessMiddleware(api.access, "metrics"));
app.get("/perpwatch/metrics", (c) => c.text(api.access.usage.prometheus()));

// Stopping, the server waits for its open responses; a subscription's stream never ends by
// itself, so its clients would hear nothing until their watchdog gave up. End them now, so a
// worker following this replica moves to another one at once.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    for (const s of api.exchanges.values()) s.feed.close();
  });
}

// What this process serves against the indexer's checkpoint. A replica (`perpwatch serve`)
// answers /ready and /status with these and loads and warms each new block on its own.
const replica = loadReplicaConfigOrExit(process.env);
addReplicaRoutes(app, api.exchanges, replica);
if (replica.follow) {
  rewritePaths({ "/ready": REPLICA_READY_PATH, "/status": REPLICA_STATUS_PATH });
  followBlocks(api.exchanges);
}

export default app;
