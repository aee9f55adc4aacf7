import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { mapPath, rewritePaths } from "./replicaPaths.js";

const original = http.createServer;
afterEach(() => {
  http.createServer = original;
});

describe("mapPath", () => {
  it("maps a listed pathname and keeps the query; leaves others alone", () => {
    const paths = { "/ready": "/replica/ready" };
    expect(mapPath("/ready", paths)).toBe("/replica/ready");
    expect(mapPath("/ready?x=1", paths)).toBe("/replica/ready?x=1");
    expect(mapPath("/ready/more", paths)).toBe("/ready/more");
    expect(mapPath("/graphql?query=1", paths)).toBe("/graphql?query=1");
  });
});

describe("rewritePaths", () => {
  it("servers created afterwards see the mapped path; others pass as they came", async () => {
    rewritePaths({ "/ready": "/replica/ready", "/status": "/replica/status" });
    // As @hono/node-server creates Ponder's server: options, then the request listener.
    const server = http.createServer({}, (req, res) => res.end(req.url));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const seen = await Promise.all(
        ["/ready", "/status?x=1", "/graphql", "/health"].map((p) =>
          fetch(base + p).then((r) => r.text()),
        ),
      );
      expect(seen).toEqual(["/replica/ready", "/replica/status?x=1", "/graphql", "/health"]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
