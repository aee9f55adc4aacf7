/**
 * Receiver outage: the worker process keeps evaluating while its webhook receiver is down
 * for 30 seconds (connections refused). When the receiver comes back every alert event
 * arrives, each idempotency key is accepted exactly once, and each alert's events arrive in
 * the order they happened.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDelivery } from "../../alerts/receiver/webhookReceiver.js";
import { DeliveryRig } from "./support/deliveryRig.js";
import { BlockClock } from "./support/scenario.js";

const OUTAGE_MS = 30_000;

describe("receiver down for 30 seconds", () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await DeliveryRig.start("perpwatch-alerts-outage-", 1000);
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it("every alert arrives after it comes back, each key once, in order per fingerprint", async () => {
    const { api, rx } = rig;
    const worker = rig.startWorker();
    await worker.waitForLog(/^alerts: started$/);
    await worker.waitForLog(/block feed: subscribed/);
    const clock = new BlockClock(api, 1000);
    clock.start(250);
    try {
      clock.skews = { ETH: 0.8, BTC: 0.7 };
      await rx.waitFor((r) => r.length >= 2);

      await rx.down();
      const downAt = Date.now();
      const steps: [number, typeof clock.skews][] = [
        [1500, { BTC: 0.7 }], // ETH resolves
        [3000, { BTC: 0.7, SOL: -0.9 }], // SOL fires
        [4500, { SOL: -0.9 }], // BTC resolves
        [6000, { SOL: -0.9, ETH: 0.6 }], // ETH fires again
        [7500, { SOL: -0.9, ETH: 0.6, DOGE: 0.9 }], // DOGE fires
        [9000, { ETH: 0.6, DOGE: 0.9 }], // SOL resolves
      ];
      for (const [at, skews] of steps) {
        await new Promise((r) => setTimeout(r, Math.max(0, downAt + at - Date.now())));
        clock.skews = skews;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, downAt + OUTAGE_MS - Date.now())));
      const failures = worker.logs.filter((l) =>
        /^delivery .* failed: connection refused/.test(String(l.msg)),
      );
      expect(failures.length).toBeGreaterThan(3);
      await rx.up();
      await rx.waitFor((r) => r.filter((x) => x.answered === 200).length >= 8, 30_000);
    } finally {
      clock.stop();
    }
    await worker.stop();

    const { events, outbox } = await rig.readStore();
    expect(events.map((e) => `${e.kind} ${e.labels.market}`)).toEqual([
      expect.stringMatching(/^firing (ETH|BTC)$/),
      expect.stringMatching(/^firing (ETH|BTC)$/),
      "resolved ETH",
      "firing SOL",
      "resolved BTC",
      "firing ETH",
      "firing DOGE",
      "resolved SOL",
    ]);
    expect(outbox.every((o) => o.status === "delivered")).toBe(true);
    // Each idempotency key accepted exactly once, and no key the worker did not create.
    const accepted = rx.received.filter((r) => r.answered === 200);
    expect(accepted.every((r) => r.signature === "ok")).toBe(true);
    expect(accepted.map((r) => r.key).sort()).toEqual(outbox.map((o) => o.idempotencyKey).sort());
    expect(rx.received.filter((r) => r.duplicate)).toEqual([]);
    // Per fingerprint, the receiver saw the events in the order they happened.
    for (const fp of new Set(events.map((e) => e.fingerprint))) {
      const expected = events.filter((e) => e.fingerprint === fp).map((e) => e.kind);
      const got = accepted
        .filter((r) => (r.body as { fingerprint: string }).fingerprint === fp)
        .map((r) => (r.body as { perpwatch: { event: string } }).perpwatch.event);
      expect(
        got,
        `order for ${describeDelivery(accepted.find((r) => (r.body as { fingerprint: string }).fingerprint === fp)?.body)}`,
      ).toEqual(expected);
    }
  }, 120_000);
});
