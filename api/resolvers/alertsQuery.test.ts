/**
 * GraphQL `alerts` and `silences` over real HTTP: a real alert store (PGlite) served by the
 * worker's route handler (alerts/service/alertsHttp.ts) on a local server, the API pointed at
 * it with PERPWATCH_ALERTS_URL. Filters reach the store; bad arguments are BAD_USER_INPUT;
 * no worker configured or a worker that is down is ALERTS_UNAVAILABLE in one line.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMatcher } from "../../alerts/routing/matchers.js";
import { alertsHttpAnswer } from "../../alerts/service/alertsHttp.js";
import type { AlertEventDraft } from "../../alerts/state/alertState.js";
import type { AlertStore } from "../../alerts/store/alertStore.js";
import { openAlertStore } from "../../alerts/store/openStore.js";
import { addSilence } from "../../alerts/store/silenceStore.js";
import { loadApiConfig } from "../config.js";
import { dbLessApi } from "../test/dbLessApi.js";

const T0 = Date.parse("2026-12-01T10:00:00Z");
const dir = mkdtempSync(join(tmpdir(), "perpwatch-alerts-gql-"));
let store: AlertStore;
let server: Server;
let url: string;

function event(kind: AlertEventDraft["kind"], startsAt: number, endsAt: number | null) {
  return {
    kind,
    fingerprint: "fp-eth",
    rule: "cascade-amplification",
    labels: {
      alertname: "cascade-amplification",
      severity: "critical",
      market: "ETH",
      exchange: "reference-31337",
    },
    annotations: { summary: kind === "firing" ? "ETH cascade 1.4x" : "ETH cascade back to 1.0x" },
    value: 1.4,
    threshold: 1.12,
    startsAtMs: startsAt,
    endsAtMs: endsAt,
    block: { number: 120n, hash: "0x1", timestamp: 0 },
  } satisfies AlertEventDraft;
}

beforeAll(async () => {
  store = await openAlertStore({ kind: "pglite", directory: dir, schema: "perpwatch_alerts" });
  const commit = (events: AlertEventDraft[]) =>
    store.commit({ nowMs: T0, records: [], events, deliveries: () => [] });
  await commit([event("firing", T0, null), event("resolved", T0, T0 + 60_000)]);
  await commit([event("firing", T0 + 120_000, null)]);
  const now = Date.now();
  await addSilence(
    store,
    {
      matchers: [parseMatcher('alertname="oracle-jump"')],
      startsAtMs: now,
      endsAtMs: now + 3_600_000,
      createdBy: "ops",
      comment: "drill",
    },
    now,
  );
  server = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://worker");
    void alertsHttpAnswer(store, u.pathname, u.searchParams).then((a) => {
      res.statusCode = a?.status ?? 404;
      res.end(JSON.stringify(a?.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

type Answer = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: { code: string } }[];
};

async function query(api: ReturnType<typeof dbLessApi>, q: string): Promise<Answer> {
  const res = await api.yoga.fetch("http://localhost/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query: q }),
  });
  return (await res.json()) as Answer;
}

describe("GraphQL alerts and silences", () => {
  it("lists episodes newest first with their labels, and filters them", async () => {
    const api = dbLessApi({ PERPWATCH_ALERTS_URL: url });
    const all = await query(
      api,
      "{ alerts { fingerprint rule state severity exchange market summary startsAt endsAt block labels { name value } } }",
    );
    expect(all.errors).toBeUndefined();
    const alerts = all.data!.alerts as Record<string, unknown>[];
    expect(alerts.map((a) => [a.state, a.startsAt, a.endsAt])).toEqual([
      ["FIRING", "2026-12-01T10:02:00.000Z", null],
      ["RESOLVED", "2026-12-01T10:00:00.000Z", "2026-12-01T10:01:00.000Z"],
    ]);
    expect(alerts[1]).toMatchObject({
      rule: "cascade-amplification",
      severity: "critical",
      exchange: "reference-31337",
      market: "ETH",
      summary: "ETH cascade back to 1.0x",
      block: "120",
    });
    expect(alerts[0]!.labels).toContainEqual({ name: "severity", value: "critical" });

    const firing = await query(api, '{ alerts(state: FIRING, market: "ETH") { state } }');
    expect(firing.data!.alerts).toEqual([{ state: "FIRING" }]);
    const window = await query(
      api,
      '{ alerts(from: "2026-12-01T10:01:10Z", to: "2026-12-01T10:01:50Z") { state } }',
    );
    expect(window.data!.alerts).toEqual([]);
    const other = await query(api, '{ alerts(rule: "oracle-jump") { state } }');
    expect(other.data!.alerts).toEqual([]);
  });

  it("lists silences", async () => {
    const api = dbLessApi({ PERPWATCH_ALERTS_URL: url });
    const r = await query(api, "{ silences { matchers state createdBy comment } }");
    expect(r.data!.silences).toEqual([
      {
        matchers: ['alertname="oracle-jump"'],
        state: "ACTIVE",
        createdBy: "ops",
        comment: "drill",
      },
    ]);
  });

  it("refuses bad arguments before asking the worker", async () => {
    const api = dbLessApi({ PERPWATCH_ALERTS_URL: url });
    for (const q of [
      "{ alerts(first: 0) { state } }",
      '{ alerts(exchange: "nope") { state } }',
      '{ alerts(from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z") { state } }',
    ]) {
      const r = await query(api, q);
      expect(r.errors![0]!.extensions.code).toBe("BAD_USER_INPUT");
      expect(r.errors![0]!.message).not.toContain("\n");
    }
  });

  it("says in one line when no worker is configured or it is down", async () => {
    const none = await query(dbLessApi({}), "{ alerts { state } }");
    expect(none.errors![0]!.extensions.code).toBe("ALERTS_UNAVAILABLE");
    expect(none.errors![0]!.message).toMatch(/PERPWATCH_ALERTS_URL/);
    const down = await query(
      dbLessApi({ PERPWATCH_ALERTS_URL: "http://127.0.0.1:1" }),
      "{ silences { id } }",
    );
    expect(down.errors![0]!.extensions.code).toBe("ALERTS_UNAVAILABLE");
    expect(down.errors![0]!.message).toMatch(/127\.0\.0\.1:1.* is down/);
    expect(() => loadApiConfig({ PERPWATCH_ALERTS_URL: "worker:9464" })).toThrow(
      /PERPWATCH_ALERTS_URL: expected the alert worker's http\(s\) URL/,
    );
  });
});
