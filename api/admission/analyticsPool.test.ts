/**
 * The worker pool keeps serving when a job cannot be sent: a book that fails to build fails
 * its job only, and the same worker takes the next one.
 */
import { afterAll, describe, expect, it } from "vitest";
import { syntheticBook } from "../../engine/analytics/index.js";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { analyticsOf } from "../analytics/bookAnalytics.js";
import { Snapshot } from "../data/snapshot.js";
import { logger } from "../logger.js";
import { syntheticRows } from "../test/syntheticRows.js";
import { type AnalyticsJob, runJob } from "./analyticsJobs.js";
import { AnalyticsPool } from "./analyticsPool.js";

describe("AnalyticsPool", () => {
  const pool = new AnalyticsPool(1, logger.child({}, { level: "silent" }));
  afterAll(() => pool.close());

  it("a book that cannot be built fails its job, and the worker serves the next", async () => {
    const job: AnalyticsJob = { kind: "var", paths: 200, seed: 3 };
    const broken = () => {
      throw new Error("no book");
    };
    await expect(pool.run("b1", broken, job)).rejects.toThrow("no book");
    const snap = new Snapshot(
      syntheticRows(syntheticBook({ seed: 2, accounts: 50, markets: 2 })),
      referenceRiskModel,
    );
    const a = analyticsOf(snap);
    const book = () => ({ key: "b1", store: a.store, insuranceFund: a.insuranceFund });
    expect(await pool.run("b1", book, job)).toEqual(runJob(a, job));
  });
});
