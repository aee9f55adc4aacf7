/**
 * One timed HTTP request, and a burst of them sent from a process of its own (for
 * api-overload.bench.ts).
 *
 * Why a process of its own: the bench measures the light requests' latency from its own event
 * loop; sending 200 requests at once and reading their answers from that same loop delayed the
 * light requests' own answers there, which then counted as the server's latency. The burst's
 * process still runs on the same 2 cores as the server, as a real client next to it would.
 *
 * `PERPWATCH_BENCH_BURST_NICE=19` runs the burst's process at that nice value: in production the
 * heavy clients are other machines, and on 2 cores the burst's own CPU (about a core for half a
 * second) otherwise counts against the server; the light client keeps the normal priority.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { envInteger } from "./envInteger.js";

export interface Timed {
  status: number;
  ms: number;
  code: string | null;
}

export interface BurstRequest {
  url: string;
  init?: RequestInit;
}

export async function timedFetch(url: string, init?: RequestInit): Promise<Timed> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? null;
    return { status: res.status, ms: performance.now() - t0, code };
  } catch {
    return { status: 0, ms: performance.now() - t0, code: "FETCH_FAILED" };
  }
}

export const post = (query: string, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify({ query }),
});

/** PERPWATCH_BENCH_BURST_NICE as a nice value (0–19: lowering one's priority needs no rights). */
const burstNice = () => envInteger("PERPWATCH_BENCH_BURST_NICE", 0, 19, 0);

/** A burst's process, started and loaded ahead of the burst (its start-up is not measured). */
export interface BurstChild {
  /** Sends every request at once; their timings, in order. */
  fire(requests: readonly BurstRequest[]): Promise<Timed[]>;
  /**
   * Ends the process, closing its connections. Separate from `fire` so that the bench can do it
   * after its measurement window: 200 connections closing at once are the clients' doing.
   */
  stop(): void;
}

/** Starts the burst's process and resolves once it is loaded and waiting for its requests. */
export async function startBurstChild(): Promise<BurstChild> {
  burstNice(); // a bad value fails here, in one line, not in the child
  const child = fork(fileURLToPath(import.meta.url), ["--child"], { stdio: "inherit" });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`the burst's process exited (${code}) before it answered`);
  });
  await Promise.race([once(child, "message"), exited]); // "ready"
  return {
    async fire(requests) {
      const answer = once(child, "message");
      child.send(requests);
      const [timings] = (await Promise.race([answer, exited])) as [Timed[]];
      return timings;
    },
    stop() {
      exited.catch(() => {});
      child.kill();
    },
  };
}

if (process.argv.includes("--child") && process.send) {
  if (process.env.PERPWATCH_BENCH_BURST_NICE) setPriority(burstNice());
  process.once("message", async (requests: BurstRequest[]) => {
    const timings = await Promise.all(requests.map((r) => timedFetch(r.url, r.init)));
    process.send?.(timings);
  });
  process.send("ready");
}
