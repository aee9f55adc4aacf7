import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { AnalyticsService } from "../admission/analyticsService.js";
import { ApiAccess } from "../auth/apiAccess.js";
import { loadAuthConfig } from "../auth/authConfig.js";
import { logger } from "../logger.js";
import { beforePonder } from "./beforePonder.js";
import { frontDoor } from "./frontDoor.js";

const silent = logger.child({}, { level: "silent" });
const original = http.createServer;
afterEach(() => {
  http.createServer = original;
});

/** What reached the server behind the door: each request's path and the body handed on. */
interface Reached {
  path: string;
  rawBody: string | undefined;
}

async function start() {
  // One job at a time and no waiting room: one running job fills the queue.
  const analytics = new AnalyticsService(
    { enabled: true, workers: 0, maxQueued: 0, deadlineMs: 10_000 },
    silent,
  );
  const access = new ApiAccess(
    loadAuthConfig({ PERPWATCH_API_AUTH: JSON.stringify({ cors: ["https://risk.example"] }) }),
    silent,
  );
  beforePonder("front door", frontDoor({ analytics, access }));
  const reached: Reached[] = [];
  const server = http.createServer({}, (req, res) => {
    const raw = (req as http.IncomingMessage & { rawBody?: Buffer }).rawBody;
    reached.push({ path: req.url ?? "", rawBody: raw?.toString("utf8") });
    // A body the door read has been read from the stream already.
    if (req.readableEnded) res.end("behind");
    else req.resume().on("end", () => res.end("behind"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  let release = () => {};
  const fill = () => {
    const running = analytics.queue!.run("busy", () => new Promise<void>((r) => (release = r)));
    return () => {
      release();
      return running;
    };
  };
  const close = () => new Promise<void>((r) => server.close(() => r()));
  return { base, reached, fill, close };
}

const post = (query: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify({ query }),
});

const VAR = "{ varLar(paths: 5000, seed: 1) { block } }";

describe("frontDoor", () => {
  it("answers /health itself; with room in the queue every request passes untouched", async () => {
    const s = await start();
    try {
      const health = await fetch(`${s.base}/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get("access-control-allow-origin")).toBe("*");
      expect(await (await fetch(`${s.base}/graphql`, post(VAR))).text()).toBe("behind");
      expect(s.reached).toEqual([{ path: "/graphql", rawBody: undefined }]);
    } finally {
      await s.close();
    }
  });

  it("while the queue is full: refuses analytics with the queue's 429, hands anything else on with its body", async () => {
    const s = await start();
    const done = s.fill();
    try {
      const refused = await fetch(
        `${s.base}/graphql`,
        post(VAR, { origin: "https://risk.example" }),
      );
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get("access-control-allow-origin")).toBe("https://risk.example");
      const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe("OVERLOADED");

      // Names an analytics field without asking for it, a table read, a stream: all go on.
      const light = JSON.stringify({ query: "{ markets { id } varLar: markets { id } }" });
      expect(await (await fetch(`${s.base}/graphql`, { ...post(""), body: light })).text()).toBe(
        "behind",
      );
      const table = post("{ markets { id } }");
      await fetch(`${s.base}/graphql`, table);
      await fetch(`${s.base}/graphql`, post(VAR, { accept: "text/event-stream" }));
      expect(s.reached).toEqual([
        { path: "/graphql", rawBody: light },
        { path: "/graphql", rawBody: table.body },
        { path: "/graphql", rawBody: undefined },
      ]);
    } finally {
      await done();
      await s.close();
    }
  });
});
