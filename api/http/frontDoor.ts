/**
 * What the API answers below Ponder's HTTP stack (beforePonder.ts), at a fraction of its cost:
 * `GET /health`, and the 429 of a request asking for analytics while the analytics queue is
 * full.
 *
 * Why: Ponder's stack (Hono's request object, Ponder's metrics and CORS middleware, then our
 * access middleware and route) costs its one thread a fraction of a millisecond per request
 * however little the request asks, and a burst of 200 analytics requests of which the queue
 * takes 33 spent most of that thread's time during the burst on refusals: every `markets` query
 * and health check arriving meanwhile waited behind them (npm run bench -- api-overload). Here a
 * refusal costs reading the body and a regular expression (a parse only for a body that may
 * name an analytics field), and the refusals of a burst are written a few per turn of the event
 * loop, so that other requests read meanwhile are answered between them. A body is read here only while the queue is full; otherwise requests
 * pass untouched. A body read here and not refused is handed on as `rawBody`, which
 * @hono/node-server and the route read instead of the stream.
 *
 * The refusal keeps what the route's would have (its code, message, Retry-After; the access
 * rules' CORS answer), with one deliberate difference: it comes before the caller is
 * identified, so a request with a bad key is refused 429 rather than 401 while the queue is
 * full, and a refused request is not counted in a rate window (a load balancer shedding load
 * does the same). A request whose answer is in the response cache is refused too while the
 * queue is full, as the intake already did for figures computed at the block.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AnalyticsService } from "../admission/analyticsService.js";
import { asksForAnalytics, mayAskForAnalytics } from "../admission/asksForAnalytics.js";
import { TurnPacer } from "../admission/turnPacer.js";
import type { ApiAccess } from "../auth/apiAccess.js";
import { GRAPHQL_PATH } from "../server.js";
import { pathnameOf, type RawHandler } from "./beforePonder.js";
import { isBufferedPost, MAX_BODY_BYTES } from "./graphqlRoute.js";

/** The request body, read up to just past `MAX_BODY_BYTES` (the route refuses larger ones). */
function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData);
      resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.pause();
        done();
      }
    };
    req.on("data", onData);
    req.once("end", done);
    req.once("error", reject);
  });
}

function answerHealth(res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/plain; charset=UTF-8",
    "access-control-allow-origin": "*",
    "content-length": "0",
  });
  res.end();
}

/** What the door needs of the API: its analytics queue, and its access rules (CORS). */
export interface DoorServices {
  analytics: Pick<AnalyticsService, "intake" | "queue">;
  access: Pick<ApiAccess, "corsAllows">;
}

/**
 * Refusals written per turn of the event loop. Each costs Ponder's thread about a millisecond,
 * most of it the socket write (on loopback the kernel delivers to the client inside it).
 */
const REFUSAL_WRITES_PER_TURN = 4;

export function frontDoor(api: DoorServices): RawHandler {
  const intake = api.analytics.intake;
  const queue = api.analytics.queue;
  // A burst's refusals are written a few per turn: requests read meanwhile (a table read, a
  // health check) are answered between two batches rather than after all of them.
  const writes = new TurnPacer(() => REFUSAL_WRITES_PER_TURN);
  return (req, res, next) => {
    const path = pathnameOf(req);
    if (path === "/health" && req.method === "GET") return answerHealth(res);
    if (
      !intake ||
      !queue?.isFull() ||
      path !== GRAPHQL_PATH ||
      !isBufferedPost(req.method ?? "", req.headers.accept)
    ) {
      return next();
    }
    readRaw(req).then(
      (body) => {
        const text = body.length <= MAX_BODY_BYTES ? body.toString("utf8") : "";
        const refused =
          text !== "" && mayAskForAnalytics(text)
            ? intake.refusal(() => asksForAnalytics(text))
            : null;
        if (!refused) {
          (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
          return next();
        }
        const origin = req.headers.origin;
        const cors =
          origin && api.access.corsAllows(origin)
            ? {
                "access-control-allow-origin": origin,
                "access-control-expose-headers": "Retry-After, x-perpwatch-cache",
              }
            : {};
        writes.run(() => {
          res.writeHead(refused.status, {
            ...refused.headers,
            ...cors,
            vary: "Origin",
            "content-length": String(Buffer.byteLength(refused.body)),
          });
          res.end(refused.body);
        });
      },
      () => next(),
    );
  };
}
