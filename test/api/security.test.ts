/**
 * Who may read the API, over real HTTP to a Ponder indexing a small crash-cascade devnet with
 * keys configured and the anonymous tier off (PERPWATCH_API_AUTH): no key, an unknown key and a
 * revoked key get 401 with a GraphQL error body (`UNAUTHENTICATED`); a key over its request or
 * cost budget gets 429, `Retry-After` and `RATE_LIMITED`, and is answered again once the
 * window (2.5 s here) has passed; a subscription with a key streams, without one is refused;
 * Ponder's raw tables need a key with `tables: true` and its `/metrics` one with `metrics:
 * true`; CORS answers only the allow-list; and Ponder listens on loopback only.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey, newApiKey } from "../../api/auth/apiKeys.js";
import type { RunningPonder } from "../../indexer/runPonder.js";
import { isWildcard, listeningSockets } from "../../runtime/listeningSockets.js";
import { SimulatedDevnet } from "../indexer/support/simulatedDevnet.js";

const WINDOW_MS = 2500;
const KEYS = {
  reader: newApiKey(),
  old: newApiKey(),
  limited: newApiKey(),
  thrifty: newApiKey(),
  tables: newApiKey(),
  scraper: newApiKey(),
};
const AUTH = {
  anonymous: "off",
  windowMs: WINDOW_MS,
  cors: ["https://desk.example"],
  keys: [
    { name: "reader", sha256: hashApiKey(KEYS.reader) },
    { name: "old", sha256: hashApiKey(KEYS.old), revoked: true },
    // Its hash from the environment, as a secret store would inject it.
    { name: "limited", sha256: "env:PW_TEST_LIMITED_SHA256", requestsPerMinute: 2 },
    { name: "thrifty", sha256: hashApiKey(KEYS.thrifty), costPerMinute: 25 },
    { name: "tables", sha256: hashApiKey(KEYS.tables), tables: true },
    { name: "scraper", sha256: hashApiKey(KEYS.scraper), metrics: true },
  ],
};

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe("API access over HTTP", () => {
  let devnet: SimulatedDevnet;
  let ponder: RunningPonder;

  async function send(
    query: string,
    key?: string,
    opts: { path?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const res = await fetch(`${ponder.url}${opts.path ?? "/graphql"}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...opts.headers,
      },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, headers: res.headers, body: JSON.parse(await res.text()) };
  }

  const codeOf = (a: Answer) => a.body.errors?.[0]?.extensions?.code;
  const waitRetryAfter = (a: Answer) =>
    new Promise((r) => setTimeout(r, Number(a.headers.get("retry-after")) * 1000));

  beforeAll(async () => {
    devnet = await SimulatedDevnet.start("perpwatch-api-security-", {
      seed: 7,
      accounts: 8,
      ticks: 12,
    });
    ponder = await devnet.startPonder({
      database: { kind: "pglite", directory: join(devnet.dir, "pglite") },
      logLevel: "error",
      env: {
        PERPWATCH_API_AUTH: JSON.stringify(AUTH),
        PW_TEST_LIMITED_SHA256: hashApiKey(KEYS.limited),
      },
    });
    await ponder.waitForBlock(devnet.head);
  }, 300_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  it("listens on loopback only", () => {
    const sockets = listeningSockets([ponder.pid]);
    expect(sockets.map((s) => s.port)).toContain(ponder.port);
    expect(sockets.filter((s) => isWildcard(s.address))).toEqual([]);
    for (const s of sockets) expect(s.address).toMatch(/^(127\.|::1$|::ffff:127\.)/);
  });

  it("refuses a request without a key: 401 with a GraphQL error body", async () => {
    const a = await send("{ markets { id } }");
    expect(a.status).toBe(401);
    expect(codeOf(a)).toBe("UNAUTHENTICATED");
    expect(a.body.errors![0]!.message).toMatch(/Authorization: Bearer/);
    expect(a.headers.get("www-authenticate")).toMatch(/^Bearer/);
    // A GET query needs one too; GraphiQL's page (no query, HTML) holds no data and does not.
    const get = (q: string) =>
      fetch(`${ponder.url}/graphql${q}`, { headers: { accept: "text/html" } });
    expect((await get(`?query=${encodeURIComponent("{ markets { id } }")}`)).status).toBe(401);
    const page = await get("");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("answers a key, and refuses an unknown and a revoked one", async () => {
    const ok = await send("{ markets { id } }", KEYS.reader);
    expect(ok.status).toBe(200);
    expect((ok.body.data as { markets: unknown[] }).markets.length).toBeGreaterThan(0);
    const unknown = await send("{ markets { id } }", newApiKey());
    expect([unknown.status, codeOf(unknown)]).toEqual([401, "UNAUTHENTICATED"]);
    const malformed = await send("{ markets { id } }", "two words");
    expect([malformed.status, codeOf(malformed)]).toEqual([400, "BAD_REQUEST"]);
    const revoked = await send("{ markets { id } }", KEYS.old);
    expect([revoked.status, codeOf(revoked)]).toEqual([401, "UNAUTHENTICATED"]);
    expect(revoked.body.errors![0]!.message).toBe('API key "old" is revoked: ask for a new key');
  });

  it("refuses a key over its requests with 429 and Retry-After, and answers it after the window", async () => {
    let refused: Answer | null = null;
    for (let i = 0; i < 4 && !refused; i++) {
      const a = await send("{ markets { id } }", KEYS.limited);
      if (a.status === 429) refused = a;
      else expect(a.status).toBe(200);
    }
    expect(refused, "the third request in a window is refused").not.toBeNull();
    expect(codeOf(refused!)).toBe("RATE_LIMITED");
    expect(refused!.body.errors![0]!.message).toMatch(/rate limit of 2 requests per 2500 ms/);
    const retryAfter = Number(refused!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(WINDOW_MS / 1000));
    // Another key is not affected.
    expect((await send("{ markets { id } }", KEYS.reader)).status).toBe(200);
    await waitRetryAfter(refused!);
    expect((await send("{ markets { id } }", KEYS.limited)).status).toBe(200);
  });

  it("refuses a key over its analytics cost with 429 and recovers", async () => {
    // `no-cache`: computed each time (a replayed answer costs nothing and is not charged).
    const fresh = { headers: { "cache-control": "no-cache" } };
    let refused: Answer | null = null;
    let answered = 0;
    for (let i = 0; i < 6 && !refused; i++) {
      const a = await send("{ riskSummary { block } }", KEYS.thrifty, fresh);
      if (a.status === 429) refused = a;
      else {
        expect(a.status).toBe(200);
        answered++;
      }
    }
    expect(answered).toBeGreaterThan(0);
    expect(refused).not.toBeNull();
    expect(codeOf(refused!)).toBe("RATE_LIMITED");
    expect(refused!.body.errors![0]!.message).toMatch(/query cost 25 per 2500 ms/);
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    await waitRetryAfter(refused!);
    expect((await send("{ riskSummary { block } }", KEYS.thrifty, fresh)).status).toBe(200);
  });

  it("streams a subscription to a key and refuses one without", async () => {
    const subscribe = (key?: string, signal?: AbortSignal) =>
      fetch(`${ponder.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify({ query: "subscription { riskSummary { block } }" }),
        signal,
      });
    const refused = await subscribe();
    expect(refused.status).toBe(401);
    expect(JSON.parse(await refused.text()).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect((await send("{ markets { id } }", KEYS.reader)).status).toBe(200);

    const abort = new AbortController();
    const res = await subscribe(KEYS.reader, abort.signal);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("event: next")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    expect(text).toMatch(/event: next\s+data: \{"data":\{"riskSummary":\{"block":"\d+"/);
  });

  it("opens Ponder's raw tables only to a key with tables: true", async () => {
    const q = "{ _meta { status } }";
    const path = { path: "/ponder/graphql" };
    const anonymous = await send(q, undefined, path);
    expect([anonymous.status, codeOf(anonymous)]).toEqual([401, "UNAUTHENTICATED"]);
    const reader = await send(q, KEYS.reader, path);
    expect([reader.status, codeOf(reader)]).toEqual([403, "FORBIDDEN"]);
    const tables = await send(q, KEYS.tables, path);
    expect(tables.status).toBe(200);
    expect(tables.body.errors).toBeUndefined();
  });

  it("opens Ponder's /metrics only to a key with metrics: true", async () => {
    const metrics = (key?: string) =>
      fetch(`${ponder.url}/metrics`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
    const anonymous = await metrics();
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(await anonymous.text()).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    const reader = await metrics(KEYS.reader);
    expect(reader.status).toBe(403);
    expect(JSON.parse(await reader.text()).errors[0].extensions.code).toBe("FORBIDDEN");
    const scraper = await metrics(KEYS.scraper);
    expect(scraper.status).toBe(200);
    expect(await scraper.text()).toMatch(/^# HELP ponder_/m);
    // The probes load balancers use stay open.
    expect((await fetch(`${ponder.url}/status`)).status).toBe(200);
  });

  it("counts requests and cost by key name, never the key, for the metrics key", async () => {
    const usage = (key?: string) =>
      fetch(`${ponder.url}/perpwatch/metrics`, {
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
    expect((await usage()).status).toBe(401);
    expect((await usage(KEYS.reader)).status).toBe(403);
    const res = await usage(KEYS.scraper);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^perpwatch_api_requests_total\{key="reader",outcome="admitted"\} \d+$/m);
    expect(text).toMatch(
      /^perpwatch_api_requests_total\{key="old",outcome="unauthenticated"\} 1$/m,
    );
    expect(text).toMatch(
      /^perpwatch_api_requests_total\{key="limited",outcome="rate_limited"\} 1$/m,
    );
    expect(text).toMatch(/^perpwatch_api_cost_total\{key="thrifty"\} \d+$/m);
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
  });

  it("lets browsers of the allow-list read answers, and no other origin", async () => {
    const q = "{ exchanges { id } }";
    const allowed = await send(q, KEYS.reader, { headers: { origin: "https://desk.example" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://desk.example");
    expect(allowed.headers.get("access-control-expose-headers")).toMatch(/Retry-After/);
    const other = await send(q, KEYS.reader, { headers: { origin: "https://evil.example" } });
    expect(other.status).toBe(200);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
