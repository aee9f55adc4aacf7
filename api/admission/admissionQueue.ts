/**
 * Admission control for work heavier than a table read: at most `concurrency` jobs run at once,
 * at most `maxQueued` more wait, and a job that has not started `deadlineMs` after it was asked
 * for is given up. Beyond the queue a request is refused at once (HTTP 429), past its deadline
 * it is refused (HTTP 503); both carry `OVERLOADED` and `Retry-After`, an estimate of when the
 * queue will have drained. Identical jobs asked for while one is queued or running share it
 * (single-flight: the key names the block and the computation).
 *
 * Why: 200 concurrent analytics requests all computing at once took 8–16 s each and stalled
 * every other request of the process; bounded, they are answered in turn or refused quickly,
 * and the requests behind them are not. A running job is never interrupted (its result is kept
 * for the block); the deadline bounds the wait, not the computation.
 *
 * `p-limit`/`p-queue` would give the concurrency part; the queue limit, the deadline, the
 * single-flight and the retry estimate are what this class is about, so it stays one class.
 */
import type { GraphQLError } from "graphql";
import { ErrorCode } from "../errors.js";
import { refusedWithStatus } from "../http/errorHandling.js";
import { gql } from "../http/graphqlRealm.js";

export interface AdmissionLimits {
  /** Jobs running at once. */
  concurrency: number;
  /** Jobs waiting beyond those; one more is refused with 429. */
  maxQueued: number;
  /** A job not started this long after it was asked for is refused with 503. */
  deadlineMs: number;
}

/** Counts since start, for logs, tests and the bench. */
export interface AdmissionStats {
  running: number;
  queued: number;
  started: number;
  shared: number;
  shed: number;
  expired: number;
}

interface Waiting {
  key: string;
  work: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Average job time assumed before any has finished. */
const FIRST_ESTIMATE_MS = 200;

/** The one line a refused request reads. */
export function overloadedMessage(retryAfterS: number, why: string): string {
  return `${why}; retry in ${retryAfterS} s`;
}

/** Why a new job is refused, and when to retry. */
export interface Shed {
  retryAfterS: number;
  why: string;
}

/**
 * The refusal, without a stack trace: refusals come by the hundred under a burst, and each
 * stack, formatted through the runner's source maps when read, cost about a millisecond.
 */
export function overloaded(status: 429 | 503, retryAfterS: number, why: string): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new gql.GraphQLError(overloadedMessage(retryAfterS, why), {
      extensions: {
        code: ErrorCode.OVERLOADED,
        retryAfter: retryAfterS,
        http: { ...refusedWithStatus(status), headers: { "Retry-After": String(retryAfterS) } },
      },
    });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export class AdmissionQueue {
  private readonly waiting: Waiting[] = [];
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private running = 0;
  private avgMs = FIRST_ESTIMATE_MS;
  private readonly counts = { started: 0, shared: 0, shed: 0, expired: 0 };

  constructor(readonly limits: AdmissionLimits) {}

  get stats(): AdmissionStats {
    return { running: this.running, queued: this.waiting.length, ...this.counts };
  }

  /**
   * `work()`'s result, run when a slot is free; the same promise for a `key` already queued or
   * running. Rejects with an `OVERLOADED` error when the queue is full or the deadline passes.
   */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const shared = this.inFlight.get(key);
    if (shared) {
      this.counts.shared++;
      return shared as Promise<T>;
    }
    let p: Promise<T>;
    if (this.running < this.limits.concurrency) {
      p = this.start(work);
    } else if (this.waiting.length < this.limits.maxQueued) {
      p = this.enqueue(key, work);
    } else {
      const shed = this.shedIfFull()!;
      return Promise.reject(overloaded(429, shed.retryAfterS, shed.why));
    }
    this.inFlight.set(key, p);
    const forget = () => {
      if (this.inFlight.get(key) === p) this.inFlight.delete(key);
    };
    p.then(forget, forget);
    return p;
  }

  /** Whether a new job would be refused now (every slot running, the queue at its limit). */
  isFull(): boolean {
    return this.running >= this.limits.concurrency && this.waiting.length >= this.limits.maxQueued;
  }

  /**
   * Why a new job would be refused now (429), counted as shed, or null while one more can run
   * or wait. (A job identical to one queued or running is still shared by `run`.)
   */
  shedIfFull(): Shed | null {
    if (!this.isFull()) return null;
    this.counts.shed++;
    return {
      retryAfterS: this.retryAfterSeconds(),
      why: `analytics queue full (${this.running} running, ${this.waiting.length} waiting)`,
    };
  }

  /** Seconds until the work now queued and running is likely done (at least 1). */
  retryAfterSeconds(): number {
    const ahead = this.running + this.waiting.length;
    const ms = (ahead * this.avgMs) / Math.max(1, this.limits.concurrency);
    return Math.min(60, Math.max(1, Math.ceil(ms / 1000)));
  }

  private enqueue<T>(key: string, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        key,
        work,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer: setTimeout(() => this.expire(entry), this.limits.deadlineMs),
      };
      entry.timer.unref?.();
      this.waiting.push(entry);
    });
  }

  private expire(entry: Waiting): void {
    const i = this.waiting.indexOf(entry);
    if (i < 0) return;
    this.waiting.splice(i, 1);
    this.counts.expired++;
    entry.reject(
      overloaded(
        503,
        this.retryAfterSeconds(),
        `analytics did not start within ${this.limits.deadlineMs} ms (the server is busy)`,
      ),
    );
  }

  private start<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    this.counts.started++;
    const t0 = performance.now();
    const done = () => {
      this.running--;
      this.avgMs = 0.8 * this.avgMs + 0.2 * (performance.now() - t0);
      this.next();
    };
    const p = Promise.resolve().then(work);
    p.then(done, done);
    return p;
  }

  private next(): void {
    while (this.running < this.limits.concurrency && this.waiting.length > 0) {
      const entry = this.waiting.shift()!;
      clearTimeout(entry.timer);
      this.start(entry.work).then(entry.resolve, entry.reject);
    }
  }
}
