/**
 * A corpus of malformed, odd and heavy requests sent over real HTTP to the API of a Ponder
 * indexing a crash-cascade devnet: every answer comes (no hang), none is a 5xx or an
 * `INTERNAL_SERVER_ERROR`, none leaks a stack or an `originalError`, and every one carries the
 * expected HTTP status and a GraphQL error body with its stable `extensions.code`.
 *
 * The API runs with one analytics worker and no analytics queue, so a second distinct heavy
 * query while one is computing is refused at once with 429, `OVERLOADED` and `Retry-After`.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningPonder } from "../../indexer/runPonder.js";
import { SimulatedDevnet } from "../indexer/support/simulatedDevnet.js";

interface Sent {
  method?: string;
  /** Path and query string after the server's origin (default `/graphql`). */
  path?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  errors: { message: string; extensions?: Record<string, unknown> }[];
}

const json = (v: unknown) => JSON.stringify(v);
const JSON_POST = { "content-type": "application/json", accept: "application/json" };
const post = (query: string, headers: Record<string, string> = JSON_POST): Sent => ({
  method: "POST",
  headers,
  body: json({ query }),
});
const get = (params: Record<string, string>): Sent => ({
  path: `/graphql?${new URLSearchParams(params)}`,
});

function multipart(operations: string): FormData {
  const form = new FormData();
  form.set("operations", operations);
  form.set("map", "{}");
  return form;
}

const nestedList = (levels: number) =>
  `{ stress(shocks: ${"[".repeat(levels)}${"]".repeat(levels)}) { block } }`;
const varAliases = (n: number) =>
  `{ ${Array.from({ length: n }, (_, i) => `v${i}: varLar(paths: 20000, seed: ${i}) { block }`).join(" ")} }`;
const deepIntrospection = `{ __type(name: "Query") ${"{ fields { type ".repeat(8)}{ name }${" } }".repeat(8)} }`;

