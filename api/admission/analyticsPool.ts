/**
 * A fixed pool of analytics worker threads (analyticsWorker.ts), started as jobs first need
 * them (an API that serves no analytics starts none). A job goes to an idle worker,
 * preferably one that already holds the job's book; the book is copied to a worker only the
 * first time it needs it. The admission queue in front keeps at most `size` jobs running, so a
 * job always finds an idle worker; should it not, it waits for the first one freed.
 *
 * A worker that dies (out of memory, a crash) fails its job with an internal error and is
 * replaced; the pool keeps serving.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { AnalyticsJob, ResultOf } from "./analyticsJobs.js";
import { BOOKS_KEPT, type BookCopy, type JobReply, type JobRequest } from "./analyticsWorker.js";

const ENTRY = new URL("./analyticsWorkerEntry.mjs", import.meta.url);

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  /** Keys of the books the worker holds, oldest first. */
  books: string[];
  /** Handed to a job (set before the job is sent). */
  busy: boolean;
  /** The job it is running, if any. */
  job: { id: number; pending: Pending } | null;
}

export class AnalyticsPool {
  private readonly slots: Slot[] = [];
  private readonly idleWaiters: ((slot: Slot) => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly logger: Logger,
  ) {}

  /** Runs `job` on a worker over the book `book()` describes (copied only if the worker lacks it). */
  run<J extends AnalyticsJob>(bookKey: string, book: () => BookCopy, job: J): Promise<ResultOf<J>> {
    const slot = this.takeIdle(bookKey);
    if (slot) return this.send(slot, bookKey, book, job);
    return new Promise<Slot>((resolve) => this.idleWaiters.push(resolve)).then((s) =>
      this.send(s, bookKey, book, job),
    );
  }

  private send<J extends AnalyticsJob>(
    slot: Slot,
    bookKey: string,
    book: () => BookCopy,
    job: J,
  ): Promise<ResultOf<J>> {
    const id = this.nextId++;
    const req: JobRequest = { id, bookKey, job };
    const sendsBook = !slot.books.includes(bookKey);
    return new Promise<unknown>((resolve, reject) => {
      try {
        if (sendsBook) req.book = book();
        slot.job = { id, pending: { resolve, reject } };
        slot.worker.postMessage(req);
      } catch (err) {
        // The book could not be built or copied: the worker is free again, the job fails.
        slot.job = null;
        this.freed(slot);
        throw err;
      }
      if (sendsBook) {
        slot.books.push(bookKey);
        while (slot.books.length > BOOKS_KEPT) slot.books.shift();
      }
    }) as Promise<ResultOf<J>>;
  }

  /** Stops every worker (pending jobs fail). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** An idle worker, preferably holding the book, marked busy; null if all are busy. */
  private takeIdle(bookKey: string): Slot | null {
    const idle = this.slots.filter((s) => !s.busy);
    let slot = idle.find((s) => s.books.includes(bookKey)) ?? idle[0] ?? null;
    if (!slot && this.slots.length < this.size) {
      slot = this.spawn();
      this.slots.push(slot);
    }
    if (slot) slot.busy = true;
    return slot;
  }

  /** A worker done with its job goes to the first waiting job, or becomes idle. */
  private freed(slot: Slot): void {
    const waiter = this.idleWaiters.shift();
    if (waiter) waiter(slot);
    else slot.busy = false;
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY);
    worker.unref();
    const slot: Slot = { worker, books: [], busy: false, job: null };
    worker.on("message", (reply: JobReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      slot.job = null;
      if (reply.ok) job.pending.resolve(reply.result);
      else job.pending.reject(new Error(`analytics worker: ${reply.message}`));
      this.freed(slot);
    });
    worker.on("error", (err) => this.logger.error({ err }, "analytics worker failed"));
    worker.on("exit", (code) => this.replace(slot, code));
    return slot;
  }

  private replace(slot: Slot, code: number): void {
    slot.job?.pending.reject(new Error(`analytics worker exited with code ${code}`));
    slot.job = null;
    slot.busy = true; // never handed out again
    const i = this.slots.indexOf(slot);
    if (this.closed || i < 0) return;
    const fresh = this.spawn();
    this.slots[i] = fresh;
    fresh.busy = true;
    this.freed(fresh);
  }
}
