/**
 * The analytics intake: callers pass one per turn of the event loop in arrival order (so other
 * requests are read between two of them), a few per turn while the queue is full, and a caller
 * that asks for analytics at a full queue gets the queue's 429 as an HTTP answer, counted as shed.
 */
import { describe, expect, it } from "vitest";
import { AdmissionQueue } from "./admissionQueue.js";
import { AnalyticsIntake } from "./analyticsIntake.js";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A job that never finishes until `finish` is called. */
function blocker() {
  let finish!: () => void;
  const done = new Promise<void>((r) => {
    finish = r;
  });
  return { work: () => done, finish };
}

describe("AnalyticsIntake", () => {
  it("lets one caller through per turn, in order", async () => {
    const intake = new AnalyticsIntake(
      new AdmissionQueue({ concurrency: 1, maxQueued: 4, deadlineMs: 60_000 }),
    );
    const passed: number[] = [];
    const all = [0, 1, 2].map((i) => intake.turn().then(() => void passed.push(i)));
    expect(passed).toEqual([]);
    await nextTurn();
    expect(passed).toEqual([0]);
    await nextTurn();
    expect(passed).toEqual([0, 1]);
    await Promise.all(all);
    expect(passed).toEqual([0, 1, 2]);
  });

  it("refuses with the queue's 429 while it is full, and several per turn", async () => {
    const queue = new AdmissionQueue({ concurrency: 1, maxQueued: 0, deadlineMs: 60_000 });
    const intake = new AnalyticsIntake(queue);
    expect(intake.refusal(() => true)).toBeNull();
    const job = blocker();
    const running = queue.run("a", job.work);
    expect(intake.refusal(() => false)).toBeNull(); // not asking for analytics after all
    const refused = intake.refusal(() => true);
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    const error = JSON.parse(refused!.body).errors[0];
    expect(error.extensions.code).toBe("OVERLOADED");
    expect(error.message).toMatch(/analytics queue full/);
    expect(queue.stats.shed).toBe(1);

    let passed = 0;
    const all = Array.from({ length: 20 }, () => intake.turn().then(() => void passed++));
    await nextTurn();
    expect(passed).toBeGreaterThan(1);
    expect(passed).toBeLessThan(20);
    await Promise.all(all);
    job.finish();
    await running;
    expect(intake.refusal(() => true)).toBeNull();
  });
});
