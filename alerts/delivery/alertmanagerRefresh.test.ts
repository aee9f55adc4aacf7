/**
 * Alertmanager refresh against a local HTTP stand-in, the store on real PGlite: an alert
 * still firing whose firing the receiver took is POSTed again every resendInterval; one a
 * silence kept from it, and one that resolved, are not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogger } from "../../test/alerts/support/logs.js";
import { openTempStore, type TempStore } from "../../test/alerts/support/tempStore.js";
import { startTestReceiver, type TestReceiver } from "../../test/alerts/support/testReceiver.js";
import { type ReceiverConfig, receiverSchema } from "../config/receiverSchema.js";
import type { AlertEventDraft, AlertRecord } from "../state/alertState.js";
import type { AlertStore } from "../store/alertStore.js";
import { firingSentTo } from "./alertmanagerRefresh.js";
import { Dispatcher } from "./dispatcher.js";

let temp: TempStore;
let store: AlertStore;
let am: TestReceiver;
beforeAll(async () => {
  temp = await openTempStore("perpwatch-am-refresh");
  store = temp.store;
  am = await startTestReceiver();
});
afterAll(async () => {
  await am.close();
  await temp.remove();
});

const labels = (fp: string) => ({ alertname: `rule-${fp}`, severity: "critical", market: "ETH" });

const record = (fp: string, state: AlertRecord["state"]): AlertRecord => ({
  fingerprint: fp,
  rule: `rule-${fp}`,
  labels: labels(fp),
  annotations: { summary: `${fp} summary` },
  state,
  value: 1,
  threshold: 0.5,
  activeSinceMs: 1000,
  inactiveSinceMs: null,
  startsAtMs: 1000,
  endsAtMs: state === "firing" ? null : 2000,
  cooldownUntilMs: null,
  raisedBlock: 5n,
  raisedHash: "0x5",
  updatedAtMs: 2000,
});

const firing = (fp: string): AlertEventDraft => ({
  kind: "firing",
  fingerprint: fp,
  rule: `rule-${fp}`,
  labels: labels(fp),
  annotations: { summary: `${fp} summary` },
  value: 1,
  threshold: 0.5,
  startsAtMs: 1000,
  endsAtMs: null,
  block: { number: 5n, hash: "0x5", timestamp: 0 },
});

describe("Alertmanager refresh", () => {
  it("re-sends every resendInterval what is firing and was sent, nothing else", async () => {
    // "live": firing, delivered; "muted": firing, silenced; "over": delivered, then resolved.
    for (const [fp, muted] of [
      ["live", undefined],
      ["muted", "silenced"],
      ["over", undefined],
    ] as const) {
      await store.commit({
        nowMs: 1000,
        records: [record(fp, fp === "over" ? "inactive" : "firing")],
        events: [firing(fp)],
        deliveries: (e) => [{ receiver: "am", idempotencyKey: `k-${e.id}`, body: "[]", muted }],
      });
    }
    for (const row of await store.outbox("pending")) await store.markDelivered(row.id, 1500);
    expect((await firingSentTo(store, "am")).map((e) => e.fingerprint)).toEqual(["live"]);

    const r = {
      ...receiverSchema.parse({ type: "alertmanager", url: am.url, resendInterval: "1s" }),
      name: "am",
    } as ReceiverConfig;
    const { logger } = captureLogger();
    const dispatcher = new Dispatcher({
      store,
      receivers: [r],
      delivery: {
        timeout: 2000,
        initialBackoff: 50,
        maxBackoff: 100,
        giveUpAfter: 60_000,
        concurrency: 1,
      },
      logger,
    });
    dispatcher.start();
    try {
      await am.waitFor((got) => got.length >= 2, 10_000);
    } finally {
      await dispatcher.stop();
    }
    for (const push of am.accepted()) {
      expect(push.path).toBe("/api/v2/alerts");
      const alerts = push.body as { labels: Record<string, string>; endsAt?: string }[];
      expect(alerts.map((a) => a.labels.alertname)).toEqual(["rule-live"]);
      expect(alerts[0]!.endsAt).toBeUndefined();
    }
  });
});
