/**
 * Crash safety: the worker process is killed with SIGKILL while its deliveries are in flight
 * (the receiver holds the requests open), then started again on the same PGlite store.
 * Nothing is lost — every event is delivered — and no alert is re-fired as new: the store
 * has one firing per alert, the receiver accepts one firing per alert, and the deliveries
 * that were in flight come again with the same idempotency key (dropped as repeats).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryRig } from "./support/deliveryRig.js";
import { BlockClock } from "./support/scenario.js";

describe("worker killed with SIGKILL mid-delivery", () => {
  let rig: DeliveryRig;

  beforeAll(async () => {
    rig = await DeliveryRig.start("perpwatch-alerts-sigkill-", 2000);
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it("loses nothing and re-fires nothing after a restart", async () => {
    const { api, rx } = rig;
    const first = rig.startWorker();
    await first.waitForLog(/block feed: subscribed/);
    const clock = new BlockClock(api, 2000);
    clock.start(250);
    try {
      rx.setDelay(5000);
      clock.skews = { ETH: 0.8, BTC: 0.7, SOL: -0.9 };
      await expect.poll(() => rx.arrivals, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      await first.kill();
      expect(await first.exited).toBe("SIGKILL");
      rx.setDelay(0);
      // Blocks keep coming while the worker is dead; the condition still holds.
      const deadAt = clock.block;
      await expect.poll(() => clock.block, { timeout: 10_000 }).toBeGreaterThanOrEqual(deadAt + 8);

      const second = rig.startWorker();
      await second.waitForLog(/3 firing restored/);
      await rx.waitFor(
        (r) => new Set(r.filter((x) => x.answered === 200).map((x) => x.key)).size >= 3,
        30_000,
      );
      clock.skews = {};
      await rx.waitFor(
        (r) => new Set(r.filter((x) => x.answered === 200).map((x) => x.key)).size >= 6,
        30_000,
      );
      await second.stop();
    } finally {
      clock.stop();
    }

    const { events, outbox } = await rig.readStore();
    expect(events.map((e) => e.kind).sort()).toEqual([
      "firing",
      "firing",
      "firing",
      "resolved",
      "resolved",
      "resolved",
    ]);
    expect(new Set(events.filter((e) => e.kind === "firing").map((e) => e.fingerprint)).size).toBe(
      3,
    );
    expect(outbox.map((o) => o.status)).toEqual(Array(6).fill("delivered"));
    const accepted = rx.accepted();
    expect(accepted.map((r) => r.key).sort()).toEqual(outbox.map((o) => o.idempotencyKey).sort());
    const firingAccepted = accepted.filter(
      (r) => (r.body as { status: string }).status === "firing",
    );
    expect(firingAccepted).toHaveLength(3);
    // Repeats are only deliveries re-sent after the crash, each with a key already accepted.
    // The receiver records a cut-off first attempt only when its 5 s delay ends, which may
    // come after the re-send: wait for it before counting (either order makes one a repeat).
    await rx.waitFor((r) => r.some((x) => x.duplicate), 15_000);
    const repeats = rx.received.filter((r) => r.duplicate);
    expect(
      repeats.every((r) =>
        accepted.some((a) => a.key === r.key && a.receivedAtMs <= r.receivedAtMs),
      ),
    ).toBe(true);
    // Per alert, firing before resolved.
    for (const fp of new Set(events.map((e) => e.fingerprint))) {
      const seq = accepted
        .filter((r) => (r.body as { fingerprint: string }).fingerprint === fp)
        .map((r) => (r.body as { status: string }).status);
      expect(seq).toEqual(["firing", "resolved"]);
    }
  }, 120_000);
});
