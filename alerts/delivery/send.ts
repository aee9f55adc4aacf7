/**
 * One HTTP attempt of one delivery (email goes over SMTP instead: sendEmail.ts): POST the stored body with the idempotency key (also the
 * Standard Webhooks `webhook-id`), the timestamp and (with secrets) the signatures, and
 * classify the answer.
 *
 * 2xx is delivered. 408, 425, 429 and 5xx, timeouts and connection failures are worth
 * retrying. Any other 4xx means the receiver will never accept this body (a bad URL path, a
 * revoked Slack hook, a malformed PagerDuty key): retrying cannot help, so it is final.
 */
import { type ReceiverConfig, targetUrl } from "../config/receiverSchema.js";
import type { OutboxRow } from "../store/alertStore.js";
import { parseRetryAfter } from "./backoff.js";
import { sendEmail } from "./sendEmail.js";
import {
  ID_HEADER,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  sign,
  TIMESTAMP_HEADER,
} from "./signature.js";

export type SendOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; error: string; status?: number; retryAfterMs?: number }
  | { kind: "final"; error: string };

const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed by the receiver",
  UND_ERR_CONNECT_TIMEOUT: "connect timeout",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
};

function networkError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return `no answer in ${timeoutMs} ms`;
  }
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  if (code) return `${NET_ERRORS[code] ?? cause?.message ?? code} (${code})`;
  if (cause?.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** Every secret a receiver signs with (`secrets` for rotation, else `secret`). */
export function signingSecrets(receiver: ReceiverConfig): string[] {
  if ("secrets" in receiver && receiver.secrets) return receiver.secrets;
  if ("secret" in receiver && receiver.secret) return [receiver.secret];
  return [];
}

/**
 * Telegram and Discord say how long to wait in the body of a 429 (`parameters.retry_after`,
 * `retry_after`, seconds) as well as, or instead of, the `Retry-After` header.
 */
function retryAfterInBody(text: string): number | undefined {
  try {
    const b = JSON.parse(text) as { retry_after?: unknown; parameters?: { retry_after?: unknown } };
    const s = b.parameters?.retry_after ?? b.retry_after;
    return typeof s === "number" && Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function sendOnce(
  row: OutboxRow,
  receiver: ReceiverConfig,
  timeoutMs: number,
  nowMs: number = Date.now(),
): Promise<SendOutcome> {
  if (receiver.type === "email") return sendEmail(row, receiver, timeoutMs);
  const timestamp = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "perpwatch-alerts/1",
    [IDEMPOTENCY_HEADER]: row.idempotencyKey,
    [ID_HEADER]: row.idempotencyKey,
    [TIMESTAMP_HEADER]: String(timestamp),
    "x-perpwatch-event-id": String(row.eventId),
    "x-perpwatch-fingerprint": row.fingerprint,
    "x-perpwatch-attempt": String(row.attempts + 1),
  };
  if ("headers" in receiver) Object.assign(headers, receiver.headers ?? {});
  const secrets = signingSecrets(receiver);
  if (secrets.length > 0) {
    headers[SIGNATURE_HEADER] = sign(secrets, row.idempotencyKey, timestamp, row.body);
  }
  let res: Response;
  try {
    res = await fetch(targetUrl(receiver), {
      method: "POST",
      headers,
      body: row.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { kind: "retry", error: networkError(err, timeoutMs) };
  }
  // Drain the body so the connection can be reused; its text helps explain a refusal.
  const full = await res.text().catch(() => "");
  const text = full.slice(0, 200).replace(/\s+/g, " ").trim();
  if (res.ok) return { kind: "delivered", status: res.status };
  const error = `HTTP ${res.status}${text ? `: ${text}` : ""}`;
  if (res.status === 408 || res.status === 425 || res.status === 429 || res.status >= 500) {
    return {
      kind: "retry",
      error,
      status: res.status,
      retryAfterMs:
        parseRetryAfter(res.headers.get("retry-after"), nowMs) ??
        (res.status === 429 ? retryAfterInBody(full) : undefined),
    };
  }
  return { kind: "final", error };
}
