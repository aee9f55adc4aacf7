/**
 * Where the resolvers get analytics: through the admission queue (admissionQueue.ts), computed
 * on the analytics worker threads (analyticsPool.ts) or, with no workers, on the API's thread
 * one job at a time with the event loop served in between. A figure already computed for the
 * block is answered at once and never queued, so only new work waits or is refused.
 *
 * With admission off (`PERPWATCH_API_ADMISSION=0`) every job runs at once on the API's thread,
 * as before admission control existed: kept for comparison (`npm run bench -- api-overload`).
 */
import type { Logger } from "pino";
import { analyticsOf } from "../analytics/bookAnalytics.js";
import type { Snapshot } from "../data/snapshot.js";
import { type AdmissionLimits, AdmissionQueue } from "./admissionQueue.js";
import { AnalyticsIntake } from "./analyticsIntake.js";
import { type AnalyticsJob, jobKey, type ResultOf, runJob } from "./analyticsJobs.js";
import { AnalyticsPool } from "./analyticsPool.js";
import type { BookCopy } from "./analyticsWorker.js";

export interface AdmissionConfig {
  /** Off: every job runs at once on the API's thread (no queue, no workers). */
  enabled: boolean;
  /** Analytics worker threads (the queue's concurrency); 0 runs jobs on the API's thread. */
  workers: number;
  /** How many jobs may wait, and how long. */
  maxQueued: number;
  deadlineMs: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class AnalyticsService {
  readonly queue: AdmissionQueue | null;
  /** The route's way in for requests asking for analytics (null with admission off). */
  readonly intake: AnalyticsIntake | null;
  private readonly pool: AnalyticsPool | null;

  constructor(config: AdmissionConfig, logger: Logger) {
    const limits: AdmissionLimits = {
      concurrency: Math.max(1, config.workers),
      maxQueued: config.maxQueued,
      deadlineMs: config.deadlineMs,
    };
    this.queue = config.enabled ? new AdmissionQueue(limits) : null;
    this.intake = this.queue ? new AnalyticsIntake(this.queue) : null;
    this.pool =
      config.enabled && config.workers > 0 ? new AnalyticsPool(config.workers, logger) : null;
  }

  /** The job's result at the snapshot's block (see the module comment for where it runs). */
  async compute<J extends AnalyticsJob>(snap: Snapshot, job: J): Promise<ResultOf<J>> {
    if (!this.queue) return runJob(analyticsOf(snap), job);
    const key = `admitted:${jobKey(job)}`;
    if (snap.memo.has(key)) return snap.memo.get(key) as ResultOf<J>;
    const bookKey = `${snap.exchangeId}@${snap.at.checkpoint}`;
    const pool = this.pool;
    const result = await this.queue.run(`${bookKey}|${key}`, async () => {
      if (pool) return pool.run(bookKey, () => bookCopy(bookKey, snap), job);
      await yieldToEventLoop();
      return runJob(analyticsOf(snap), job);
    });
    return snap.cached(key, () => result);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

function bookCopy(key: string, snap: Snapshot): BookCopy {
  const a = analyticsOf(snap);
  return { key, store: a.store, insuranceFund: a.insuranceFund };
}
