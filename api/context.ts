/**
 * What a request's resolvers share: the services (reader, snapshots, chain, settings) and,
 * created on first use, the request's snapshot and DataLoaders.
 *
 * Why per request: one request is answered from one snapshot (one block), taken when the first
 * resolver asks, so its figures agree with each other; its loaders batch within the request
 * and never serve another request stale rows.
 */
import type { Logger } from "pino";
import type { ApiConfig } from "./config.js";
import { Loaders } from "./data/loaders.js";
import type { PonderReader } from "./data/ponderReader.js";
import type { Snapshot } from "./data/snapshot.js";
import type { SnapshotSource } from "./data/snapshotSource.js";

/** What the API asks the chain itself (through Ponder's RPC client). */
export interface ChainHead {
  /** The newest block, for the indexing lag. */
  latest(): Promise<{ number: bigint; timestamp: bigint }>;
  /** The hash of a block on the chain now (null if there is none), to detect reorgs. */
  blockHash(block: bigint): Promise<string | null>;
}

export interface ApiServices {
  reader: PonderReader;
  snapshots: SnapshotSource;
  chain: ChainHead | null;
  config: ApiConfig;
  logger: Logger;
}

/**
 * The reader as one request sees it: every history query it issues is counted, so a response
 * can say how many it took (`extensions.perpwatch.dbQueries`) — the proof that nested lists are
 * batched. Snapshot loads are shared by all requests of a block and not counted.
 */
function countingReader(reader: PonderReader, count: () => void): PonderReader {
  return new Proxy(reader, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        count();
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export class RequestContext {
  private snap: Promise<Snapshot> | undefined;
  private readonly loaderMemo = new Map<Snapshot, Loaders>();
  /** History queries this request issued. */
  dbQueries = 0;
  /** Estimated cost of the operation (set by the limits plugin). */
  cost: number | undefined;
  /** The reader, counting this request's queries. */
  readonly reader: PonderReader;
  /**
   * Set by a resolver whose answer depends on more than the snapshot (the wall clock, the
   * chain head): the response must not be replayed from the response cache.
   */
  uncacheable = false;

  /** @param snapshot the request's snapshot when the route already took it (response cache). */
  constructor(
    readonly services: ApiServices,
    snapshot?: Promise<Snapshot>,
  ) {
    this.snap = snapshot;
    this.reader = countingReader(services.reader, () => {
      this.dbQueries++;
    });
  }

  snapshot(): Promise<Snapshot> {
    this.snap ??= this.services.snapshots.current();
    return this.snap;
  }

  loaders(snap: Snapshot): Loaders {
    let l = this.loaderMemo.get(snap);
    if (!l) {
      l = new Loaders(this.reader, snap);
      this.loaderMemo.set(snap, l);
    }
    return l;
  }
}

/** The GraphQL context: yoga's own fields plus `api`. */
export interface ApiContext {
  api: RequestContext;
}