/** [name, request, HTTP status, extensions.code] — the classes first. */
const CORPUS: [string, Sent, number, string][] = [
  [
    "GET with variables that are not JSON",
    get({ query: "{ markets { id } }", variables: "{bad" }),
    400,
    "BAD_REQUEST",
  ],
  [
    "GET with variables that are a JSON array",
    get({ query: "{ markets { id } }", variables: "[1]" }),
    400,
    "BAD_REQUEST",
  ],
  [
    "GET with extensions that are not JSON",
    get({ query: "{ markets { id } }", extensions: "x" }),
    400,
    "BAD_REQUEST",
  ],
  ["a mutation over POST", post("mutation { x }"), 400, "BAD_REQUEST"],
  ["a mutation over GET", get({ query: "mutation { x }" }), 405, "BAD_REQUEST"],
  ["a list literal nested 2,000 levels deep (8 KB)", post(nestedList(2000)), 400, "QUERY_TOO_DEEP"],
  [
    "more tokens than the limit",
    post(`{ markets { ${"id ".repeat(2500)} } }`),
    400,
    "TOO_MANY_TOKENS",
  ],
  [
    "multipart whose operations is not JSON",
    { method: "POST", body: multipart("not json") },
    415,
    "BAD_REQUEST",
  ],
  [
    "multipart with valid operations",
    { method: "POST", body: multipart(json({ query: "{ markets { id } }" })) },
    415,
    "BAD_REQUEST",
  ],
  [
    "POST text/plain",
    { method: "POST", headers: { "content-type": "text/plain" }, body: "{ markets { id } }" },
    415,
    "BAD_REQUEST",
  ],
  ["POST without a content type", { method: "POST", body: "x" }, 415, "BAD_REQUEST"],
  [
    "Accept: image/png",
    post("{ markets { id } }", { "content-type": "application/json", accept: "image/png" }),
    406,
    "BAD_REQUEST",
  ],
  [
    "GET with Accept: image/png",
    { ...get({ query: "{ markets { id } }" }), headers: { accept: "image/png" } },
    406,
    "BAD_REQUEST",
  ],
  [
    "PUT",
    { method: "PUT", headers: JSON_POST, body: json({ query: "{ markets { id } }" }) },
    405,
    "BAD_REQUEST",
  ],
  ["DELETE", { method: "DELETE" }, 405, "BAD_REQUEST"],
  ["a path below the endpoint", { path: "/graphql/anything" }, 404, "BAD_REQUEST"],
  [
    "a body that is not JSON",
    { method: "POST", headers: JSON_POST, body: "{bad" },
    400,
    "BAD_REQUEST",
  ],
  [
    "a body that is a JSON array",
    { method: "POST", headers: JSON_POST, body: "[1, 2]" },
    400,
    "BAD_REQUEST",
  ],
  [
    "a body that is a JSON string",
    { method: "POST", headers: JSON_POST, body: '"x"' },
    400,
    "BAD_REQUEST",
  ],
  ["a body without query", { method: "POST", headers: JSON_POST, body: "{}" }, 400, "BAD_REQUEST"],
  [
    "query that is not a string",
    { method: "POST", headers: JSON_POST, body: json({ query: 5 }) },
    400,
    "BAD_REQUEST",
  ],
  [
    "variables that are not an object",
    {
      method: "POST",
      headers: JSON_POST,
      body: json({ query: "{ markets { id } }", variables: "x" }),
    },
    400,
    "BAD_REQUEST",
  ],
  ["GET without query", { path: "/graphql?variables=%7B%7D" }, 400, "BAD_REQUEST"],
  [
    "a malformed X-Perpwatch-Block",
    post("{ markets { id } }", { ...JSON_POST, "x-perpwatch-block": "latest" }),
    400,
    "BAD_REQUEST",
  ],
  [
    "X-Perpwatch-Block of a block indexed in the backfill (no reorg log)",
    post("{ riskSummary { block } }", { ...JSON_POST, "x-perpwatch-block": "5" }),
    200,
    "BLOCK_UNAVAILABLE",
  ],
  [
    "X-Perpwatch-Block past the newest block",
    post("{ riskSummary { block } }", { ...JSON_POST, "x-perpwatch-block": "99999999" }),
    200,
    "BLOCK_UNAVAILABLE",
  ],
  [
    "a body over 1 MB",
    {
      method: "POST",
      headers: JSON_POST,
      body: json({ query: `# ${"x".repeat(1_100_000)}\n{ markets { id } }` }),
    },
    413,
    "BAD_REQUEST",
  ],
  [
    "a subscription without Accept",
    post("subscription { riskSummary { block } }", { "content-type": "application/json" }),
    406,
    "BAD_REQUEST",
  ],
  [
    "a subscription with Accept: */*",
    post("subscription { riskSummary { block } }", {
      "content-type": "application/json",
      accept: "*/*",
    }),
    406,
    "BAD_REQUEST",
  ],
  [
    "a subscription with Accept: application/json",
    post("subscription { riskSummary { block } }"),
    406,
    "BAD_REQUEST",
  ],
  ["introspection nested past its limit", post(deepIntrospection), 200, "QUERY_TOO_DEEP"],
  ["a non-canonical id (01)", post('{ account(id: "01") { id } }'), 200, "BAD_USER_INPUT"],
  ["a non-canonical market id (+1)", post('{ market(id: "+1") { id } }'), 200, "BAD_USER_INPUT"],
  ["twenty aliased VaR at 20,000 paths", post(varAliases(20)), 200, "QUERY_TOO_COSTLY"],
  ["a syntax error", post("{ markets { id "), 200, "GRAPHQL_PARSE_FAILED"],
  ["an unknown field", post("{ nope }"), 200, "GRAPHQL_VALIDATION_FAILED"],
  [
    "a variable of the wrong type",
    {
      method: "POST",
      headers: JSON_POST,
      body: json({
        query: "query ($p: Int) { varLar(paths: $p) { block } }",
        variables: { p: "many" },
      }),
    },
    400,
    "BAD_USER_INPUT",
  ],
  ["an argument out of range", post("{ varLar(paths: 5) { block } }"), 200, "BAD_USER_INPUT"],
  ["an unknown market", post('{ market(id: "999") { id } }'), 200, "NOT_FOUND"],
];

