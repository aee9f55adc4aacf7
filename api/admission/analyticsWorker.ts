/**
 * The body of an analytics worker thread: it receives a block's position store once (then only
 * its key), builds the book's analytics over it and answers jobs (analyticsJobs.ts) one at a
 * time. The two most recent books are kept, so requests straddling a new block do not make it
 * rebuild.
 *
 * Why a thread: a VaR over 20,000 paths is about a second of CPU and a stress grid a tenth of
 * one; on the API's thread (Ponder's one event loop) either stalls `/health` and every table
 * read for that long. In a worker the API's thread only copies the store (typed arrays, about a
 * millisecond) and the result.
 */
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import type { PositionStore } from "../../engine/analytics/index.js";
import { BookAnalytics, ownFigureCache } from "../analytics/bookAnalytics.js";
import { type AnalyticsJob, runJob } from "./analyticsJobs.js";

/** A book as it crosses to a worker: its key (exchange and block) and its positions. */
export interface BookCopy {
  key: string;
  store: PositionStore;
  insuranceFund: number;
}

export interface JobRequest {
  id: number;
  bookKey: string;
  /** Present when this worker does not have the book yet. */
  book?: BookCopy;
  job: AnalyticsJob;
}

export type JobReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string };

/** Books a worker keeps (the pool mirrors this to know when to send one again). */
export const BOOKS_KEPT = 2;

const books = new Map<string, BookAnalytics>();

function handle(req: JobRequest): JobReply {
  try {
    if (req.book) {
      books.delete(req.book.key);
      books.set(
        req.book.key,
        new BookAnalytics(req.book.store, req.book.insuranceFund, ownFigureCache()),
      );
      while (books.size > BOOKS_KEPT) books.delete(books.keys().next().value!);
    }
    const analytics = books.get(req.bookKey);
    if (!analytics) return { id: req.id, ok: false, message: `book ${req.bookKey} not loaded` };
    return { id: req.id, ok: true, result: runJob(analytics, req.job) };
  } catch (err) {
    return { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

// Analytics are background work: the thread runs at the lowest priority (on Linux a thread's
// nice value is its own), so on a busy machine the API's thread — table reads, /health — gets
// the CPU first. Where the OS refuses, it runs at the normal priority.
try {
  setPriority(19);
} catch {
  // not permitted here: normal priority
}

parentPort?.on("message", (req: JobRequest) => {
  parentPort!.postMessage(handle(req));
});
