/**
 * One `ApiClient` over several API replicas (`perpwatch serve` processes, or the indexer's own
 * API among them): queries go to one of them — the active one — and move to the next when it
 * stops answering, so a replica dying costs the worker one failed request, not its feed.
 *
 * Health: every `healthIntervalMs` each replica's `/ready` is asked (a replica's `/ready` is
 * "I serve the indexer's checkpoint", api/replica/); the active one is left while it is ready
 * (moving between replicas needlessly could step back a block), and replaced by the first
 * ready one, in the order given, once it is not. A query that finds the active replica
 * unreachable, answering 5xx, or not ready (NOT_READY) is retried once on each other replica,
 * in order, before its error is thrown. `url` is the active replica's, so what reads it per
 * connection (the block feed's event stream) follows the switch on its next connect.
 */
import { type ApiClient, ApiError, createApiClient, type QueryOptions } from "./apiClient.js";

export interface FailoverApiClientOptions {
  /** GraphQL endpoints, e.g. `http://api-1:42069/graphql`, in order of preference. */
  urls: readonly string[];
  /** Per-request timeout; default 10 s. */
  timeoutMs?: number;
  /** How often every replica's `/ready` is asked; default 1 s. */
  healthIntervalMs?: number;
  /** Called on every switch (for a log line). */
  onSwitch?: (from: string, to: string, why: string) => void;
}

export interface FailoverApiClient extends ApiClient {
  readonly urls: readonly string[];
  /** Stops the health checks. */
  close(): void;
}

/** Whether `err` says this replica cannot answer now (another one might). */
export function replicaFailed(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.kind === "unreachable") return true;
  if (err.kind === "graphql") return err.code === "NOT_READY";
  return / HTTP 5\d\d /.test(err.message);
}

/** `/ready` beside a GraphQL endpoint (the API serves both from its root). */
function readyUrl(graphqlUrl: string): string {
  return new URL("/ready", graphqlUrl).toString();
}

export function createFailoverApiClient(opts: FailoverApiClientOptions): FailoverApiClient {
  if (opts.urls.length === 0) throw new Error("createFailoverApiClient: no API URL");
  const clients = opts.urls.map((url) => createApiClient({ url, timeoutMs: opts.timeoutMs }));
  /** Last health answer per replica (true until asked: the first query finds out). */
  const ready = opts.urls.map(() => true);
  /**
   * When each replica last failed a query: a health answer to a request sent before that
   * (a replica killed mid-check answered 200 just before) does not make it ready again.
   */
  const failedAt = opts.urls.map(() => Number.NEGATIVE_INFINITY);
  let active = 0;

  const switchTo = (next: number, why: string) => {
    if (next === active) return;
    const from = opts.urls[active]!;
    active = next;
    opts.onSwitch?.(from, opts.urls[next]!, why);
  };
  /** The first ready replica after `from` in order (wrapping), or the next one if none is. */
  const nextAfter = (from: number): number => {
    for (let i = 1; i < clients.length; i++) {
      const j = (from + i) % clients.length;
      if (ready[j]) return j;
    }
    return (from + 1) % clients.length;
  };

  const check = async () => {
    await Promise.all(
      opts.urls.map(async (url, i) => {
        const asked = performance.now();
        let ok = false;
        try {
          const res = await fetch(readyUrl(url), { signal: AbortSignal.timeout(2000) });
          await res.body?.cancel();
          ok = res.status === 200;
        } catch {
          ok = false;
        }
        if (asked > failedAt[i]!) ready[i] = ok;
      }),
    );
    if (!ready[active]) {
      const first = ready.indexOf(true);
      if (first >= 0) switchTo(first, `${opts.urls[active]} is not ready`);
    }
  };
  let checking = false;
  const timer =
    clients.length > 1
      ? setInterval(() => {
          if (checking) return;
          checking = true;
          void check().finally(() => {
            checking = false;
          });
        }, opts.healthIntervalMs ?? 1000)
      : undefined;
  timer?.unref();

  return {
    urls: opts.urls,
    get url() {
      return opts.urls[active]!;
    },
    async query<T>(
      query: string,
      variables?: Record<string, unknown>,
      options?: QueryOptions,
    ): Promise<T> {
      let lastErr: unknown;
      for (let tried = 0; tried < clients.length; tried++) {
        const at = active;
        try {
          return await clients[at]!.query<T>(query, variables, options);
        } catch (err) {
          if (!replicaFailed(err) || clients.length === 1) throw err;
          lastErr = err;
          ready[at] = false;
          failedAt[at] = performance.now();
          // Another query may have switched meanwhile: only move on from where this one was.
          if (active === at) switchTo(nextAfter(at), (err as Error).message);
        }
      }
      throw lastErr;
    },
    close() {
      if (timer) clearInterval(timer);
    },
  };
}
