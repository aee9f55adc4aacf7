/**
 * A local webhook receiver: a real `node:http` server that accepts Perpwatch deliveries,
 * checks their signature, drops repeats by idempotency key and prints one line per arrival.
 *
 * Why ship one: `npm start` and `perpwatch alerts test --local-receiver` show alerts arriving
 * without any external service, and it behaves like a careful production receiver: verify
 * the Standard Webhooks signature (any of several secrets, for rotation), dedupe on the key
 * (`webhook-id`, which the signature covers), answer 2xx to repeats so the sender stops. Judging an arrival
 * (`createDeliveryJudge`) is apart from the server, so the tests' recording receiver
 * (test/alerts/support/testReceiver.ts) answers exactly as this one does.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import {
  ID_HEADER,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type Verification,
  verify,
} from "../delivery/signature.js";

export interface ReceivedDelivery {
  /** Path the delivery was posted to (receivers of different kinds can share one server). */
  path: string;
  key: string | null;
  /** A repeat of a key already received (and acknowledged): dropped. */
  duplicate: boolean;
  signature: Verification | "unsigned";
  body: unknown;
  raw: string;
  headers: Record<string, string>;
  receivedAtMs: number;
  /** HTTP status the receiver answered with. */
  answered: number;
}

/** One request as it arrived: where it was posted, its headers, its body. */
export interface Arrival {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

export interface WebhookReceiverOptions {
  host?: string;
  port?: number;
  /**
   * Shared secret, or several (rotation): deliveries without a signature that verifies
   * with one of them are refused with 401.
   */
  secret?: string | readonly string[];
  /** Where the one-line summaries go (default: nowhere). */
  print?: (line: string) => void;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** One line for a delivery: status, severity, alert name, labels, summary. */
export function describeDelivery(body: unknown): string {
  if (Array.isArray(body)) return `alertmanager ${body.length} alert(s)`;
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== "object") return "(not JSON)";
  if (typeof b.chat_id === "string") return `telegram ${String(b.text).split("\n")[0]}`;
  if (Array.isArray(b.embeds)) return `discord ${String(b.content)}`;
  if (typeof b.event_action === "string") {
    const p = (b.payload ?? {}) as Record<string, unknown>;
    return `pagerduty ${b.event_action} ${String(b.dedup_key)}${p.summary ? `: ${String(p.summary)}` : ""}`;
  }
  if (typeof b.text === "string" && !("status" in b)) return `slack ${b.text}`;
  const pw = (b.perpwatch ?? {}) as Record<string, unknown>;
  if (pw.event === "group" && Array.isArray(b.alerts)) {
    return `${String(b.status).toUpperCase()} group ${String(b.groupKey)}: ${b.alerts.length} alerts`;
  }
  const labels = (b.labels ?? {}) as Record<string, string>;
  const ann = (b.annotations ?? {}) as Record<string, string>;
  const event = String(pw.event ?? b.status ?? "?").toUpperCase();
  const extra = Object.entries(labels)
    .filter(([k]) => k === "market" || k === "account")
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  return `${event} ${labels.severity ?? ""} ${labels.alertname ?? ""}${extra ? ` ${extra}` : ""}: ${ann.retracted ?? ann.summary ?? ""}`.replace(
    /\s+/g,
    " ",
  );
}

/** The printed line for an arrival: time of day, the delivery, and how it was answered. */
export function deliveryLine(d: ReceivedDelivery): string {
  const time = new Date(d.receivedAtMs).toISOString().slice(11, 23);
  const tag =
    d.answered !== 200 ? ` [answered ${d.answered}]` : d.duplicate ? " [repeat, dropped]" : "";
  return `${time} webhook ${describeDelivery(d.body)}${tag}`;
}

/** What an arrival says — key, signature check, JSON body — before it is answered. */
export function readDelivery(
  arrival: Arrival,
  secret: string | readonly string[] | undefined,
): Omit<ReceivedDelivery, "duplicate" | "answered"> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(arrival.headers)) if (typeof v === "string") headers[k] = v;
  const receivedAtMs = Date.now();
  const signature: ReceivedDelivery["signature"] = secret
    ? verify(
        secret,
        {
          id: headers[ID_HEADER],
          signature: headers[SIGNATURE_HEADER],
          timestamp: headers[TIMESTAMP_HEADER],
        },
        arrival.raw,
        Math.floor(receivedAtMs / 1000),
      )
    : "unsigned";
  let body: unknown = null;
  try {
    body = JSON.parse(arrival.raw);
  } catch {
    body = null;
  }
  return {
    path: arrival.path,
    key: headers[ID_HEADER] ?? headers[IDEMPOTENCY_HEADER] ?? null,
    signature,
    body,
    raw: arrival.raw,
    headers,
    receivedAtMs,
  };
}

/**
 * Judges arrivals as a careful receiver does: 401 without a valid signature (when there is
 * a secret), 400 for a body that is not JSON, else 200 — and a key already accepted is a
 * repeat (answered 200, to be dropped). Remembers the keys it accepted.
 */
export function createDeliveryJudge(
  secret?: string | readonly string[],
): (arrival: Arrival) => ReceivedDelivery {
  const seen = new Set<string>();
  return (arrival) => {
    const d = readDelivery(arrival, secret);
    let answered = 200;
    if (d.signature !== "ok" && d.signature !== "unsigned") answered = 401;
    else if (d.body === null) answered = 400;
    const duplicate = answered === 200 && d.key !== null && seen.has(d.key);
    if (answered === 200 && d.key !== null) seen.add(d.key);
    return { ...d, duplicate, answered };
  };
}

/** Sends the receiver's answer for a judged delivery. */
export function answer(res: ServerResponse, d: ReceivedDelivery): void {
  res.writeHead(d.answered, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok: d.answered === 200, duplicate: d.duplicate }));
}

export async function startWebhookReceiver(
  opts: WebhookReceiverOptions = {},
): Promise<WebhookReceiver> {
  const host = opts.host ?? "127.0.0.1";
  const judge = createDeliveryJudge(opts.secret);
  const server = createServer((req, res) => {
    text(req)
      .catch(() => "")
      .then((raw) => {
        const d = judge({ path: req.url ?? "/", headers: req.headers, raw });
        opts.print?.(deliveryLine(d));
        answer(res, d);
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let open = true;
  return {
    url: `http://${host}:${port}`,
    port,
    async close() {
      if (!open) return;
      open = false;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Connections still open (keep-alive, a request in flight) would hold close() up.
        server.closeAllConnections();
      });
    },
  };
}
