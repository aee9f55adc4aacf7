/**
 * The admission queue, driven by gates the test opens: at most `concurrency` jobs run, at most
 * `maxQueued` wait, one more is refused at once (429, OVERLOADED, Retry-After), a job not
 * started by its deadline is refused (503), identical keys share one run, and a slot freed
 * starts the next job in order.
 */
import { describe, expect, it } from "vitest";
import { AdmissionQueue } from "./admissionQueue.js";

/** A job that finishes when the test opens it, and says when it has started. */
function gate<T>(value: T) {
  let open!: () => void;
  let started!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  const hasStarted = new Promise<void>((r) => {
    started = r;
  });
  let runs = 0;
  return {
    work: async () => {
      runs++;
      started();
      await opened;
      return value;
    },
    open,
    hasStarted,
    get runs() {
      return runs;
    },
  };
}

interface Refusal {
  message: string;
  extensions: {
    code: string;
    retryAfter: number;
    http: { status: number; headers: Record<string, string> };
  };
}

async function refusalOf(p: Promise<unknown>): Promise<Refusal> {
  try {
    await p;
  } catch (err) {
    return err as Refusal;
  }
  throw new Error("not refused");
}

describe("AdmissionQueue", () => {
  it("runs up to `concurrency` jobs, queues up to `maxQueued`, refuses the next with 429", async () => {
    const q = new AdmissionQueue({ concurrency: 1, maxQueued: 1, deadlineMs: 60_000 });
    const a = gate("a");
    const b = gate("b");
    const pa = q.run("a", a.work);
    const pb = q.run("b", b.work);
    await a.hasStarted;
    expect(q.stats).toMatchObject({ running: 1, queued: 1 });
    expect(b.runs).toBe(0);
    const refused = await refusalOf(q.run("c", async () => "c"));
    expect(refused.extensions.code).toBe("OVERLOADED");
    expect(refused.extensions.http.status).toBe(429);
    expect(Number(refused.extensions.http.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(refused.message).toMatch(
      /^analytics queue full \(1 running, 1 waiting\); retry in \d+ s$/,
    );
    a.open();
    await b.hasStarted; // the freed slot starts the queued job
    b.open();
    expect(await Promise.all([pa, pb])).toEqual(["a", "b"]);
    expect(q.stats).toMatchObject({ running: 0, queued: 0, started: 2, shed: 1 });
  });

  it("shares one run between identical keys, queued or running", async () => {
    const q = new AdmissionQueue({ concurrency: 1, maxQueued: 1, deadlineMs: 60_000 });
    const a = gate(1);
    const b = gate(2);
    const runs = [q.run("a", a.work), q.run("a", a.work), q.run("b", b.work), q.run("b", b.work)];
    a.open();
    b.open();
    expect(await Promise.all(runs)).toEqual([1, 1, 2, 2]);
    expect(a.runs + b.runs).toBe(2);
    expect(q.stats.shared).toBe(2);
    // Once settled, a key runs again (the caller keeps finished results).
    expect(await q.run("a", async () => 3)).toBe(3);
  });

  it("refuses a job not started by its deadline with 503, and runs the rest", async () => {
    const q = new AdmissionQueue({ concurrency: 1, maxQueued: 4, deadlineMs: 5 });
    const a = gate("a");
    const pa = q.run("a", a.work);
    const late = q.run("late", async () => "never");
    const refused = await refusalOf(late); // the deadline's timer fires while `a` holds the slot
    expect(refused.extensions.code).toBe("OVERLOADED");
    expect(refused.extensions.http.status).toBe(503);
    expect(refused.message).toMatch(/^analytics did not start within 5 ms/);
    a.open();
    expect(await pa).toBe("a");
    expect(q.stats).toMatchObject({ expired: 1, queued: 0, running: 0 });
  });

  it("a failing job frees its slot and fails only its own callers", async () => {
    const q = new AdmissionQueue({ concurrency: 1, maxQueued: 1, deadlineMs: 60_000 });
    const bad = q.run("bad", async () => {
      throw new Error("boom");
    });
    const next = q.run("next", async () => "ok");
    await expect(bad).rejects.toThrow("boom");
    expect(await next).toBe("ok");
  });
});
