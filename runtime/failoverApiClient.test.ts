import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "./apiClient.js";
import {
  createFailoverApiClient,
  type FailoverApiClient,
  replicaFailed,
} from "./failoverApiClient.js";

/** A fake replica: `/graphql` answers `{ who }` (or an error), `/ready` answers `readyStatus`. */
interface FakeReplica {
  url: string;
  name: string;
  readyStatus: number;
  /** While set, `/ready` answers only once it resolves (a health check in flight). */
  readyHeld: Promise<void> | null;
  /** Called when a `/ready` request arrives. */
  onReadyAsked: () => void;
  /** Queries answer this HTTP status with a non-JSON body (null: answer normally). */
  failWith: number | null;
  error: string | null;
  queries: number;
  stop(): Promise<void>;
}

const running: FakeReplica[] = [];
const clients: FailoverApiClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of running.splice(0)) await r.stop();
});

async function replica(name: string, port = 0): Promise<FakeReplica> {
  const r: FakeReplica = {
    url: "",
    name,
    readyStatus: 200,
    readyHeld: null,
    onReadyAsked: () => {},
    failWith: null,
    error: null,
    queries: 0,
    stop: async () => {},
  };
  const server = http.createServer((req, res) => {
    if (req.url === "/ready") {
      r.onReadyAsked();
      const status = r.readyStatus;
      void (r.readyHeld ?? Promise.resolve()).then(() => res.writeHead(status).end());
      return;
    }
    req.resume();
    req.on("end", () => {
      r.queries += 1;
      if (r.failWith !== null) {
        res.writeHead(r.failWith, { "content-type": "text/plain" }).end("down");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          r.error
            ? { errors: [{ message: r.error, extensions: { code: "BAD_USER_INPUT" } }] }
            : { data: { who: name } },
        ),
      );
    });
  });
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  r.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  r.stop = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  running.push(r);
  return r;
}

function client(urls: string[], healthIntervalMs = 60_000) {
  const switches: string[] = [];
  let onSwitch: () => void = () => {};
  const c = createFailoverApiClient({
    urls,
    healthIntervalMs,
    onSwitch: (from, to) => {
      switches.push(`${from} -> ${to}`);
      onSwitch();
    },
  });
  clients.push(c);
  const nextSwitch = () => new Promise<void>((r) => (onSwitch = r));
  return { c, switches, nextSwitch };
}

const who = (c: FailoverApiClient) => c.query<{ who: string }>("{ who }").then((d) => d.who);

describe("createFailoverApiClient", () => {
  it("stays on the first replica; when it dies, the same query answers from the next, which is kept", async () => {
    const a = await replica("a");
    const b = await replica("b");
    const { c, switches } = client([a.url, b.url]);
    expect(await who(c)).toBe("a");
    expect(await who(c)).toBe("a");
    const port = new URL(a.url).port;
    await a.stop();
    expect(await who(c)).toBe("b");
    expect(c.url).toBe(b.url);
    expect(switches).toEqual([`${a.url} -> ${b.url}`]);
    // The first replica back: the client stays where it is (no needless move).
    await replica("a again", Number(port));
    expect(await who(c)).toBe("b");
  });

  it("moves off a replica whose /ready fails before any query does", async () => {
    const a = await replica("a");
    const b = await replica("b");
    const { c, nextSwitch } = client([a.url, b.url], 50);
    expect(await who(c)).toBe("a");
    const switched = nextSwitch();
    a.readyStatus = 503;
    await switched;
    expect(c.url).toBe(b.url);
    const before = a.queries;
    expect(await who(c)).toBe("b");
    expect(a.queries).toBe(before);
  });

  it("a health answer asked for before a query failed does not bring the replica back", async () => {
    const a = await replica("a");
    const b = await replica("b");
    b.readyStatus = 503; // b answers queries but lags: not ready
    let release: () => void = () => {};
    a.readyHeld = new Promise<void>((r) => {
      release = r;
    });
    const asked = new Promise<void>((r) => {
      a.onReadyAsked = r;
    });
    const { c, switches, nextSwitch } = client([a.url, b.url], 20);
    await asked; // a health check is in flight: a's /ready will say 200, b's said 503
    a.failWith = 502; // then a dies for queries
    expect(await who(c)).toBe("b");
    // The check completes: b not ready, a "ready" by an answer from before its failure. The
    // client stays on b rather than go back to a.
    const next = new Promise<void>((r) => {
      b.onReadyAsked = r;
    });
    release();
    await next; // the following round has started: the held one was applied
    expect(switches).toEqual([`${a.url} -> ${b.url}`]);
    expect(c.url).toBe(b.url);
    // A check sent after a's failure that finds it ready may switch back to it.
    const back = nextSwitch();
    a.failWith = null;
    await back;
    expect(c.url).toBe(a.url);
  });

  it("throws a GraphQL error of the query itself without trying another replica", async () => {
    const a = await replica("a");
    const b = await replica("b");
    a.error = "bad argument";
    const { c } = client([a.url, b.url]);
    await expect(who(c)).rejects.toThrow(/bad argument/);
    expect(b.queries).toBe(0);
    expect(c.url).toBe(a.url);
  });

  it("throws the last replica's error when none answers", async () => {
    const a = await replica("a");
    const b = await replica("b");
    const { c } = client([a.url, b.url]);
    await a.stop();
    await b.stop();
    const err = await who(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe("unreachable");
  });

  it("classifies what another replica might answer", () => {
    expect(replicaFailed(new ApiError("x", "unreachable"))).toBe(true);
    expect(
      replicaFailed(new ApiError("API u answered HTTP 502 with a non-JSON body", "http")),
    ).toBe(true);
    expect(replicaFailed(new ApiError("API u answered HTTP 400 without data", "http"))).toBe(false);
    expect(replicaFailed(new ApiError("x", "graphql", "NOT_READY"))).toBe(true);
    expect(replicaFailed(new ApiError("x", "graphql", "BAD_USER_INPUT"))).toBe(false);
    expect(replicaFailed(new Error("x"))).toBe(false);
  });
});
