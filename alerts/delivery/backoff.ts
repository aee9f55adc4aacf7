/**
 * Retry delays: exponential (initial × 2^(attempt−1), capped) with jitter, so receivers
 * coming back from an outage are not hit by every worker's retries in the same instant. The
 * delay is drawn uniformly from [½, 1] × the exponential step ("equal jitter"): never a
 * hot-loop of zero delays, never more than the cap. A receiver's `Retry-After` wins when
 * it asks for longer, up to 10 minutes whatever the backoff cap (PagerDuty asks for minutes
 * after a 429; retrying sooner only earns more 429s).
 */

/** The longest `Retry-After` honoured. */
export const RETRY_AFTER_CAP_MS = 600_000;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export function backoffMs(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const step = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.max(0, attempt - 1));
  const jittered = step / 2 + random() * (step / 2);
  if (retryAfterMs === undefined) return Math.round(jittered);
  return Math.round(Math.min(RETRY_AFTER_CAP_MS, Math.max(jittered, retryAfterMs)));
}

/** `Retry-After` as milliseconds (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - nowMs);
}
