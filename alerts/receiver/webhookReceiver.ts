/**
 * A local webhook receiver: a real `node:http` server that accepts Perpwatch deliveries,
 * checks their signature, drops repeats by idempotency key, prints one line per arrival and
 * records everything it got.
 *
 * Why ship one: `npm start` shows alerts arriving without any external service, and the
 * end-to-end tests need a receiver that behaves like a careful production one (verify the
 * HMAC, dedupe on the key, answer 2xx to repeats so the sender stops) and can be taken down
 * and brought back on the same port to simulate an outage.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import {
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

export interface WebhookReceiverOptions {
  host?: string;
  port?: number;
  /** Shared secret: deliveries without a valid signature are refused with 401. */
  secret?: string;
  /** Where the one-line summaries go (default: nowhere). */
  print?: (line: string) => void;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  /** Every arrival, repeats included, in arrival order. */
  readonly received: ReceivedDelivery[];
  /** Requests whose body has arrived (counted before any configured delay). */
  readonly arrivals: number;
  /** First arrivals only (what a deduplicating receiver acts on). */
  accepted(): ReceivedDelivery[];
  /** Stops listening and cuts open connections (an outage); records are kept. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Answer every request after this many ms (0 = at once). */
  setDelay(ms: number): void;
  /** Answer with this status instead of accepting (null = accept). */
  setFailure(status: number | null): void;
  /** Resolves when `predicate` holds for the records (polls). */
  waitFor(predicate: (r: ReceivedDelivery[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** One line for a delivery: status, severity, alert name, labels, summary. */
export function describeDelivery(body: unknown): string {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== "object") return "(not JSON)";
  if (typeof b.event_action === "string") {
    const p = (b.payload ?? {}) as Record<string, unknown>;
    return `pagerduty ${b.event_action} ${String(b.dedup_key)}${p.summary ? `: ${String(p.summary)}` : ""}`;
  }
  if (typeof b.text === "string" && !("status" in b)) return `slack ${b.text}`;
  const pw = (b.perpwatch ?? {}) as Record<string, unknown>;
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startWebhookReceiver(
  opts: WebhookReceiverOptions = {},
): Promise<WebhookReceiver> {
  const host = opts.host ?? "127.0.0.1";
  const received: ReceivedDelivery[] = [];
  const seen = new Set<string>();
  const sockets = new Set<Socket>();
  let delayMs = 0;
  let arrivals = 0;
  let failure: number | null = null;
  let server: Server;
  let port = opts.port ?? 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req).catch(() => "");
    arrivals++;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const key = headers[IDEMPOTENCY_HEADER] ?? null;
    const signature: ReceivedDelivery["signature"] = opts.secret
      ? verify(
          opts.secret,
          { signature: headers[SIGNATURE_HEADER], timestamp: headers[TIMESTAMP_HEADER] },
          raw,
          Math.floor(Date.now() / 1000),
        )
      : "unsigned";
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    let answered = 200;
    if (failure !== null) answered = failure;
    else if (signature !== "ok" && signature !== "unsigned") answered = 401;
    else if (body === null) answered = 400;
    const duplicate = answered === 200 && key !== null && seen.has(key);
    if (answered === 200 && key !== null) seen.add(key);
    received.push({
      path: req.url ?? "/",
      key,
      duplicate,
      signature,
      body,
      raw,
      headers,
      receivedAtMs: Date.now(),
      answered,
    });
    if (opts.print) {
      const time = new Date().toISOString().slice(11, 23);
      const tag =
        answered !== 200 ? ` [answered ${answered}]` : duplicate ? " [repeat, dropped]" : "";
      opts.print(`${time} webhook ${describeDelivery(body)}${tag}`);
    }
    res.writeHead(answered, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: answered === 200, duplicate }));
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        handle(req, res).catch(() => {
          res.writeHead(500);
          res.end();
        });
      });
      server.on("connection", (s: Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
      });
      server.once("error", reject);
      server.listen(port, host, () => {
        const addr = server.address();
        if (addr && typeof addr === "object") port = addr.port;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      server.close(() => resolve());
    });

  await listen();
  let isUp = true;
  return {
    get url() {
      return `http://${host}:${port}`;
    },
    get port() {
      return port;
    },
    get arrivals() {
      return arrivals;
    },
    received,
    accepted: () => received.filter((r) => r.answered === 200 && !r.duplicate),
    async down() {
      if (!isUp) return;
      isUp = false;
      await stop();
    },
    async up() {
      if (isUp) return;
      await listen();
      isUp = true;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    setFailure(status) {
      failure = status;
    },
    async waitFor(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) {
          throw new Error(
            `receiver: condition not met within ${timeoutMs} ms; got ${received.length} deliveries:\n${received.map((r) => describeDelivery(r.body)).join("\n")}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      if (isUp) await stop();
      isUp = false;
    },
  };
}
