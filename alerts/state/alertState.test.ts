import { describe, expect, it } from "vitest";
import type { Signal } from "../evaluate/evaluate.js";
import type { BlockRef } from "../observation.js";
import { type AlertRecord, type RuleTiming, retract, step } from "./alertState.js";

const sig = (active: boolean, value = active ? 2 : 0.5): Signal => ({
  rule: "skew",
  fingerprint: "fp1",
  labels: { alertname: "skew", severity: "warning", market: "ETH" },
  annotations: { summary: `value ${value}` },
  value,
  threshold: 1,
  active,
});
const block = (n: number): BlockRef => ({ number: BigInt(n), hash: `0x${n}`, timestamp: n });

/** Runs a sequence of (time s, holds?) through the machine, collecting events. */
function run(timing: RuleTiming, seq: [number, boolean | null][], start?: AlertRecord) {
  let rec = start;
  const events: string[] = [];
  const states: string[] = [];
  for (const [t, holds] of seq) {
    const s = step(rec, holds === null ? null : sig(holds), timing, t * 1000, block(t));
    if (s) {
      rec = s.record;
      if (s.event) events.push(`${s.event.kind}@${t}`);
    }
    states.push(rec?.state ?? "none");
  }
  return { rec, events, states };
}

describe("alert lifecycle", () => {
  it("for 0: fires on the first holding evaluation, stays quiet while firing, resolves once", () => {
    const r = run({ forMs: 0, cooldownMs: 0 }, [
      [1, false],
      [2, true],
      [3, true],
      [4, true],
      [5, false],
      [6, false],
    ]);
    expect(r.events).toEqual(["firing@2", "resolved@5"]);
    expect(r.states).toEqual(["none", "firing", "firing", "firing", "inactive", "inactive"]);
    expect(r.rec).toMatchObject({
      startsAtMs: 2000,
      endsAtMs: 5000,
      raisedBlock: 2n,
      raisedHash: "0x2",
    });
  });

  it("for 30s: pending until the condition has held 30 s; a gap restarts the clock silently", () => {
    const r = run({ forMs: 30_000, cooldownMs: 0 }, [
      [0, true],
      [20, true],
      [25, false],
      [26, true],
      [50, true],
      [56, true],
      [57, true],
    ]);
    expect(r.events).toEqual(["firing@56"]);
    expect(r.states).toEqual([
      "pending",
      "pending",
      "inactive",
      "pending",
      "pending",
      "firing",
      "firing",
    ]);
  });

  it("a vanished instance resolves like a condition that stopped holding", () => {
    const r = run({ forMs: 0, cooldownMs: 0 }, [
      [1, true],
      [2, null],
    ]);
    expect(r.events).toEqual(["firing@1", "resolved@2"]);
  });

  it("cool-down: a condition that holds again soon after a resolve waits, then fires once", () => {
    const r = run({ forMs: 0, cooldownMs: 60_000 }, [
      [0, true],
      [10, false],
      [20, true],
      [40, false],
      [50, true],
      [69, true],
      [70, true],
      [71, true],
    ]);
    expect(r.events).toEqual(["firing@0", "resolved@10", "firing@70"]);
    expect(r.states.slice(2)).toEqual([
      "pending",
      "inactive",
      "pending",
      "pending",
      "firing",
      "firing",
    ]);
  });

  it("firing refreshes value and annotations without an event (de-duplication)", () => {
    const first = step(undefined, sig(true, 2), { forMs: 0, cooldownMs: 0 }, 0, block(1))!;
    const again = step(first.record, sig(true, 3), { forMs: 0, cooldownMs: 0 }, 1000, block(2))!;
    expect(again.event).toBeUndefined();
    expect(again.record).toMatchObject({
      value: 3,
      annotations: { summary: "value 3" },
      startsAtMs: 0,
      raisedBlock: 1n,
    });
  });

  it("a resolve keeps the annotations the alert fired with", () => {
    const first = step(undefined, sig(true, 2), { forMs: 0, cooldownMs: 0 }, 0, block(1))!;
    const res = step(first.record, sig(false, 0.2), { forMs: 0, cooldownMs: 0 }, 5000, block(6))!;
    expect(res.event).toMatchObject({
      kind: "resolved",
      annotations: { summary: "value 2" },
      value: 0.2,
      startsAtMs: 0,
      endsAtMs: 5000,
    });
  });

  it("retraction: a firing alert is retracted with a reason and no cool-down; pending goes quiet", () => {
    const timing = { forMs: 0, cooldownMs: 600_000 };
    const fired = step(undefined, sig(true), timing, 0, block(7))!;
    const r = retract(fired.record, 2000, "block 7 was reorged away")!;
    expect(r.event).toMatchObject({
      kind: "retracted",
      annotations: { retracted: "block 7 was reorged away" },
      block: { number: 7n, hash: "0x7" },
    });
    expect(r.record).toMatchObject({ state: "inactive", cooldownUntilMs: null });
    // The condition on the new chain fires again at once: the retraction set no cool-down.
    expect(step(r.record, sig(true), timing, 3000, block(8))?.event?.kind).toBe("firing");

    const pending = step(undefined, sig(true), { forMs: 10_000, cooldownMs: 0 }, 0, block(7))!;
    const q = retract(pending.record, 1000, "reorg")!;
    expect(q.event).toBeUndefined();
    expect(q.record.state).toBe("inactive");
    expect(retract(q.record, 2000, "reorg")).toBeNull();
  });

  it("keepFiringFor: a firing alert rides out short gaps and resolves after a long one", () => {
    const r = run({ forMs: 0, cooldownMs: 0, keepFiringForMs: 30_000 }, [
      [0, true],
      [10, false],
      [35, true],
      [40, false],
      [60, null],
      [69, false],
      [70, false],
      [71, true],
    ]);
    expect(r.events).toEqual(["firing@0", "resolved@70", "firing@71"]);
    expect(r.states).toEqual([
      "firing",
      "firing",
      "firing",
      "firing",
      "firing",
      "firing",
      "inactive",
      "firing",
    ]);
  });

  it("infinite values are stored as null (JSON has no infinity)", () => {
    const s = step(
      undefined,
      { ...sig(true), value: Number.POSITIVE_INFINITY },
      { forMs: 0, cooldownMs: 0 },
      0,
      block(1),
    )!;
    expect(s.record.value).toBeNull();
  });
});