describe("bad requests over HTTP against the indexed devnet", () => {
  let devnet: SimulatedDevnet;
  let ponder: RunningPonder;

  async function send(s: Sent): Promise<Answer> {
    const res = await fetch(`${ponder.url}${s.path ?? "/graphql"}`, {
      method: s.method ?? "GET",
      headers: s.headers,
      body: s.body,
      // Not a pause: a request that hangs fails here instead of stalling the suite.
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let errors: Answer["errors"] = [];
    try {
      errors = (JSON.parse(text) as { errors?: Answer["errors"] }).errors ?? [];
    } catch {
      // not JSON: the assertions below say so
    }
    return { status: res.status, headers: res.headers, text, errors };
  }

  function expectClean(a: Answer, status: number, code: string, what: string): void {
    expect(a.status, `${what}: ${a.text.slice(0, 300)}`).toBe(status);
    expect(a.errors.length, `${what}: a GraphQL error body`).toBeGreaterThan(0);
    for (const e of a.errors) {
      expect(e.extensions?.code, what).toBeTypeOf("string");
      expect(e.message).not.toContain("\n");
    }
    expect(a.errors[0]!.extensions!.code, what).toBe(code);
    expect(a.text).not.toMatch(/INTERNAL_SERVER_ERROR|originalError|stack|\n\s+at /);
  }

  beforeAll(async () => {
    devnet = await SimulatedDevnet.start("perpwatch-api-bad-", {
      seed: 42,
      accounts: 100,
      ticks: 120,
    });
    ponder = await devnet.startPonder({
      database: { kind: "pglite", directory: join(devnet.dir, "pglite") },
      logLevel: "error",
      env: {
        PERPWATCH_API_ANALYTICS_WORKERS: "1",
        PERPWATCH_API_ANALYTICS_QUEUE: "0",
        PERPWATCH_API_RESPONSE_CACHE_ENTRIES: "0",
      },
    });
    await ponder.waitForBlock(devnet.head);
  }, 300_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  it.each(CORPUS.map(([name, request, status, code]) => [name, status, code, request] as const))(
    "%s: HTTP %i, %s",
    async (name, status, code, request) => {
      expectClean(await send(request), status, code, name);
    },
  );

  it("a subscription that accepts a stream gets the stream", async () => {
    const abort = new AbortController();
    const res = await fetch(`${ponder.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: json({ query: "subscription { riskSummary { block } }" }),
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    abort.abort();
  });

  it("the canonical id is served", async () => {
    const a = await send(post('{ account(id: "1") { id } }'));
    expect(a.status).toBe(200);
    expect(JSON.parse(a.text).data.account.id).toBe("1");
  });

  it("a heavy query while the only analytics worker is busy: 429, OVERLOADED, Retry-After", async () => {
    // Distinct seeds: no two share a computation. With no queue, one runs and the rest are
    // refused on arrival (each VaR at 20,000 paths takes the worker about a second).
    const answers = await Promise.all(
      [11, 12, 13, 14].map((seed) =>
        send(post(`{ varLar(paths: 20000, seed: ${seed}) { block } }`)),
      ),
    );
    const served = answers.filter((a) => a.status === 200);
    const shed = answers.filter((a) => a.status === 429);
    expect(served.length + shed.length).toBe(answers.length);
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(shed.length).toBeGreaterThanOrEqual(1);
    for (const a of served) expect(a.errors).toEqual([]);
    for (const a of shed) {
      expectClean(a, 429, "OVERLOADED", "shed");
      expect(Number(a.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
    // Table reads were never queued behind it, nor one that only names an analytics field.
    expect((await send(post("{ markets { id } }"))).status).toBe(200);
  });

  it("while the worker is busy, a query naming analytics fields without asking for them is served", async () => {
    // One VaR keeps the only worker about a second; the other's 429 says the queue is full, and
    // the light queries are sent then.
    const heavy = [21, 22].map((seed) =>
      send(post(`{ varLar(paths: 20000, seed: ${seed}) { block } }`)),
    );
    const shed = await Promise.any(
      heavy.map((p) =>
        p.then((a) => {
          if (a.status !== 429) throw new Error(`HTTP ${a.status}`);
          return a;
        }),
      ),
    );
    expectClean(shed, 429, "OVERLOADED", "shed");
    const light = await Promise.all([
      send(post("{ stress: markets { id } }")),
      send(post("{ varLar: markets { id } insuranceFund { coverage: __typename } }")),
    ]);
    expect((await Promise.all(heavy)).map((a) => a.status).sort()).toEqual([200, 429]);
    for (const a of light) {
      expect(a.status).toBe(200);
      expect(a.errors).toEqual([]);
    }
  });
});
