/**
 * What a request's resolvers share: the services of every served exchange (reader,
 * snapshots, chain, settings) and, created on first use, the request's snapshot of each
 * exchange it reads and their DataLoaders.
 *
 * Why per request: one request is answered from one snapshot (one block) per exchange, taken
 * when the first resolver asks, so its figures agree with each other; its loaders batch within
 * the request and never serve another request stale rows. Which exchange a root field reads is
 * its `exchange` argument, which may be omitted when only one exchange is served.
 */
import type { Logger } from "pino";
import type { LiquidationMechanics } from "../engine/risk/riskModel.js";
import type { AnalyticsService } from "./admission/analyticsService.js";
import type { AlertsClient } from "./alerts/alertsClient.js";
import type { ApiConfig } from "./config.js";
import { Loaders } from "./data/loaders.js";
import type { PonderReader } from "./data/ponderReader.js";
import type { Snapshot } from "./data/snapshot.js";
import type { SnapshotSource } from "./data/snapshotSource.js";
import { badInput } from "./errors.js";
import type { BlockFeed } from "./subscriptions/blockFeed.js";

/** What the API asks the chain itself (through Ponder's RPC client). */
export interface ChainHead {
  /** The newest block, for the indexing lag. */
  latest(): Promise<{ number: bigint; timestamp: bigint }>;
  /** The hash of a block on the chain now (null if there is none), to detect reorgs. */
  blockHash(block: bigint): Promise<string | null>;
}

export interface ApiServices {
  /** The exchange served: its configured id, protocol and how its liquidations work. */
  exchange: ServedExchange;
  reader: PonderReader;
  snapshots: SnapshotSource;
  /** New blocks of this exchange, for subscriptions. */
  feed: BlockFeed;
  chain: ChainHead | null;
  config: ApiConfig;
  logger: Logger;
  /** Analytics through admission control (shared by every exchange of the process). */
  analytics: AnalyticsService;
  /** The alert worker's store, read over HTTP (shared by every exchange of the process). */
  alerts: AlertsClient;
}

export interface ServedExchange {
  id: string;
  protocol: string;
  chainId: number;
  mechanics: LiquidationMechanics;
}

/** Every served exchange's services, by id, in configuration order. */
export type ExchangeServices = ReadonlyMap<string, ApiServices>;

/**
 * The services of `exchange` (an argument as given), or of the only exchange when omitted;
 * a BAD_USER_INPUT that lists the ids otherwise.
 */
export function servicesOf(
  all: ExchangeServices,
  exchange: string | null | undefined,
): ApiServices {
  const ids = [...all.keys()];
  if (exchange === undefined || exchange === null) {
    if (ids.length === 1) return all.get(ids[0]!)!;
    throw badInput(
      "exchange",
      `one of ${ids.map((i) => `"${i}"`).join(", ")} (several exchanges are indexed)`,
    );
  }
  const s = all.get(exchange);
  if (!s) throw badInput("exchange", `one of ${ids.map((i) => `"${i}"`).join(", ")}`, exchange);
  return s;
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
  private readonly snaps = new Map<string, Promise<Snapshot>>();
  private readonly readers = new Map<string, PonderReader>();
  private readonly loaderMemo = new Map<Snapshot, Loaders>();
  /** History queries this request issued. */
  dbQueries = 0;
  /** Estimated cost of the operation (set by the limits plugin). */
  cost: number | undefined;
  /**
   * Set by a resolver whose answer depends on more than the snapshot (the wall clock, the
   * chain head): the response must not be replayed from the response cache.
   */
  uncacheable = false;

  /** @param pinned the request's snapshots when the route already took them (response cache). */
  constructor(
    readonly all: ExchangeServices,
    pinned?: ReadonlyMap<string, Promise<Snapshot>>,
  ) {
    for (const [id, snap] of pinned ?? []) this.snaps.set(id, snap);
  }

  /** The services of the exchange a root field names (see `servicesOf`). */
  services(exchange?: string | null): ApiServices {
    return servicesOf(this.all, exchange);
  }

  snapshot(exchange?: string | null): Promise<Snapshot> {
    const s = this.services(exchange);
    let snap = this.snaps.get(s.exchange.id);
    if (!snap) {
      snap = s.snapshots.current();
      this.snaps.set(s.exchange.id, snap);
    }
    return snap;
  }

  /** The exchange's reader, counting this request's queries. */
  reader(exchange?: string | null): PonderReader {
    const s = this.services(exchange);
    let r = this.readers.get(s.exchange.id);
    if (!r) {
      r = countingReader(s.reader, () => {
        this.dbQueries++;
      });
      this.readers.set(s.exchange.id, r);
    }
    return r;
  }

  /** Loaders of the snapshot's exchange at its block. */
  loaders(snap: Snapshot): Loaders {
    let l = this.loaderMemo.get(snap);
    if (!l) {
      l = new Loaders(this.reader(snap.exchangeId), snap);
      this.loaderMemo.set(snap, l);
    }
    return l;
  }
}

/** The GraphQL context: yoga's own fields plus `api`. */
export interface ApiContext {
  api: RequestContext;
}
