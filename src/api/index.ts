/**
 * Ponder's HTTP entry point: Perpwatch's GraphQL API at `/graphql` (api/, the contract in
 * `schema.graphql`), Ponder's own generated GraphQL at `/ponder/graphql` and SQL over HTTP at
 * `/sql/*` (what `@ponder/client` uses). All logic lives in api/; this file only wires it to
 * Ponder's read-only database, its schema objects, the exchange it serves and its chain's RPC
 * client.
 */

import { db, publicClients } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";
import { loadApiConfigOrExit } from "../../api/config.js";
import { graphqlRoute } from "../../api/http/graphqlRoute.js";
import { createPerpwatchApi, GRAPHQL_PATH } from "../../api/server.js";
import { loadIndexerConfigOrExit } from "../../indexer/config.js";
import { protocolNamed } from "../../protocols/protocols.js";

// The exchange served: the first configured one (its rows name its id; its chain's checkpoint
// is the indexed block, and Ponder's client of that chain answers the head and reorg checks).
const [served] = loadIndexerConfigOrExit(process.env).exchanges;
if (!served) throw new Error("perpwatch api: the indexer configuration names no exchange");
const exchange = { id: served.id, chain: served.chain.name };
const chainClient = publicClients[exchange.chain as keyof typeof publicClients];
if (!chainClient) throw new Error(`perpwatch api: Ponder has no chain "${exchange.chain}"`);
const protocol = protocolNamed(served.protocol);
if (!protocol) throw new Error(`perpwatch api: no protocol "${served.protocol}" is registered`);
const api = createPerpwatchApi({
  db,
  tables: schema,
  exchange,
  riskModel: protocol.riskModel,
  config: loadApiConfigOrExit(process.env),
  chain: {
    async latest() {
      const b = await chainClient.getBlock({ blockTag: "latest" });
      return { number: b.number, timestamp: b.timestamp };
    },
    async blockHash(blockNumber) {
      const b = await chainClient.getBlock({ blockNumber }).catch(() => null);
      return b?.hash ?? null;
    },
  },
});

const app = new Hono();

app.on(["GET", "POST"], GRAPHQL_PATH, graphqlRoute(api));
app.use("/ponder/graphql", graphql({ db, schema }));
app.use("/sql/*", client({ db, schema }));

export default app;
