/**
 * A front door for one HTTP server on loopback: every request is passed through as it is
 * (bodies and server-sent event streams piped, never buffered), except a few paths that are
 * answered by other paths of the same server.
 *
 * Why: `perpwatch serve` runs `ponder serve`, whose own `/ready` and `/status` (the indexer's
 * backfill and checkpoint) are routed ahead of the API's; a replica's must say what *it*
 * serves. Ponder listens on loopback, and this front, on the public address, maps `/ready`
 * and `/status` to the API's `/replica/*` routes. A dead upstream is a 502 with one line.
 */
import http from "node:http";

export interface HttpFrontOptions {
  /** The server passed through to, e.g. `http://127.0.0.1:41234`. */
  upstream: string;
  port: number;
  host: string;
  /** Request paths answered by other upstream paths (the query string is kept). */
  paths?: Readonly<Record<string, string>>;
}

export interface HttpFront {
  /** `http://host:port` as bound (a `port` of 0 picks a free one). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Hop-by-hop headers: they describe one connection and are not passed on. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer"];

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...headers };
  for (const h of HOP_BY_HOP) delete out[h];
  return out;
}

/** `path` with its pathname replaced when `paths` maps it. */
export function mapPath(path: string, paths: Readonly<Record<string, string>>): string {
  const q = path.indexOf("?");
  const pathname = q < 0 ? path : path.slice(0, q);
  const to = paths[pathname];
  return to === undefined ? path : to + (q < 0 ? "" : path.slice(q));
}

export async function startHttpFront(opts: HttpFrontOptions): Promise<HttpFront> {
  const up = new URL(opts.upstream);
  const paths = opts.paths ?? {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const server = http.createServer((req, res) => {
    const upReq = http.request(
      {
        host: up.hostname,
        port: up.port,
        method: req.method,
        path: mapPath(req.url ?? "/", paths),
        headers: withoutHopByHop(req.headers),
        agent,
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, withoutHopByHop(upRes.headers));
        // At once, as upstream sent them: an event stream's headers must not wait for its first event.
        res.flushHeaders();
        upRes.pipe(res);
      },
    );
    upReq.on("error", () => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
      res.end(`the API process behind this address does not answer (${opts.upstream})\n`);
    });
    // A client that leaves (an SSE subscriber closing its stream) closes the upstream request.
    res.on("close", () => {
      if (!res.writableFinished) upReq.destroy();
    });
    req.pipe(upReq);
  });
  // Subscriptions stay open for as long as their client wants.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const shown = opts.host === "0.0.0.0" || opts.host === "::" ? "127.0.0.1" : opts.host;
  return {
    url: `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
