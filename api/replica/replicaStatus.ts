/**
 * What an API replica serves, against what the indexer has committed: per exchange, the block
 * of its snapshot in memory and the indexer's checkpoint of its chain in the database.
 *
 * Why: a replica (`perpwatch serve`, i.e. `ponder serve`) shares the indexer's database but not
 * its process. Ponder's own `/ready` only says the indexer finished its backfill, and its
 * `/status` names the indexer's checkpoint — neither says whether *this* process serves it.
 * A replica is ready when the backfill is done and every exchange's served block is at most
 * `maxLagBlocks` behind the checkpoint (it loads and warms each block as it comes, so it is
 * a block behind for the moment that takes: no flapping in and out of the load balancer).
 */
import type { ExchangeServices } from "../context.js";

/** Ponder's `/status` shape: by chain name, its id and a block (here: the block served). */
export type ServedStatus = Record<
  string,
  { id: number; block: { number: number; timestamp: number } }
>;

export interface ExchangeLag {
  exchange: string;
  chain: string;
  served: { number: number; timestamp: number } | null;
  checkpoint: number | null;
}

export interface ReplicaReport {
  ready: boolean;
  /** Why not ready (one line), or null. */
  reason: string | null;
  exchanges: ExchangeLag[];
  status: ServedStatus;
}

export async function replicaReport(
  exchanges: ExchangeServices,
  maxLagBlocks: number,
): Promise<ReplicaReport> {
  const rows = await Promise.all(
    [...exchanges.values()].map(async (s): Promise<ExchangeLag & { live: boolean }> => {
      const [snap, at, live] = await Promise.all([
        s.snapshots.current().catch(() => null),
        s.reader.indexedBlock(),
        s.reader.isReady(),
      ]);
      return {
        exchange: s.exchange.id,
        chain: s.reader.chainName,
        served: snap ? { number: Number(snap.block), timestamp: Number(snap.timestamp) } : null,
        checkpoint: at ? Number(at.block) : null,
        live,
      };
    }),
  );
  const status: ServedStatus = {};
  for (const [i, s] of [...exchanges.values()].entries()) {
    const r = rows[i]!;
    if (!r.served) continue;
    const prev = status[r.chain];
    if (!prev || prev.block.number > r.served.number) {
      status[r.chain] = { id: s.exchange.chainId, block: r.served };
    }
  }
  let reason: string | null = null;
  for (const r of rows) {
    if (!r.live) reason = "the indexer has not finished its historical backfill";
    else if (!r.served || r.checkpoint === null)
      reason = `exchange "${r.exchange}": no block served yet`;
    else if (r.served.number + maxLagBlocks < r.checkpoint)
      reason = `exchange "${r.exchange}": serving block ${r.served.number}, the indexer is at ${r.checkpoint}`;
    if (reason) break;
  }
  return {
    ready: reason === null,
    reason,
    exchanges: rows.map(({ live: _live, ...r }) => r),
    status,
  };
}
