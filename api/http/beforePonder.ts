/**
 * The one seam below Ponder's HTTP stack: handlers that see every request on Node's `request`
 * event, before Ponder's router, its metrics and CORS middleware and Hono's request object. Each
 * answers the request itself or calls `next` to pass it on, in the order they were added. A
 * handler is added by name, and adding one of the same name again replaces it (the API module
 * evaluated again in one process must not stack its handlers).
 *
 * Why here: Ponder builds its HTTP server after loading the API module and routes `/metrics`,
 * `/health`, `/ready` and `/status` ahead of any route of ours, with no hook before them; its one
 * seam is that @hono/node-server creates the server with Node's `http.createServer`, which is
 * wrapped here (once per `createServer` in place). Used by the `/metrics` guard, a replica's
 * `/ready` and `/status`, and the front door (frontDoor.ts).
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";

export type RawHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const HANDLERS = Symbol.for("perpwatch.beforePonder");

type Wrapped = typeof http.createServer & { [HANDLERS]?: Map<string, RawHandler> };

/** Runs `handler` before Ponder on every HTTP server this process creates from now on. */
export function beforePonder(name: string, handler: RawHandler): void {
  const current = http.createServer as Wrapped;
  const installed = current[HANDLERS];
  if (installed) {
    installed.set(name, handler);
    return;
  }
  const handlers = new Map([[name, handler]]);
  const wrapped = ((...args: unknown[]) => {
    const at = args.findIndex((a) => typeof a === "function");
    if (at >= 0) args[at] = chain(handlers, args[at] as Listener);
    return (current as (...a: unknown[]) => http.Server)(...args);
  }) as Wrapped;
  wrapped[HANDLERS] = handlers;
  http.createServer = wrapped;
}

/** The listener that runs the handlers in turn, then Ponder's. */
function chain(handlers: ReadonlyMap<string, RawHandler>, listener: Listener): Listener {
  return (req, res) => {
    const each = handlers.values();
    const next = (): void => {
      const h = each.next();
      if (h.done) listener(req, res);
      else h.value(req, res, next);
    };
    next();
  };
}

/** The request's pathname (without the query string). */
export function pathnameOf(req: IncomingMessage): string {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}
