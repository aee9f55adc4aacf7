/**
 * The alert store by hand, on real PGlite: silences added, listed and expired; dead letters
 * listed and replayed (back to pending, attempts reset, same idempotency key); the alerts
 * list shows what fires now and the recent events.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertsAdmin } from "../../alerts/admin/index.js";
import type { AlertStore } from "../../alerts/store/alertStore.js";
import { openAlertStore } from "../../alerts/store/openStore.js";

let dir: string;
let store: AlertStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "perpwatch-admin-"));
  store = await openAlertStore({ kind: "pglite", directory: dir, schema: "perpwatch_alerts" });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("alerts admin", () => {
  it("silences: add with matchers, list, expire; bad input is one line", async () => {
    const now = Date.now();
    const s = await alertsAdmin.silenceAdd(
      store,
      { matchers: ['market="SOL"'], durationMs: 7_200_000, comment: "maintenance", author: "ana" },
      now,
    );
    expect(await alertsAdmin.silenceLines(store, now)).toEqual([
      `${s.id} active market="SOL" until ${new Date(now + 7_200_000).toISOString()} by ana: maintenance`,
    ]);
    await expect(
      alertsAdmin.silenceAdd(
        store,
        { matchers: ["SOL"], durationMs: 1, comment: "x", author: "a" },
        now,
      ),
    ).rejects.toThrow(/--matcher: expected a matcher like/);
    await expect(
      alertsAdmin.silenceAdd(
        store,
        { matchers: ["a=b"], durationMs: 1, comment: "", author: "a" },
        now,
      ),
    ).rejects.toThrow(/--comment: expected why/);
    expect(await alertsAdmin.silenceExpire(store, s.id, now + 1)).toEqual([
      `silence ${s.id} expired`,
    ]);
    expect(await alertsAdmin.silenceLines(store, now + 2)).toEqual(["no silences"]);
    expect((await alertsAdmin.silenceLines(store, now + 2, true))[0]).toMatch(/ expired /);
    await expect(alertsAdmin.silenceExpire(store, s.id, now + 3)).rejects.toThrow(
      /no such silence/,
    );
  });

  it("dead letters: listed with their error, replayed with the same key", async () => {
    await store.commit({
      nowMs: 1000,
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
      deliveries: () => [{ receiver: "ops", idempotencyKey: "key-1", body: "{}" }],
    });
    const [row] = await store.outbox("pending");
    await store.markDead(row!.id, "HTTP 404: no such hook");
    expect(await alertsAdmin.deadLetterLines(store)).toEqual([
      `${row!.id} firing to ops (fp) after 1 attempt(s): HTTP 404: no such hook`,
    ]);
    await expect(alertsAdmin.replayDeadLetters(store, 5000, [999])).rejects.toThrow(
      /999: not dead/,
    );
    expect(await alertsAdmin.replayDeadLetters(store, 5000)).toEqual([
      `1 dead letter(s) back in the outbox: ${row!.id}`,
    ]);
    const [again] = await store.outbox("pending");
    expect(again).toMatchObject({
      id: row!.id,
      attempts: 0,
      nextAttemptMs: 5000,
      idempotencyKey: "key-1",
    });
    const lines = await alertsAdmin.alertLines(store, 0);
    expect(lines).toContain("firing now: 0");
    expect(lines.some((l) => /FIRING warning skew ETH: ETH skew$/.test(l))).toBe(true);
  });
});
