/**
 * Entry of an analytics worker thread: registers tsx's loader so the TypeScript worker body
 * (analyticsWorker.ts) runs under plain Node, whatever runs the API's own thread (Ponder's
 * vite-node, vitest, tsx) — a worker does not inherit its parent's module loader.
 */
import { register } from "tsx/esm/api";

register();
await import("./analyticsWorker.ts");
