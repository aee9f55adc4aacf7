/**
 * Analytics through admission control give the figures computed directly on the snapshot —
 * on a worker thread (the store copied across) and on the API's thread alike — and a figure
 * already computed for the block is answered without queueing.
 */
import { afterAll, describe, expect, it } from "vitest";
import { syntheticBook } from "../../engine/analytics/index.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { analyticsOf, DEFAULT_IMPACT } from "../analytics/bookAnalytics.js";
import { Snapshot } from "../data/snapshot.js";
import { logger } from "../logger.js";
import { syntheticRows } from "../test/syntheticRows.js";
import { type AnalyticsJob, runJob } from "./analyticsJobs.js";
import { AnalyticsService } from "./analyticsService.js";

const JOBS: AnalyticsJob[] = [
  { kind: "ladder", marketId: 2n, range: 0.5, step: 0.01 },
  {
    kind: "cascade",
    move: -0.15,
    impact: DEFAULT_IMPACT,
    maxRounds: 20,
    spillover: true,
  },
  { kind: "stress", shocks: [-0.3, -0.1, 0.2], withImpact: true, impact: DEFAULT_IMPACT },
  { kind: "var", paths: 500, seed: 7 },
];

const silent = logger.child({}, { level: "silent" });
const snapshot = () =>
  new Snapshot(
    syntheticRows(syntheticBook({ seed: 5, accounts: 300, markets: 3 })),
    referenceRiskModel,
  );

describe("AnalyticsService", () => {
  const workers = new AnalyticsService(
    { enabled: true, workers: 2, maxQueued: 8, deadlineMs: 60_000 },
    silent,
  );
  afterAll(() => workers.close());

  it("a worker computes what the snapshot's own analytics compute", async () => {
    const snap = snapshot();
    const direct = snapshot();
    const results = await Promise.all(JOBS.map((j) => workers.compute(snap, j)));
    results.forEach((r, i) => {
      expect(r).toEqual(runJob(analyticsOf(direct), JOBS[i]!));
    });
    // Kept for the block: asked again, answered without the queue.
    const started = workers.queue!.stats.started;
    expect(await workers.compute(snap, JOBS[3]!)).toBe(results[3]);
    expect(workers.queue!.stats.started).toBe(started);
  });

  it("without workers, and with admission off, the figures are the same", async () => {
    const inline = new AnalyticsService(
      { enabled: true, workers: 0, maxQueued: 8, deadlineMs: 60_000 },
      silent,
    );
    const off = new AnalyticsService(
      { enabled: false, workers: 0, maxQueued: 0, deadlineMs: 1 },
      silent,
    );
    const direct = snapshot();
    for (const job of JOBS) {
      const expected = runJob(analyticsOf(direct), job);
      expect(await inline.compute(snapshot(), job)).toEqual(expected);
      expect(await off.compute(snapshot(), job)).toEqual(expected);
    }
    expect(off.queue).toBeNull();
  });
});
