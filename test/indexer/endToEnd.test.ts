/**
 * End to end: a devnet running crash-cascade (seed 42, 100 accounts, through the crash:
 * liquidations, bad debt, the fund drawn, ADL) indexed by `ponder start`; once the indexer
 * is at the chain's head, every market, account, position, bad-debt record and the insurance
 * fund in the tables equals the contract's views, and the mirror found nothing to report.
 * Runs on PGlite always, and on PostgreSQL when PERPWATCH_TEST_PG (or DATABASE_URL) names
 * one.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PonderDatabase } from "../../indexer/runPonder.js";
import { compareWithChain } from "./support/compareWithChain.js";
import { readTable } from "./support/ponderGraphql.js";
import { noteWithoutPostgres, PG_SKIP_REASON, PG_URL, uniqueSchema } from "./support/postgres.js";
import { SimulatedDevnet } from "./support/simulatedDevnet.js";

noteWithoutPostgres("indexer end to end");

describe("indexer end to end on crash-cascade", () => {
  let devnet: SimulatedDevnet;

  beforeAll(async () => {
    devnet = await SimulatedDevnet.start("perpwatch-indexer-e2e-", {
      seed: 42,
      accounts: 100,
      ticks: 300,
    });
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  async function indexAndCompare(database: PonderDatabase, schema?: string) {
    const { chain, head } = devnet;
    const ponder = await devnet.startPonder({ database, schema });
    try {
      await ponder.waitForBlock(head);
      const diffs = await compareWithChain(ponder.url, chain.client.public, chain.manifest, head);
      expect(diffs).toEqual([]);
      expect(await readTable(ponder.url, "mirrorCheck")).toEqual([]);
      // The run went through the whole loss waterfall, not just trades.
      const liquidations = await readTable(ponder.url, "liquidation");
      expect(liquidations.length).toBe(chain.result.liquidations);
      expect(liquidations.filter((l) => l.badDebt !== "0").length).toBeGreaterThan(0);
      expect((await readTable(ponder.url, "adlEvent")).length).toBe(chain.result.adlEvents);
    } finally {
      await ponder.stop();
    }
  }

  it("PGlite: tables equal the contract's views, no mirror check", async () => {
    await indexAndCompare({ kind: "pglite", directory: join(devnet.dir, "pglite") });
  }, 180_000);

  describe.skipIf(PG_URL === undefined)(`PostgreSQL${PG_SKIP_REASON}`, () => {
    it("PostgreSQL: tables equal the contract's views, no mirror check", async () => {
      await indexAndCompare({ kind: "postgres", url: PG_URL! }, uniqueSchema("e2e"));
    }, 180_000);
  });
});
