/**
 * Test support: a webhook receiver that judges deliveries exactly as the product's local
 * receiver does (alerts/receiver/webhookReceiver.ts: HMAC, JSON, repeats by key), and also
 * records every arrival, can answer late or with a chosen failure status, and can be taken
 * down and brought back on the same port.
 *
 * Why apart from the product receiver: those are the levers the delivery tests pull (an
 * outage, a request held open while the worker is killed, a receiver answering 503 or 404),
 * and nothing in `npm start` needs them.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { text } from "node:stream/consumers";
import {
  answer,
  createDeliveryJudge,
  describeDelivery,
  type ReceivedDelivery,
  readDelivery,
} from "../../../alerts/receiver/webhookReceiver.js";

export type { ReceivedDelivery };

export interface TestReceiverOptions {
  host?: string;
  /** Shared secret: deliveries without a valid signature are refused with 401. */
  secret?: string;
}

export interface TestReceiver {
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
  /**
   * Resolves once `predicate` holds for the records: checked now and after each answer has
   * gone out; rejects, listing what arrived, if it does not hold within `timeoutMs`.
   */
  waitFor(predicate: (r: ReceivedDelivery[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTestReceiver(opts: TestReceiverOptions = {}): Promise<TestReceiver> {
  const host = opts.host ?? "127.0.0.1";
  const judge = createDeliveryJudge(opts.secret);
  const received: ReceivedDelivery[] = [];
  const waiters = new Set<() => void>();
  let delayMs = 0;
  let arrivals = 0;
  let failure: number | null = null;
  let port = 0;
  let server: Server | null = null;

  const listen = async () => {
    const s = createServer((req, res) => {
      void (async () => {
        const raw = await text(req).catch(() => "");
        arrivals++;
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        const arrival = { path: req.url ?? "/", headers: req.headers, raw };
        // A forced failure is answered before judging, so its key is not remembered as accepted.
        const d: ReceivedDelivery =
          failure === null
            ? judge(arrival)
            : { ...readDelivery(arrival, opts.secret), duplicate: false, answered: failure };
        received.push(d);
        answer(res, d);
        // Waiters look once the answer is out (so a test may take the receiver down at once),
        // or now if the sender has already hung up.
        const checkAll = () => {
          for (const check of [...waiters]) check();
        };
        if (res.closed) checkAll();
        else res.once("close", checkAll);
      })().catch(() => {
        res.writeHead(500);
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, host, () => {
        s.off("error", reject);
        resolve();
      });
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };

  const stop = async () => {
    const s = server;
    server = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };

  await listen();
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
    down: stop,
    async up() {
      if (!server) await listen();
    },
    setDelay(ms) {
      delayMs = ms;
    },
    setFailure(status) {
      failure = status;
    },
    waitFor(predicate, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        const check = () => {
          try {
            if (!predicate(received)) return;
          } catch (err) {
            done();
            reject(err);
            return;
          }
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `receiver: condition not met within ${timeoutMs} ms; got ${received.length} deliveries:\n${received.map((r) => describeDelivery(r.body)).join("\n")}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: stop,
  };
}
