/**
 * HMAC-SHA256 request signing, so a receiver can tell a Perpwatch delivery from a forgery and
 * refuse replays: `X-Perpwatch-Signature: v1=<hex HMAC of "<timestamp>.<body>">` with the
 * shared secret, and `X-Perpwatch-Timestamp: <unix seconds>` (the same scheme as Stripe and
 * Slack request signing). The timestamp is per attempt; the body never changes.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-perpwatch-signature";
export const TIMESTAMP_HEADER = "x-perpwatch-timestamp";
export const IDEMPOTENCY_HEADER = "idempotency-key";

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type Verification = "ok" | "missing" | "bad-signature" | "too-old";

/** Checks a delivery's signature, and that its timestamp is within `toleranceS` of now. */
export function verify(
  secret: string,
  headers: { signature?: string; timestamp?: string },
  body: string,
  nowS: number,
  toleranceS = 300,
): Verification {
  if (!headers.signature || !headers.timestamp) return "missing";
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts)) return "missing";
  const expected = Buffer.from(sign(secret, ts, body));
  const got = Buffer.from(headers.signature);
  if (expected.length !== got.length || !timingSafeEqual(expected, got)) return "bad-signature";
  if (Math.abs(nowS - ts) > toleranceS) return "too-old";
  return "ok";
}
