import { describe, expect, it } from "vitest";
import type { AlertRecord } from "../state/alertState.js";
import type { AlertStore, OutboxRow, OutboxStatus } from "../store/alertStore.js";
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

function fakeStore(records: AlertRecord[], outbox: Record<OutboxStatus, number>): AlertStore {
  return {
    loadAlerts: async () => records,
    outbox: async (status: OutboxStatus) =>
      Array.from({ length: outbox[status] }, () => ({}) as OutboxRow),
  } as unknown as AlertStore;
}

describe("alertsStatus", () => {
  it("lists the firing alerts with severity and scope, and counts the outbox", async () => {
    const store = fakeStore(
      [
        record({
          rule: "insurance-coverage-low",
          state: "firing",
          labels: { severity: "critical" },
          startsAtMs: Date.UTC(2025, 0, 2, 3, 4, 5),
        }),
        record({ rule: "margin-ratio-high", state: "firing", labels: { market: "ETH" } }),
        record({ rule: "funding-extreme", state: "pending", labels: { market: "SOL" } }),
        record({ rule: "oracle-stale", state: "inactive", endsAtMs: 1 }),
      ],
      { delivered: 5, pending: 2, dead: 1 },
    );
    const status = await alertsStatus({
      store,
      localReceiver: { url: "http://127.0.0.1:38051" } as never,
    });
    expect(status).toEqual({
      firing: [
        {
          rule: "insurance-coverage-low",
          severity: "critical",
          scope: "global",
          since: "2025-01-02T03:04:05.000Z",
        },
        { rule: "margin-ratio-high", severity: "warning", scope: "ETH", since: null },
      ],
      delivered: 5,
      pending: 2,
      dead: 1,
      localReceiver: "http://127.0.0.1:38051",
    });
  });

  it("is null before the service has a store, and names no receiver when none runs", async () => {
    expect(await alertsStatus({ store: null, localReceiver: null })).toBeNull();
    const status = await alertsStatus({
      store: fakeStore([], { delivered: 0, pending: 0, dead: 0 }),
      localReceiver: null,
    });
    expect(status).toEqual({ firing: [], delivered: 0, pending: 0, dead: 0, localReceiver: null });
  });
});
