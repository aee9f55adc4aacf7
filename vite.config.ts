/**
 * Vite settings for Ponder's build: Ponder loads the app (ponder.config.ts, src/, indexer/,
 * engine/) through a Vite dev server, which reads this file from the project root.
 *
 * Why: Vite watches every file under the root by default, and `.perpwatch/` holds PGlite
 * data directories that change on every flush. The watcher's crawl and its change events
 * cost about 1.5 CPU-s of a 55,000-event backfill (10% of the indexer's CPU), for nothing:
 * only `ponder dev` reloads on a change. So `ponder start` gets no watcher at all, and
 * `ponder dev` watches the code but not the data or benchmark folders.
 * (Vitest reads vitest.config.ts instead, so this file does not touch the tests.)
 */
const isDev = process.argv.includes("dev");

export default {
  server: {
    watch: isDev ? { ignored: ["**/.perpwatch/**", "**/.ponder/**", "**/bench/**"] } : null,
  },
};
