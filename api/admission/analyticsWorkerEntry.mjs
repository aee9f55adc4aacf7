/**
 * Entry of an analytics worker thread: registers tsx's loader so the TypeScript worker body
 * (analyticsWorker.ts) runs under plain Node, whatever runs the API's own thread (Ponder's
 * vite-node, vitest, tsx) — a worker does not inherit its parent's module loader.
 *
 * The thread lowers its priority first, before that loading: starting it compiles the worker's
 * modules (tsx's esbuild process, which inherits the thread's priority), about half a second of
 * CPU that, at the normal priority, took the cores from Ponder's thread during the first burst
 * of analytics requests (`npm run bench -- api-overload`: the first burst on each API was the
 * slowest for its light requests). analyticsWorker.ts says why the lowest priority.
 */
import { setPriority } from "node:os";
import { register } from "tsx/esm/api";

try {
  setPriority(19);
} catch {
  // not permitted here: normal priority
}
register();
await import("./analyticsWorker.ts");
