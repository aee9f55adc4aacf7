/**
 * Curie end to end: a Perp v2 devnet (its published bytecode) running crash-cascade, indexed by
 * `ponder start`; once at the chain's head, the API equals Curie's views at that block
 * (support/curieViews.ts: equity, margin requirement, liquidatable verdict and position sizes
 * of every account, mark prices, the insurance fund, one liquidation row per
 * PositionLiquidated) and the mirror found nothing to report; every liquidation the simulator
 * made is a row. PGlite always; PostgreSQL when PERPWATCH_TEST_PG (or DATABASE_URL) names one.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PonderDatabase } from "../../indexer/runPonder.js";
import {
  noteWithoutPostgres,
  PG_SKIP_REASON,
  PG_URL,
  uniqueSchema,
} from "../indexer/support/postgres.js";
import { CurieDevnet } from "./support/curieDevnet.js";
import { compareCurieWithViews } from "./support/curieViews.js";

noteWithoutPostgres("curie end to end");

describe("Curie end to end on crash-cascade", () => {
  let devnet: CurieDevnet;

  beforeAll(async () => {
    devnet = await CurieDevnet.start("perpwatch-curie-e2e-", {
      seed: 7,
      accounts: 60,
      ticks: 240,
    });
  }, 240_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  async function indexAndCompare(database: PonderDatabase, schema?: string) {
    const ponder = await devnet.startPonder({ database, schema, waitFor: "spawn" });
    try {
      await devnet.reach(ponder, devnet.head, 240_000);
      const { client, manifest, result } = devnet.chain;
      const seen = await compareCurieWithViews(ponder.url, client.public, manifest, devnet.head);
      expect(seen.diffs).toEqual([]);
      expect(seen.owners.length).toBeGreaterThan(30);
      expect(seen.liquidations).toBe(result.liquidations);
    } finally {
      await ponder.stop();
    }
  }

  it("PGlite: API figures equal Curie's views, no mirror check", async () => {
    await indexAndCompare({ kind: "pglite", directory: join(devnet.dir, "pglite") });
  }, 300_000);

  describe.skipIf(PG_URL === undefined)(`PostgreSQL${PG_SKIP_REASON}`, () => {
    it("PostgreSQL: API figures equal Curie's views, no mirror check", async () => {
      await indexAndCompare({ kind: "postgres", url: PG_URL! }, uniqueSchema("curie"));
    }, 300_000);
  });
});
