/**
 * Receiver outage: the worker process keeps evaluating while its webhook receiver is down
 * (connections refused) — through six alert transitions and until its retries have backed
 * off to the longest delay. When the receiver comes back every alert event arrives, each
 * idempotency key is accepted exactly once, and each alert's events arrive in the order
 * they happened — except an alert that fired and resolved while the receiver was down
 * (SOL): its fire and resolve collapse into nothing, stale news is not paged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDelivery } from "../../alerts/receiver/webhookReceiver.js";
import { DeliveryRig } from "./support/deliveryRig.js";
import { BlockClock, type SkewScript } from "./support/scenario.js";

/** The worker's line for a failed attempt, with the number of the retry it schedules. */
const REFUSED = /^delivery \w+ to .* failed: connection refused.*; retry (\d+) in /;
/** deliveryRig's config backs off 200 ms, doubling, up to 2 s: from the 5th failure on. */
const CAPPED_RETRY = 6;

describe("receiver outage", () => {
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
    const msgs = (from = 0) => worker.logs.slice(from).map((l) => String(l.msg ?? l.raw ?? ""));
    const clock = new BlockClock(api, 1000);
    clock.start(250);
    try {
      clock.skews = { ETH: 0.8, BTC: 0.7 };
      await rx.waitFor((r) => r.length >= 2);

      await rx.down();
      // Each change of the script waits until the worker has evaluated it into its event.
      const steps: [SkewScript, string][] = [
        [{ BTC: 0.7 }, "RESOLVED skew ETH"],
        [{ BTC: 0.7, SOL: -0.9 }, "FIRING skew SOL"],
        [{ SOL: -0.9 }, "RESOLVED skew BTC"],
        [{ SOL: -0.9, ETH: 0.6 }, "FIRING skew ETH"],
        [{ SOL: -0.9, ETH: 0.6, DOGE: 0.9 }, "FIRING skew DOGE"],
        [{ ETH: 0.6, DOGE: 0.9 }, "RESOLVED skew SOL"],
      ];
      let from = worker.logs.length;
      for (const [skews, event] of steps) {
        from = worker.logs.length;
        clock.skews = skews;
        await expect
          .poll(() => msgs(from).some((m) => m.startsWith(`alert ${event}:`)), {
            timeout: 30_000,
            message: `the worker logs "alert ${event}"`,
          })
          .toBe(true);
      }
      // Down until, with every event queued, the retries have backed off to the longest delay.
      await expect
        .poll(() => msgs(from).some((m) => Number(REFUSED.exec(m)?.[1]) >= CAPPED_RETRY), {
          timeout: 30_000,
          message: `a delivery fails again with retry ${CAPPED_RETRY} or later`,
        })
        .toBe(true);
      await rx.up();
      await rx.waitFor((r) => r.filter((x) => x.answered === 200).length >= 6, 30_000);
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
    // SOL fired and resolved while the receiver was down: both collapsed, never sent.
    const sol = new Set(events.filter((e) => e.labels.market === "SOL").map((e) => e.fingerprint));
    expect(outbox.filter((o) => sol.has(o.fingerprint)).map((o) => o.status)).toEqual([
      "collapsed",
      "collapsed",
    ]);
    const sent = outbox.filter((o) => !sol.has(o.fingerprint));
    expect(sent.every((o) => o.status === "delivered")).toBe(true);
    // Each idempotency key accepted exactly once, and no key the worker did not create.
    const accepted = rx.received.filter((r) => r.answered === 200);
    expect(accepted.every((r) => r.signature === "ok")).toBe(true);
    expect(accepted.map((r) => r.key).sort()).toEqual(sent.map((o) => o.idempotencyKey).sort());
    expect(rx.received.filter((r) => r.duplicate)).toEqual([]);
    // Per fingerprint, the receiver saw the events in the order they happened.
    for (const fp of new Set(events.map((e) => e.fingerprint).filter((f) => !sol.has(f)))) {
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
