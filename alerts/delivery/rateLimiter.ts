/**
 * A client-side rate limit per receiver: a token bucket of `perMinute` tokens refilled
 * continuously, so a cascade of alerts reaches PagerDuty at no more than its 120 events per
 * minute per routing key instead of earning 429s (and, worse, dropped events).
 *
 * Pure apart from the clock it is given: `take(now)` says how long to wait before the next
 * send may go (0 = now, and the token is taken).
 */
export class RateLimiter {
  private tokens: number;
  private last: number | null = null;

  constructor(private readonly perMinute: number) {
    this.tokens = perMinute;
  }

  /** Takes a token if one is there (returns 0), else returns the ms until one will be. */
  take(nowMs: number): number {
    const rate = this.perMinute / 60_000;
    if (this.last !== null) {
      this.tokens = Math.min(this.perMinute, this.tokens + (nowMs - this.last) * rate);
    }
    this.last = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / rate - 1e-9));
  }
}
