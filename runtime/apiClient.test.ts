import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createApiClient } from "./apiClient.js";
import { freePort } from "./freePort.js";

let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const { query, variables } = JSON.parse(body) as {
        query: string;
        variables: Record<string, unknown>;
      };
      res.setHeader("content-type", "application/json");
      if (req.url === "/slow") return void setTimeout(() => res.end("{}"), 500);
      if (req.url === "/html") {
        res.statusCode = 502;
        return void res.end("<html>bad gateway</html>");
      }
      if (query.includes("boom")) {
        return void res.end(
          JSON.stringify({
            errors: [{ message: "no such account 7", extensions: { code: "NOT_FOUND" } }],
          }),
        );
      }
      res.end(JSON.stringify({ data: { echo: variables.x } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("createApiClient", () => {
  it("returns data and sends variables", async () => {
    const api = createApiClient({ url: `${base}/graphql` });
    expect(await api.query<{ echo: number }>("{ echo }", { x: 7 })).toEqual({ echo: 7 });
  });

  it("turns a GraphQL error into one line with its code", async () => {
    const api = createApiClient({ url: `${base}/graphql` });
    const err = await api.query("{ boom }").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe("graphql");
    expect((err as ApiError).code).toBe("NOT_FOUND");
    expect((err as ApiError).message).toBe(`API ${base}/graphql: no such account 7`);
  });

  it("names a dead endpoint, a timeout and a non-JSON answer", async () => {
    const dead = `http://127.0.0.1:${await freePort()}/graphql`;
    const e1 = (await createApiClient({ url: dead })
      .query("{ x }")
      .catch((e: unknown) => e)) as ApiError;
    expect([e1.kind, e1.message]).toEqual([
      "unreachable",
      `API ${dead} unreachable: connection failed`,
    ]);
    const e2 = (await createApiClient({ url: `${base}/slow`, timeoutMs: 100 })
      .query("{ x }")
      .catch((e: unknown) => e)) as ApiError;
    expect(e2.message).toBe(`API ${base}/slow unreachable: no answer in 100 ms`);
    const e3 = (await createApiClient({ url: `${base}/html` })
      .query("{ x }")
      .catch((e: unknown) => e)) as ApiError;
    expect([e3.kind, e3.message]).toEqual([
      "http",
      `API ${base}/html answered HTTP 502 with a non-JSON body`,
    ]);
  });
});
