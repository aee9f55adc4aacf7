/**
 * On a replica, `/ready` and `/status` are answered by the API's `/replica/ready` and
 * `/replica/status` (replicaRoutes.ts) instead of Ponder's own.
 *
 * Why here and this way: Ponder routes its `/ready` (the indexer's backfill) and `/status` (the
 * indexer's checkpoint) ahead of the API's routes, in a server it builds after loading the API
 * module, with no hook for them: each request's path is rewritten before Ponder's router sees
 * it (beforePonder.ts), one lookup per request. (A proxy in front of `ponder serve` did the same at the
 * cost of about half the replica's throughput on 2 cores: `npm run bench -- api --replicas 2`.)
 * Only a replica (`PERPWATCH_REPLICA=1`, set by `perpwatch serve`) does this.
 */
import { beforePonder } from "../http/beforePonder.js";

/** `path` with its pathname replaced when `paths` maps it (the query string kept). */
export function mapPath(path: string, paths: Readonly<Record<string, string>>): string {
  const q = path.indexOf("?");
  const to = paths[q < 0 ? path : path.slice(0, q)];
  return to === undefined ? path : to + (q < 0 ? "" : path.slice(q));
}

/** Makes every HTTP server this process creates from now on answer `paths` by their targets. */
export function rewritePaths(paths: Readonly<Record<string, string>>): void {
  beforePonder("replica paths", (req, _res, next) => {
    if (req.url) req.url = mapPath(req.url, paths);
    next();
  });
}
