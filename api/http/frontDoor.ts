/**
 * What the API answers below Ponder's HTTP stack (beforePonder.ts), at a fraction of its cost:
 * `GET /health`, and the 429 of a request asking for analytics while the analytics queue is
 * full.
 *
 * Why: Ponder's stack (Hono's request object, Ponder's metrics and CORS middleware, then our
 * access middleware and route) costs its one thread a fraction of a millisecond per request
 * however little the request asks; of a burst of 200 analytics requests the queue takes about
 * 33, and each of the others went through all of it to be refused. Here a refusal costs reading
 * the body and a regular expression (a parse only for a body that may name an analytics field),
 * and a burst's refusals are written a few per turn of the event loop, so that other requests
 * read meanwhile are answered between them (npm run bench -- api-overload measures it; on 2
 * cores its effect on their latency is within the noise). A body is read here only while the
 * queue is full; otherwise requests pass untouched. A body read here and not refused is handed
 * on as `rawBody`, which @hono/node-server and the route read instead of the stream.
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
import { corsHeaders } from "./accessMiddleware.js";
import { pathnameOf, type RawHandler } from "./beforePonder.js";
import { isBufferedPost, MAX_BODY_BYTES, readBodyBytes } from "./graphqlRoute.js";

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
    readBodyBytes(req).then(
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
        const cors = corsHeaders(api.access, req.headers.origin);
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
