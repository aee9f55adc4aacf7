import { describe, expect, it } from "vitest";
import type { AlertRecord } from "../state/alertState.js";
import type { StoredEvent } from "../store/alertStore.js";
import { digestDraft } from "./digest.js";

const ev = (kind: StoredEvent["kind"], rule: string): StoredEvent => ({
  id: 1,
  kind,
  fingerprint: rule,
  rule,
  labels: {},
  annotations: {},
  value: null,
  threshold: null,
  startsAtMs: 0,
  endsAtMs: null,
  block: null,
  createdAtMs: 0,
});

describe("daily digest", () => {
  it("counts what fired, resolved and was retracted, and names what fires now", () => {
    const firing = {
      rule: "skew",
      state: "firing",
      labels: { market: "ETH" },
    } as unknown as AlertRecord;
    const d = digestDraft(
      86_400_000 * 2,
      86_400_000,
      [
        ev("firing", "burst"),
        ev("firing", "burst"),
        ev("firing", "skew"),
        ev("resolved", "burst"),
        ev("retracted", "x"),
      ],
      [firing, { ...firing, state: "inactive" } as AlertRecord],
    );
    expect(d).toMatchObject({
      kind: "digest",
      fingerprint: "digest",
      labels: { alertname: "daily-digest", severity: "info" },
      value: 3,
      startsAtMs: 86_400_000,
      endsAtMs: 86_400_000 * 2,
      annotations: {
        summary: "Perpwatch digest: 3 alerts fired in the last 24 h, 1 firing now",
        fired: "burst ×2, skew ×1",
        firingNow: "skew ETH",
        resolved: "1",
        retracted: "1",
      },
    });
  });
});
