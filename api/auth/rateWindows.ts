/**
 * Per-caller rate limits: requests and estimated analytics cost per window (a minute by
 * default), counted in fixed windows that start at a caller's first request.
 *
 * Why fixed windows: a refused caller is told exactly when its budget comes back
 * (`Retry-After`: the end of its window), and a test can wait one short window to see it
 * recover. The cost charged is the estimate the cost limit already computed for the operation
 * (api/limits/limitsPlugin.ts), before it runs; an answer replayed from the response cache
 * computes nothing and is charged nothing but its request.
 */
import type { RateLimits } from "./authConfig.js";

interface Window {
  start: number;
  requests: number;
  cost: number;
}

/** Why a caller must wait, and for how long. */
export interface RateRefusal {
  retryAfterS: number;
  message: string;
}

/** Windows kept before expired ones are dropped (anonymous callers are one per address). */
const PRUNE_AT = 10_000;

export class RateWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `bucket`, or says why it must wait. */
  request(bucket: string, limits: RateLimits): RateRefusal | null {
    if (limits.requests === null) return null;
    const w = this.current(bucket);
    if (w.requests >= limits.requests) {
      return this.refusal(w, `${limits.requests} requests per ${this.windowText()}`);
    }
    w.requests += 1;
    return null;
  }

  /** Charges `cost` to `bucket`, or (charging nothing) says why it must wait. */
  charge(bucket: string, limits: RateLimits, cost: number): RateRefusal | null {
    if (limits.cost === null || cost <= 0) return null;
    const w = this.current(bucket);
    if (cost > limits.cost) {
      return {
        retryAfterS: Math.ceil(this.windowMs / 1000),
        message: `query cost ${cost} exceeds the budget of ${limits.cost} per ${this.windowText()} on its own: select less`,
      };
    }
    if (w.cost + cost > limits.cost) {
      return this.refusal(
        w,
        `query cost ${limits.cost} per ${this.windowText()} (${w.cost} spent, this query costs ${cost})`,
      );
    }
    w.cost += cost;
    return null;
  }

  private current(bucket: string): Window {
    const t = this.now();
    let w = this.windows.get(bucket);
    if (!w || t - w.start >= this.windowMs) {
      if (!w && this.windows.size >= PRUNE_AT) this.prune(t);
      w = { start: t, requests: 0, cost: 0 };
      this.windows.set(bucket, w);
    }
    return w;
  }

  private refusal(w: Window, budget: string): RateRefusal {
    const retryAfterS = Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000));
    return { retryAfterS, message: `rate limit of ${budget} reached; retry in ${retryAfterS} s` };
  }

  private prune(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k);
  }

  private windowText(): string {
    return this.windowMs === 60_000 ? "minute" : `${this.windowMs} ms`;
  }
}
