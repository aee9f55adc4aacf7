/**
 * The latency path's trigger: tells the worker each time the API has indexed a new block of
 * an exchange. Each exchange the API lists (asked until it answers) is followed on its own:
 * its blocks are its chain's, and a slow chain never holds up another's.
 *
 * Preferred: the API's GraphQL subscription over server-sent events (one event per indexed
 * block, pushed). Fallback: polling `indexingStatus` every ~250 ms, used when the API has no
 * such subscription or the stream breaks; in `auto` mode the feed tries the stream again
 * after 5 s (a broken stream) or 30 s (an API without the subscription) while it polls. A stream that goes silent past the watchdog (the server pings
 * every 12 s) is dropped and reconnected.
 */
import type { Logger } from "pino";
import { type ApiClient, authorizationHeader } from "../../runtime/apiClient.js";
import { INDEXED_BLOCK, NEW_BLOCK_SUBSCRIPTION } from "./queries.js";
import { readSse } from "./sseStream.js";

export type FeedMode = "auto" | "sse" | "poll";

export interface BlockFeedOptions {
  api: ApiClient;
  /** The exchanges to follow (the API's `exchanges[].id`); asked again until it answers. */
  exchanges: () => Promise<readonly string[]>;
  mode: FeedMode;
  pollIntervalMs: number;
  logger: Logger;
  /** Retry the stream this often while polling in auto mode. */
  sseRetryMs?: number;
  /** Drop a stream that sent nothing (not even a ping) for this long. */
  watchdogMs?: number;
}

export interface BlockFeed {
  start(onBlock: (exchange: string, block: bigint) => void): void;
  stop(): Promise<void>;
  /** How blocks arrive right now ("poll" when any exchange's do; "sse" when all others stream). */
  readonly via: "sse" | "poll" | "none";
}

type Via = BlockFeed["via"];

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

export function createBlockFeed(opts: BlockFeedOptions): BlockFeed {
  const { api, logger } = opts;
  const stop = new AbortController();
  const followers: { readonly via: Via }[] = [];
  let loop: Promise<void> | null = null;

  /** Asks for the exchanges until the API answers (or the feed stops: null). */
  async function discover(): Promise<readonly string[] | null> {
    let failing = false;
    while (!stop.signal.aborted) {
      try {
        const ids = await opts.exchanges();
        if (failing) logger.info(`block feed: API ${api.url} answers again`);
        return ids;
      } catch (err) {
        if (!failing) {
          logger.warn(`block feed: ${err instanceof Error ? err.message : String(err)}; retrying`);
        }
        failing = true;
      }
      await sleep(opts.pollIntervalMs, stop.signal);
    }
    return null;
  }

  return {
    get via() {
      const all = followers.map((f) => f.via);
      if (all.includes("poll")) return "poll";
      return all.includes("sse") ? "sse" : "none";
    },
    start(cb) {
      loop = (async () => {
        const ids = await discover();
        if (!ids) return;
        const named = ids.length > 1;
        await Promise.all(
          ids.map((id) => {
            const f = follow(opts, stop.signal, id, named, (b) => cb(id, b));
            followers.push(f);
            return f.done;
          }),
        );
      })();
    },
    async stop() {
      stop.abort();
      await loop;
    },
  };
}

/** Follows one exchange's blocks until `signal` aborts. */
function follow(
  opts: BlockFeedOptions,
  signal: AbortSignal,
  exchange: string,
  named: boolean,
  onBlock: (block: bigint) => void,
): { readonly via: Via; done: Promise<void> } {
  const { api, logger } = opts;
  const sseRetryMs = opts.sseRetryMs ?? 30_000;
  const watchdogMs = opts.watchdogMs ?? 30_000;
  const of = named ? ` of exchange "${exchange}"` : "";
  let via: Via = "none";
  let last: bigint | null = null;

  const seen = (b: bigint) => {
    if (last !== b) {
      last = b;
      onBlock(b);
    }
  };

  /** Streams until the stream ends; "unsupported" when the API refuses the subscription. */
  async function stream(): Promise<"ended" | "unsupported" | "failed"> {
    const conn = new AbortController();
    const abort = () => conn.abort();
    signal.addEventListener("abort", abort, { once: true });
    let watchdog: NodeJS.Timeout | undefined;
    const pet = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => conn.abort(), watchdogMs);
    };
    try {
      pet();
      const res = await fetch(api.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          ...authorizationHeader(),
        },
        body: JSON.stringify({ query: NEW_BLOCK_SUBSCRIPTION, variables: { exchange } }),
        signal: conn.signal,
      });
      if (!res.ok || !res.headers.get("content-type")?.includes("text/event-stream") || !res.body) {
        await res.body?.cancel();
        return res.status >= 400 && res.status < 500 ? "unsupported" : "failed";
      }
      via = "sse";
      logger.info(`block feed: subscribed to new blocks${of} at ${api.url} (server-sent events)`);
      // Blocks indexed while the stream was being set up were not pushed: ask once.
      void api
        .query<{ indexingStatus: { indexedBlock: string } }>(INDEXED_BLOCK, { exchange })
        .then((r) => seen(BigInt(r.indexingStatus.indexedBlock)))
        .catch(() => undefined);
      for await (const ev of readSse(res.body, pet)) {
        if (ev.event === "complete") break;
        if (ev.event !== "next" && ev.event !== "message") continue;
        let payload: { data?: { riskSummary?: { block?: string } }; errors?: unknown[] };
        try {
          payload = JSON.parse(ev.data);
        } catch {
          continue;
        }
        // An error event (e.g. the API not ready yet): drop the stream, poll, retry soon.
        if (payload.errors && !payload.data) return "failed";
        const block = payload.data?.riskSummary?.block;
        if (block !== undefined) seen(BigInt(block));
      }
      return "ended";
    } catch {
      return "failed";
    } finally {
      clearTimeout(watchdog);
      signal.removeEventListener("abort", abort);
      if (via === "sse") via = "none";
    }
  }

  async function poll(untilMs: number): Promise<void> {
    let failing = false;
    while (!signal.aborted && Date.now() < untilMs) {
      try {
        const r = await api.query<{ indexingStatus: { indexedBlock: string } }>(INDEXED_BLOCK, {
          exchange,
        });
        via = "poll";
        if (failing) logger.info(`block feed: API ${api.url} answers again`);
        failing = false;
        seen(BigInt(r.indexingStatus.indexedBlock));
      } catch (err) {
        if (!failing) {
          logger.warn(`block feed: ${err instanceof Error ? err.message : String(err)}; retrying`);
        }
        failing = true;
      }
      await sleep(opts.pollIntervalMs, signal);
    }
  }

  async function run(): Promise<void> {
    let announcedPolling = false;
    let retryMs = sseRetryMs;
    while (!signal.aborted) {
      if (opts.mode !== "poll") {
        const how = await stream();
        if (signal.aborted) return;
        if (opts.mode === "sse") {
          if (how !== "ended") await sleep(1000, signal);
          continue;
        }
        if (how === "ended") continue;
        // A stream that broke is retried soon; an API without the subscription rarely.
        retryMs = how === "unsupported" ? sseRetryMs : Math.min(sseRetryMs, 5000);
      }
      if (!announcedPolling) {
        logger.info(
          `block feed: polling indexingStatus${of} every ${opts.pollIntervalMs} ms at ${api.url}`,
        );
        announcedPolling = true;
      }
      await poll(opts.mode === "poll" ? Number.POSITIVE_INFINITY : Date.now() + retryMs);
    }
  }

  return {
    get via() {
      return via;
    },
    done: run(),
  };
}
