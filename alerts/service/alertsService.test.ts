/**
 * The alerts service in-process, against a real GraphQL server speaking the repository's
 * schema (recorded observations), a real webhook receiver, and its state on real PGlite:
 * the lifecycle as receivers see it, restarts, reorg retraction, cron paths and the digest.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "../../test/alerts/support/fakeApi.js";
import { captureLogger } from "../../test/alerts/support/logs.js";
import { observation, withMarket } from "../../test/alerts/support/observations.js";
import { PG_SKIP_REASON, PG_URL, uniqueSchema } from "../../test/alerts/support/postgres.js";
import { startTestReceiver, type TestReceiver } from "../../test/alerts/support/testReceiver.js";
import { loadAlertsConfig } from "../config/alertsConfig.js";
import { describeDelivery } from "../receiver/webhookReceiver.js";
import type { StoredEvent } from "../store/alertStore.js";
import { type AlertsService, createAlertsService } from "./alertsService.js";

let api: FakeApi;
let rx: TestReceiver;
const dirs: string[] = [];
const services: AlertsService[] = [];

beforeAll(async () => {
  api = await startFakeApi(observation(100));
  rx = await startTestReceiver({ secret: "s" });
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
  rx.received.length = 0;
});
afterAll(async () => {
  await api?.close();
  await rx?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `dir` is a PGlite directory, or `postgres:<schema>` for the PostgreSQL store. */
function config(dir: string, extra: Record<string, unknown> = {}) {
  const store = dir.startsWith("postgres:")
    ? { kind: "postgres", url: PG_URL, schema: dir.slice("postgres:".length) }
    : { kind: "pglite", directory: dir };
  return loadAlertsConfig({
    overrides: {
      api: { url: api.graphqlUrl, pollInterval: "50ms" },
      chain: { rpcUrl: api.rpcUrl },
      store,
      receivers: { ops: { type: "webhook", url: `${rx.url}/hook`, secret: "s" } },
      delivery: { initialBackoff: "100ms", maxBackoff: "500ms" },
      schedules: { fast: "* * * * * *" },
      digest: { enabled: false },
      rules: [
        { name: "skew", kind: "skew_extreme", severity: "warning", threshold: 0.5, cooldown: "0s" },
        {
          name: "coverage",
          kind: "insurance_coverage",
          severity: "critical",
          schedule: "fast",
          shocks: [-0.2],
          threshold: 1,
        },
      ],
      ...extra,
    },
  });
}

async function start(dir: string, extra: Record<string, unknown> = {}, events: StoredEvent[] = []) {
  const { logger, lines } = captureLogger();
  /** Blocks whose per-block evaluation has completed, in order. */
  const evaluated: bigint[] = [];
  const service = createAlertsService(config(dir, extra), {
    logger,
    onAlertEvent: (e) => events.push(e),
    onEvaluated: (path, r) => {
      if (path === "block") evaluated.push(r.block);
    },
  });
  services.push(service);
  await service.start();
  await expect.poll(() => service.blockFeedVia).toBe("sse");
  return { service, lines, evaluated };
}

const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "perpwatch-alerts-svc-"));
  dirs.push(d);
  return d;
};

const seen = () => rx.accepted().map((r) => describeDelivery(r.body).replace(/: .*/, ""));

