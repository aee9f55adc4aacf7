/**
 * The status block against a real PGlite store: firing alerts with severity and scope, the
 * outbox counted by status (muted rows included), the silences in force.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertRecord } from "../state/alertState.js";
import type { AlertStore, OutboxDraft } from "../store/alertStore.js";
import { openAlertStore } from "../store/openStore.js";
import { addSilence } from "../store/silenceStore.js";
import { alertsStatus } from "./alertsStatus.js";

function record(over: Partial<AlertRecord>): AlertRecord {
  return {
    fingerprint: "fp",
    rule: "rule",
    labels: {},
    annotations: {},
    state: "inactive",
    value: null,
    threshold: null,
    activeSinceMs: null,
    inactiveSinceMs: null,
    startsAtMs: null,
    endsAtMs: null,
    cooldownUntilMs: null,
    raisedBlock: null,
    raisedHash: null,
    updatedAtMs: 0,
    ...over,
  };
}

let dir: string;
let store: AlertStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "perpwatch-status-"));
  store = await openAlertStore({ kind: "pglite", directory: dir, schema: "perpwatch_alerts" });
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("alertsStatus", () => {
  it("is null before the service has a store", async () => {
    expect(await alertsStatus({ store: null, localReceiver: null })).toBeNull();
  });

  it("lists firing alerts, counts the outbox by status and shows the silences", async () => {
    const empty = await alertsStatus({ store, localReceiver: null });
    expect(empty).toMatchObject({ firing: [], delivered: 0, pending: 0, dead: 0, silences: [] });
    const records = [
      record({
        fingerprint: "a",
        rule: "insurance-coverage-low",
        state: "firing",
        labels: { severity: "critical" },
        startsAtMs: Date.UTC(2025, 0, 2, 3, 4, 5),
      }),
      record({ fingerprint: "b", rule: "skew", state: "firing", labels: { market: "ETH" } }),
      record({ fingerprint: "c", rule: "funding", state: "pending", labels: { market: "SOL" } }),
    ];
    const drafts: OutboxDraft[] = [
      { receiver: "ops", idempotencyKey: "k1", body: "{}" },
      { receiver: "chat", idempotencyKey: "k2", body: "{}", muted: "silenced" },
      { receiver: "pager", idempotencyKey: "k3", body: "{}", muted: "inhibited" },
    ];
    await store.commit({
      nowMs: 1,
      records,
      events: [
        {
          kind: "firing",
          fingerprint: "a",
          rule: "insurance-coverage-low",
          labels: { severity: "critical" },
          annotations: {},
          value: 1,
          threshold: 1,
          startsAtMs: 1,
          endsAtMs: null,
          block: null,
        },
      ],
      deliveries: () => drafts,
    });
    const now = Date.now();
    await addSilence(
      store,
      {
        matchers: [{ name: "market", op: "=", value: "ETH" }],
        startsAtMs: now - 1000,
        endsAtMs: now + 3_600_000,
        createdBy: "ana",
        comment: "maintenance",
      },
      now,
    );
    const status = await alertsStatus({
      store,
      localReceiver: { url: "http://127.0.0.1:38051" } as never,
    });
    expect(status).toMatchObject({
      firing: [
        {
          rule: "insurance-coverage-low",
          severity: "critical",
          scope: "global",
          since: "2025-01-02T03:04:05.000Z",
        },
        { rule: "skew", severity: "warning", scope: "ETH", since: null },
      ],
      pending: 1,
      silenced: 1,
      inhibited: 1,
      delivered: 0,
      localReceiver: "http://127.0.0.1:38051",
      silences: [
        { matchers: ['market="ETH"'], state: "active", createdBy: "ana", comment: "maintenance" },
      ],
    });
  });
});
