/**
 * Request signing per Standard Webhooks (https://www.standardwebhooks.com): headers
 * `webhook-id` (the delivery's idempotency key: the same on every retry), `webhook-timestamp`
 * (unix seconds, per attempt) and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">`. Several active secrets (rotation) give several
 * space-separated signatures; a receiver accepts the delivery when one of them verifies.
 *
 * Why this scheme: receivers verify with any Standard Webhooks library, and the id, hence the
 * idempotency key a receiver deduplicates on, is covered by the signature. A secret written
 * `whsec_<base64>` is the spec's form (its base64-decoded bytes are the key); any other string
 * is used as it is (its UTF-8 bytes).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const ID_HEADER = "webhook-id";
export const TIMESTAMP_HEADER = "webhook-timestamp";
export const SIGNATURE_HEADER = "webhook-signature";
export const IDEMPOTENCY_HEADER = "idempotency-key";

function keyOf(secret: string): Buffer {
  if (secret.startsWith("whsec_")) return Buffer.from(secret.slice(6), "base64");
  return Buffer.from(secret, "utf8");
}

function signOne(secret: string, id: string, timestamp: number, body: string): string {
  return createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
}

/** The `webhook-signature` header value: one `v1,<base64>` per active secret. */
export function sign(
  secrets: string | readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  const list = typeof secrets === "string" ? [secrets] : secrets;
  return list.map((s) => `v1,${signOne(s, id, timestamp, body)}`).join(" ");
}

export type Verification = "ok" | "missing" | "bad-signature" | "too-old";

export interface SignedHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

/**
 * Checks a delivery: some `v1` signature in the header verifies with some secret, and the
 * timestamp is within `toleranceS` of now (replays of old deliveries are refused).
 */
export function verify(
  secrets: string | readonly string[],
  headers: SignedHeaders,
  body: string,
  nowS: number,
  toleranceS = 300,
): Verification {
  if (!headers.id || !headers.signature || !headers.timestamp) return "missing";
  if (!/^\d+$/.test(headers.timestamp)) return "missing";
  const ts = Number(headers.timestamp);
  const list = typeof secrets === "string" ? [secrets] : secrets;
  const given = headers.signature
    .split(" ")
    .filter((p) => p.startsWith("v1,"))
    .map((p) => Buffer.from(p.slice(3)));
  const ok = list.some((s) => {
    const expected = Buffer.from(signOne(s, headers.id!, ts, body));
    return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected));
  });
  if (!ok) return "bad-signature";
  if (Math.abs(nowS - ts) > toleranceS) return "too-old";
  return "ok";
}
