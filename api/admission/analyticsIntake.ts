/**
 * The way in for POSTed requests that ask for analytics (asksForAnalytics.ts): they pass one per
 * turn of the event loop, and one that arrives at a full queue is refused there and then with
 * the queue's own 429 (`OVERLOADED`, `Retry-After`), before any GraphQL work.
 *
 * Why: 200 such requests arriving together were each parsed, validated and priced on the API's
 * thread, in turn with one another, before the queue refused most of them, and every request
 * behind them (health checks, `markets`) waited for all of it: 1.6 s at p99 on 2 cores. Passing
 * one per turn lets the other requests be read between two of them, and the refusal costs a
 * check of the queue's state. The queue (admissionQueue.ts) still decides for every job; this
 * only spares the work of requests it would refuse. A caveat: when the queue is full, a request
 * for a figure already computed at this block is refused too, where the queue would have
 * answered it from the block's memo; its `Retry-After` is the queue's estimate as always.
 */

import { ErrorCode } from "../errors.js";
import { refusal } from "../http/httpRefusals.js";
import type { CachedResponse } from "../http/responseCache.js";
import { type AdmissionQueue, overloadedMessage } from "./admissionQueue.js";
import { TurnPacer } from "./turnPacer.js";

/** Requests let through in one turn while the queue is full (each costs a parse and a 429). */
const REFUSALS_PER_TURN = 8;

export class AnalyticsIntake {
  // While the queue is full the requests passing are refused, at a fraction of a millisecond
  // each: a few pass together, so the refusals are not spread over hundreds of turns.
  private readonly pacer = new TurnPacer(() => (this.queue.isFull() ? REFUSALS_PER_TURN : 1));

  constructor(private readonly queue: AdmissionQueue) {}

  /**
   * Resolves on a later turn of the event loop, in arrival order: one caller per turn, or a few
   * while the queue is full.
   */
  turn(): Promise<void> {
    return new Promise<void>((resolve) => this.pacer.run(resolve));
  }

  /**
   * The answer for a request the queue cannot take now, or null when it can or when the request
   * turns out not to ask for analytics (`asks`, called only when the queue is full).
   */
  refusal(asks: () => boolean): CachedResponse | null {
    if (!this.queue.isFull() || !asks()) return null;
    const shed = this.queue.shedIfFull();
    if (!shed) return null;
    const retryAfter = shed.retryAfterS;
    return refusal(
      429,
      overloadedMessage(retryAfter, shed.why),
      { "retry-after": String(retryAfter) },
      ErrorCode.OVERLOADED,
      { retryAfter },
    );
  }
}
