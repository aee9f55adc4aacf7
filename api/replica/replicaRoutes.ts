/**
 * The replica's own `/ready` and `/status`, mounted by src/api/index.ts under `/replica/` (Ponder
 * answers `/ready` and `/status` itself, ahead of the API's routes; on a replica those two
 * paths are rewritten to these, replicaPaths.ts). And, on a replica, the follower that loads
 * and warms every new block as the indexer commits it, so the replica is current without traffic.
 */
import type { Hono } from "hono";
import type { ExchangeServices } from "../context.js";
import type { ReplicaConfig } from "./replicaConfig.js";
import { replicaReport } from "./replicaStatus.js";

export const REPLICA_READY_PATH = "/replica/ready";
export const REPLICA_STATUS_PATH = "/replica/status";

/** Says that an answer is the replica's own (not Ponder's `/ready` or `/status`). */
export const REPLICA_HEADER = "x-perpwatch-replica";

export function addReplicaRoutes(app: Hono, exchanges: ExchangeServices, config: ReplicaConfig) {
  app.get(REPLICA_READY_PATH, async (c) => {
    const r = await replicaReport(exchanges, config.maxLagBlocks);
    c.header(REPLICA_HEADER, "1");
    return r.ready ? c.text("", 200) : c.text(`${r.reason}\n`, 503);
  });
  app.get(REPLICA_STATUS_PATH, async (c) => {
    const r = await replicaReport(exchanges, config.maxLagBlocks);
    c.header(REPLICA_HEADER, "1");
    return c.json(r.status);
  });
}

/**
 * Keeps every exchange's snapshot current: a listener on each block feed (which polls the
 * checkpoint every `PERPWATCH_API_POLL_MS` while anyone listens) makes each new block load and
 * warm as soon as it is committed — what requests and subscriptions would otherwise trigger.
 */
export function followBlocks(exchanges: ExchangeServices): () => void {
  const stops = [...exchanges.values()].map((s) => s.feed.subscribe(() => {}));
  return () => {
    for (const stop of stops) stop();
  };
}
