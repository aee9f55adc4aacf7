import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./freePort.js";
import { type HttpFront, mapPath, startHttpFront } from "./httpFront.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An upstream that echoes method, path and body, and streams three events on /events. */
async function upstream(
  onEventsClosed?: () => void,
): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer((req, res) => {
    if (req.url === "/events") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      let n = 0;
      // The next event is written only once the client has read the previous one.
      const next = () => {
        n += 1;
        res.write(`data: ${n}\n\n`);
      };
      res.on("close", () => onEventsClosed?.());
      server.emit("events", next);
      return;
    }
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      res.writeHead(201, { "content-type": "application/json", "x-upstream": "yes" });
      res.end(JSON.stringify({ method: req.method, path: req.url, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  const a = server.address() as { port: number };
  return { url: `http://127.0.0.1:${a.port}`, server };
}

async function front(up: string): Promise<HttpFront> {
  const f = await startHttpFront({
    upstream: up,
    port: 0,
    host: "127.0.0.1",
    paths: { "/ready": "/replica/ready" },
  });
  closers.push(() => f.close());
  return f;
}

describe("mapPath", () => {
  it("maps a listed pathname and keeps the query; leaves others alone", () => {
    const paths = { "/ready": "/replica/ready" };
    expect(mapPath("/ready", paths)).toBe("/replica/ready");
    expect(mapPath("/ready?x=1", paths)).toBe("/replica/ready?x=1");
    expect(mapPath("/ready/more", paths)).toBe("/ready/more");
    expect(mapPath("/graphql?query=1", paths)).toBe("/graphql?query=1");
  });
});

describe("startHttpFront", () => {
  it("passes method, path, body, status and headers through, mapping the listed paths", async () => {
    const f = await front((await upstream()).url);
    const res = await fetch(`${f.url}/graphql?a=1`, { method: "POST", body: "{ x }" });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-upstream")).toBe("yes");
    expect(await res.json()).toEqual({ method: "POST", path: "/graphql?a=1", body: "{ x }" });
    const ready = await fetch(`${f.url}/ready`);
    expect(await ready.json()).toMatchObject({ method: "GET", path: "/replica/ready" });
  });

  it("streams server-sent events as they are written, and closes upstream when the client leaves", async () => {
    let closedUpstream: () => void = () => {};
    const upstreamClosed = new Promise<void>((r) => {
      closedUpstream = r;
    });
    const up = await upstream(closedUpstream);
    const nextEvent = new Promise<() => void>((r) => up.server.once("events", r));
    const f = await front(up.url);
    const abort = new AbortController();
    const res = await fetch(`${f.url}/events`, { signal: abort.signal });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const next = await nextEvent;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    for (const n of [1, 2, 3]) {
      next();
      // Each event arrives before the next is written: nothing waits for the stream's end.
      const { value } = await reader.read();
      expect(decoder.decode(value)).toBe(`data: ${n}\n\n`);
    }
    abort.abort();
    await upstreamClosed;
  });

  it("answers 502 with one line when the upstream is down", async () => {
    const f = await front(`http://127.0.0.1:${await freePort()}`);
    const res = await fetch(`${f.url}/graphql`);
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/^the API process behind this address does not answer/);
  });
});