describe("alerts service", () => {
  it("fires once, stays quiet while firing, resolves; the hook sees each event", async () => {
    const events: StoredEvent[] = [];
    api.publish(observation(100));
    await start(tmp(), {}, events);
    api.publish(withMarket(observation(101), "ETH", { skewRatio: 0.7 }));
    await rx.waitFor(() => seen().length === 1);
    api.publish(withMarket(observation(102), "ETH", { skewRatio: 0.8 }));
    api.publish(withMarket(observation(103), "ETH", { skewRatio: 0.9 }));
    api.publish(withMarket(observation(104), "ETH", { skewRatio: 0.1 }));
    await rx.waitFor(() => seen().length === 2);
    expect(seen()).toEqual(["FIRING warning skew market=ETH", "RESOLVED warning skew market=ETH"]);
    const [firing] = rx.accepted();
    expect(
      (firing!.body as { perpwatch: { block: { number: string } } }).perpwatch.block.number,
    ).toBe("101");
    expect(firing!.signature).toBe("ok");
    expect(events.map((e) => e.kind)).toEqual(["firing", "resolved"]);
  });

  it("a restart neither re-fires a firing alert nor forgets it", () => restartCase(tmp()));

  it.skipIf(PG_URL === undefined)(`the same on PostgreSQL${PG_SKIP_REASON}`, () =>
    restartCase(`postgres:${uniqueSchema("pw_alerts_svc")}`),
  );

  async function restartCase(dir: string) {
    api.publish(withMarket(observation(200), "SOL", { skewRatio: -0.9 }));
    const first = await start(dir);
    await rx.waitFor(() => seen().length === 1);
    await first.service.stop();
    // Down while the condition still holds, then up again: nothing new.
    api.publish(withMarket(observation(201), "SOL", { skewRatio: -0.95 }));
    const secondEvents: StoredEvent[] = [];
    const second = await start(dir, {}, secondEvents);
    expect(second.lines.some((l) => /1 firing restored/.test(l.msg))).toBe(true);
    api.publish(withMarket(observation(202), "SOL", { skewRatio: -0.99 }));
    // Once block 202 has been evaluated (block 201 was, in start), any re-fire would have
    // been an event by now, and only events are delivered.
    await expect.poll(() => second.evaluated, { timeout: 5000 }).toContain(202n);
    expect(secondEvents).toEqual([]);
    expect(seen()).toEqual(["FIRING warning skew market=SOL"]);
    // The condition ends while it is down: the next evaluation resolves it.
    await second.service.stop();
    api.publish(observation(203));
    await start(dir);
    await rx.waitFor(() => seen().length === 2);
    expect(seen()).toEqual(["FIRING warning skew market=SOL", "RESOLVED warning skew market=SOL"]);
  }

  it("an alert raised on a block a reorg replaced is retracted, then re-raised on the new chain", async () => {
    api.publish(observation(300));
    const { lines } = await start(tmp());
    api.publish(withMarket(observation(301), "BTC", { skewRatio: 0.6 }));
    await rx.waitFor(() => seen().length === 1);
    // Block 301 is replaced; on the new chain BTC's skew is extreme too, one block later.
    api.setHash(301n, "0xnew301");
    api.publish(withMarket(observation(302), "BTC", { skewRatio: 0.6 }));
    await rx.waitFor(() => seen().length === 3);
    expect(seen()).toEqual([
      "FIRING warning skew market=BTC",
      "RETRACTED warning skew market=BTC",
      "FIRING warning skew market=BTC",
    ]);
    const retracted = rx.accepted()[1]!.body as {
      status: string;
      annotations: { retracted: string };
    };
    expect(retracted.status).toBe("resolved");
    expect(retracted.annotations.retracted).toBe(
      `raised on block 301 (${observation(301).block.hash}), which a reorg replaced with 0xnew301`,
    );
    expect(
      lines.some((l) => /reorg: retracting 1 alert\(s\) raised from block 301 on/.test(l.msg)),
    ).toBe(true);
  });

  it("heavy rules run on their cron schedule, not per block", async () => {
    const stressed = observation(400, {
      stress: {
        withImpact: true,
        points: [
          {
            shock: -0.2,
            liquidatedNotional: 1e6,
            badDebt: 2e5,
            uncoveredBadDebt: 1.5e5,
            amplification: 1.2,
          },
        ],
      },
    });
    api.publish(stressed);
    const before = api.calls.get("stress") ?? 0;
    await start(tmp());
    await rx.waitFor(() => seen().includes("FIRING critical coverage"), 5000);
    // The alert needed one stress query at least; per-block runs would have made more.
    expect((api.calls.get("stress") ?? 0) - before).toBeLessThanOrEqual(3);
  });

  it("the digest goes to non-paging receivers on its schedule", async () => {
    api.publish(observation(500));
    const { service } = await start(tmp(), {
      digest: { enabled: true, schedule: "fast" },
      receivers: {
        ops: { type: "webhook", url: `${rx.url}/hook`, secret: "s" },
        pager: { type: "pagerduty", url: `${rx.url}/pd`, routingKey: "k", secret: "s" },
      },
    });
    const isDigest = (x: { body: unknown }) =>
      (x.body as { perpwatch?: { event?: string } }).perpwatch?.event === "digest";
    await rx.waitFor((r) => r.some(isDigest), 5000);
    const digest = rx.received.find(isDigest)!;
    expect(digest.path).toBe("/hook");
    // An Alertmanager status (not "digest"), an informational alert.
    expect(digest.body).toMatchObject({ status: "firing", labels: { alertname: "daily-digest" } });
    expect((digest.body as { annotations: { summary: string } }).annotations.summary).toMatch(
      /^Perpwatch digest: \d+ alerts fired in the last 24 h, \d+ firing now$/,
    );
    // Deliveries are written with their event, so the outbox says who will ever get a digest.
    const digests = (await service.store!.outbox()).filter((o) => o.eventKind === "digest");
    expect(new Set(digests.map((o) => o.receiver))).toEqual(new Set(["ops"]));
  });

  it("two exchanges: a block of one evaluates that one; the same alert on both arrives twice, named", async () => {
    const two = await startFakeApi(observation(10), { exchanges: ["ref", "tw"] });
    try {
      const evaluated: string[] = [];
      const { logger } = captureLogger();
      const service = createAlertsService(
        config(tmp(), {
          api: { url: two.graphqlUrl, pollInterval: "50ms" },
          chain: { rpcUrl: two.rpcUrl },
        }),
        {
          logger,
          onEvaluated: (path, r) => {
            if (path === "block") evaluated.push(`${r.exchange}@${r.block}`);
          },
        },
      );
      services.push(service);
      await service.start();
      // Start-up evaluates every exchange, then each follows its own stream.
      expect(evaluated.sort()).toEqual(["ref@10", "tw@10"]);
      await expect.poll(() => service.blockFeedVia).toBe("sse");
      two.publish({ ...withMarket(observation(60), "ETH", { skewRatio: 0.7 }), exchangeId: "tw" });
      await rx.waitFor(() => seen().length === 1);
      await expect.poll(() => evaluated).toContain("tw@60");
      expect(evaluated.some((e) => e.startsWith("ref@6"))).toBe(false);
      two.publish({ ...withMarket(observation(11), "ETH", { skewRatio: 0.9 }), exchangeId: "ref" });
      await rx.waitFor(() => seen().length === 2);
      const bodies = rx.accepted().map(
        (r) =>
          r.body as {
            fingerprint: string;
            labels: Record<string, string>;
            annotations: { summary: string };
            perpwatch: { block: { number: string } };
          },
      );
      expect(bodies.map((b) => [b.labels.exchange, b.perpwatch.block.number])).toEqual([
        ["tw", "60"],
        ["ref", "11"],
      ]);
      expect(bodies[0]!.annotations.summary).toBe(
        "[tw] ETH: skew is 70.0% of the skew scale (|·| ≥ 50.0%)",
      );
      expect(bodies[0]!.fingerprint).not.toBe(bodies[1]!.fingerprint);
      // One calms down: its alert resolves, the other's stays firing.
      two.publish({ ...observation(61), exchangeId: "tw" });
      await rx.waitFor(() => seen().length === 3);
      expect(seen()).toEqual([
        "FIRING warning skew market=ETH",
        "FIRING warning skew market=ETH",
        "RESOLVED warning skew market=ETH",
      ]);
      const last = rx.accepted()[2]!.body as { labels: Record<string, string> };
      expect(last.labels.exchange).toBe("tw");
      const firing = [...((await service.store?.loadAlerts()) ?? [])].filter(
        (a) => a.state === "firing",
      );
      expect(firing.map((a) => a.labels.exchange)).toEqual(["ref"]);
    } finally {
      for (const s of services.splice(0)) await s.stop();
      await two.close();
    }
  });

  it("the local receiver prints what arrives", async () => {
    const printed: string[] = [];
    const { logger } = captureLogger();
    api.publish(observation(600));
    const service = createAlertsService(
      config(tmp(), { receivers: {}, localReceiver: { enabled: true } }),
      { logger, print: (l) => printed.push(l) },
    );
    services.push(service);
    await service.start();
    await expect.poll(() => service.blockFeedVia).toBe("sse");
    api.publish(withMarket(observation(601), "DOGE", { skewRatio: 0.75 }));
    await expect.poll(() => printed.length, { timeout: 5000 }).toBe(1);
    expect(printed[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} webhook FIRING warning skew market=DOGE: DOGE: skew is 75\.0% of the skew scale \(\|·\| ≥ 50\.0%\)$/,
    );
  });
});
