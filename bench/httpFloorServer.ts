/**
 * A bare `node:http` server in a process of its own that answers every request with an empty
 * 200 (for api-overload.bench.ts): the floor of Node's own HTTP handling under the same burst,
 * beside Ponder's (Hono on @hono/node-server, its metrics and CORS middleware), so the table
 * says how much of the light requests' latency is the HTTP stack rather than the API's work.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

export interface FloorServer {
  url: string;
  stop(): void;
}

/** Starts the server in a child process; its URL once it listens. */
export async function startHttpFloorServer(): Promise<FloorServer> {
  const child = fork(fileURLToPath(import.meta.url), ["--child"], { stdio: "inherit" });
  const [port] = (await Promise.race([
    once(child, "message"),
    once(child, "exit").then(([code]) => {
      throw new Error(`the floor server's process exited (${code}) before it listened`);
    }),
  ])) as [number];
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

if (process.argv.includes("--child") && process.send) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("");
    });
  });
  server.listen(0, "127.0.0.1", () => process.send?.((server.address() as AddressInfo).port));
}
