import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { beforePonder, pathnameOf } from "./beforePonder.js";

const original = http.createServer;
afterEach(() => {
  http.createServer = original;
});

/** A server made as @hono/node-server makes Ponder's (options, then the listener). */
async function serve(): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer({}, (req, res) => res.end(`ponder ${req.url}`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, close: () => new Promise((r) => server.close(() => r())) };
}

describe("beforePonder", () => {
  it("runs the handlers in the order added, each answering or passing on to Ponder", async () => {
    beforePonder("rewrite", (req, _res, next) => {
      if (req.url === "/old") req.url = "/new";
      next();
    });
    beforePonder("answer", (req, res, next) => {
      if (pathnameOf(req) === "/mine") res.end("handler");
      else next();
    });
    const { base, close } = await serve();
    try {
      const seen = await Promise.all(
        ["/old", "/mine?x=1", "/graphql"].map((p) => fetch(base + p).then((r) => r.text())),
      );
      expect(seen).toEqual(["ponder /new", "handler", "ponder /graphql"]);
    } finally {
      await close();
    }
  });

  it("a handler added again by name replaces the first, in its place", async () => {
    const order: string[] = [];
    beforePonder("a", (_req, _res, next) => {
      order.push("a1");
      next();
    });
    beforePonder("b", (_req, _res, next) => {
      order.push("b");
      next();
    });
    beforePonder("a", (_req, _res, next) => {
      order.push("a2");
      next();
    });
    const { base, close } = await serve();
    try {
      expect(await fetch(`${base}/x`).then((r) => r.text())).toBe("ponder /x");
      expect(order).toEqual(["a2", "b"]);
    } finally {
      await close();
    }
  });
});
