/**
 * Alert history gets every attempt: the dispatcher's `onAttempt`, through the exporter's
 * attempts feed, records a failed first try as attempt 1 (`failed`) and the retry that got
 * through as attempt 2 (`delivered`) — against a real receiver, the
 * outbox on real PGlite — and a delivery a silence held back as attempt 0 (`silenced`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReceiverConfig } from "../../alerts/config/alertsConfig.js";
import { Dispatcher } from "../../alerts/delivery/dispatcher.js";
import { deliveriesFor } from "../../alerts/delivery/render.js";
import type { AlertStore } from "../../alerts/store/alertStore.js";
import { mutedDeliveries } from "../../alerts/store/mutedDeliveries.js";
import { createAlertAttemptsFeed } from "../../dashboards/exporter/alertAttempts.js";
import { type AlertEvent, alertEventSchema } from "../../dashboards/exporter/alertHistory.js";
import { captureLogger } from "./support/logs.js";
import { openTempStore, type TempStore } from "./support/tempStore.js";
import { startTestReceiver, type TestReceiver } from "./support/testReceiver.js";

let temp: TempStore;
let store: AlertStore;
let rx: TestReceiver;
beforeAll(async () => {
  temp = await openTempStore("perpwatch-attempts");
  store = temp.store;
  rx = await startTestReceiver();
});
afterAll(async () => {
  await rx.close();
  await temp.remove();
});

describe("alert history of delivery attempts", () => {
  it("records failed and delivered attempts with their attempt numbers", async () => {
    const recorded: AlertEvent[] = [];
    const feed = createAlertAttemptsFeed((events) => recorded.push(...events));
    const rs: ReceiverConfig[] = [{ name: "ops", type: "webhook", url: `${rx.url}/hook` }];
    const [event] = await store.commit({
      nowMs: Date.now(),
      records: [],
      events: [
        {
          kind: "firing",
          fingerprint: "fp",
          rule: "skew",
          labels: { alertname: "skew", severity: "warning", market: "ETH" },
          annotations: { summary: "ETH skew" },
          value: 1,
          threshold: 0.5,
          startsAtMs: 1000,
          endsAtMs: null,
          block: null,
        },
      ],
      deliveries: (e) => deliveriesFor(e, rs, undefined),
    });
    feed.onAlertEvent(event!);
    rx.setFailure(503);
    const dispatcher = new Dispatcher({
      store,
      receivers: rs,
      delivery: {
        timeout: 2000,
        initialBackoff: 50,
        maxBackoff: 100,
        giveUpAfter: 60_000,
        concurrency: 1,
      },
      logger: captureLogger().logger,
      onAttempt: feed.onAttempt,
    });
    dispatcher.start();
    try {
      await rx.waitFor((r) => r.length >= 1);
      rx.setFailure(null);
      await rx.waitFor((r) => r.some((x) => x.answered === 200));
      await expect.poll(() => recorded.at(-1)?.deliveries?.[0]?.outcome).toBe("delivered");
    } finally {
      await dispatcher.stop();
    }
    const attempts = recorded
      .flatMap((e) => e.deliveries ?? [])
      .map((d) => `${d.attempt} ${d.outcome}`);
    expect(attempts.at(-1)).toBe(`${attempts.length} delivered`);
    expect(attempts.slice(0, -1)).toEqual(attempts.slice(0, -1).map((_, i) => `${i + 1} failed`));
    expect(attempts.length).toBeGreaterThanOrEqual(2);
  });

  it("records deliveries a silence held back as attempt 0, outcome silenced", async () => {
    const recorded: AlertEvent[] = [];
    const feed = createAlertAttemptsFeed((events) => recorded.push(...events));
    const [event] = await store.commit({
      nowMs: Date.now(),
      records: [],
      events: [
        {
          kind: "firing",
          fingerprint: "fp-muted",
          rule: "oracle-jump",
          labels: { alertname: "oracle-jump", severity: "warning", market: "BTC" },
          annotations: { summary: "BTC oracle jumped" },
          value: 0.2,
          threshold: 0.1,
          startsAtMs: 2000,
          endsAtMs: null,
          block: null,
        },
      ],
      deliveries: (e) => [
        { receiver: "ops", idempotencyKey: `m-${e.id}-ops`, body: "{}", muted: "silenced" },
        { receiver: "pager", idempotencyKey: `m-${e.id}-pager`, body: "{}" },
      ],
    });
    feed.onAlertEvent(event!);
    const muted = await mutedDeliveries(store, [event!.id]);
    expect(muted.map((m) => [m.receiver, m.status])).toEqual([["ops", "silenced"]]);
    for (const row of muted) {
      feed.onAttempt({ row, attempt: 0, outcome: row.status, error: null, atMs: 3000 });
    }
    const deliveries = recorded.flatMap((e) => e.deliveries ?? []);
    expect(deliveries.map((d) => `${d.channel} ${d.attempt} ${d.outcome}`)).toEqual([
      "ops 0 silenced",
    ]);
    // The history's writer accepts it.
    expect(() => alertEventSchema.parse(recorded.at(-1))).not.toThrow();
  });
});
