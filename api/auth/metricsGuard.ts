/**
 * `/metrics` behind a key: Ponder's Prometheus endpoint answers only callers whose key has
 * `metrics: true`, unless anonymous callers may read everything (the devnet).
 *
 * Why below Hono: Ponder's server registers `/metrics` (with `/health`, `/ready`, `/status`)
 * before the app's routes and refuses an app route of those paths ("reserved for internal
 * use"), so no middleware of ours ever sees the request. The guard therefore runs below Ponder's
 * HTTP stack (beforePonder.ts): a `/metrics` request is answered 401/403 there, anything else
 * goes to Ponder untouched. `/health`, `/ready` and `/status` stay
 * open: load balancers probe them and they reveal block numbers only. test/api/security.test.ts
 * checks the guard against the real server, so a Ponder that stops creating its server this way
 * fails a test rather than exposing the endpoint silently.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorCode } from "../errors.js";
import { beforePonder, pathnameOf } from "../http/beforePonder.js";
import type { ApiAccess } from "./apiAccess.js";

function refuse(res: ServerResponse, status: number, message: string, code: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    ...(status === 401 ? { "www-authenticate": 'Bearer realm="perpwatch"' } : {}),
  });
  res.end(body);
}

/** Whether the request may read `/metrics`; answers it (and returns false) when not. */
export function admitMetrics(
  access: ApiAccess,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  if (access.config.anonymous === "everything") return true;
  const header = req.headers.authorization;
  const token = header ? /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/.exec(header)?.[1] : undefined;
  if (!token) {
    refuse(
      res,
      401,
      "/metrics needs an API key with metrics: true: send it as `Authorization: Bearer <key>`",
      ErrorCode.UNAUTHENTICATED,
    );
    return false;
  }
  const found = access.keys.lookup(token);
  if (found.kind !== "key") {
    const why =
      found.kind === "revoked" ? `API key "${found.name}" is revoked` : "API key not recognised";
    refuse(res, 401, `${why}: ask for a new key`, ErrorCode.UNAUTHENTICATED);
    return false;
  }
  if (!found.caller.metrics) {
    access.logger.warn({ key: found.caller.name }, "metrics refused");
    refuse(
      res,
      403,
      `/metrics: API key "${found.caller.name}" may not read metrics: use a key with metrics: true`,
      ErrorCode.FORBIDDEN,
    );
    return false;
  }
  return true;
}

/** Guards `/metrics` on every HTTP server this process creates from now on. */
export function guardMetrics(access: ApiAccess): void {
  beforePonder("metrics guard", (req, res, next) => {
    if (pathnameOf(req) === "/metrics" && !admitMetrics(access, req, res)) return;
    next();
  });
}
