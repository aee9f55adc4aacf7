/**
 * Curie crash safety: Ponder killed with SIGKILL in the middle of its backfill of a Curie
 * crash-cascade devnet (right after it committed its first block range), then started again on
 * the same database and schema. It resumes from what it committed ("Detected crash recovery"),
 * the mirror rebuilds its state from the committed snapshot and journal rather than from
 * scratch (its "curie mirror reloaded" line names a cursor), and at the head the API equals
 * Curie's views and `mirror_check` is empty.
 *
 * PGlite always; PostgreSQL when PERPWATCH_TEST_PG (or DATABASE_URL) names one. Before the
 * restart the killed process's heartbeat is moved back past Ponder's 25-s timeout
 * (expireSchemaLock.ts), instead of sleeping through it.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PonderDatabase } from "../../indexer/runPonder.js";
import { expireSchemaLock } from "../indexer/support/expireSchemaLock.js";
import { PG_SKIP_REASON, PG_URL, uniqueSchema } from "../indexer/support/postgres.js";
import { CurieDevnet } from "./support/curieDevnet.js";
import { compareCurieWithViews } from "./support/curieViews.js";
import { mirrorReloads } from "./support/mirrorLog.js";

describe("Curie crash recovery", () => {
  let devnet: CurieDevnet;

  beforeAll(async () => {
    devnet = await CurieDevnet.start("perpwatch-curie-crash-", {
      seed: 9,
      accounts: 16,
      ticks: 60,
      from: 100,
    });
  }, 120_000);

  afterAll(async () => {
    await devnet?.stop();
  });

  async function killAndResume(database: PonderDatabase, schema: string) {
    const logs: string[] = [];
    let killed: Promise<void> | null = null;
    const victim = await devnet.startPonder({
      database,
      schema,
      waitFor: "spawn",
      onLog: (line) => {
        logs.push(line);
        if (killed === null && line.includes('"Indexed block range"')) killed = victim.kill();
      },
    });
    expect(await victim.exited).toBe("SIGKILL");
    await killed;
    expect(logs.some((l) => l.includes('"Completed backfill indexing'))).toBe(false);
    const committed = lastIndexedBlock(logs);
    await expireSchemaLock(database, schema);

    const resumedLogs: string[] = [];
    const resumed = await devnet.startPonder({
      database,
      schema,
      waitFor: "spawn",
      onLog: (line) => resumedLogs.push(line),
    });
    await devnet.reach(resumed, devnet.head, 180_000);
    expect(resumedLogs.some((l) => l.includes('"Detected crash recovery"'))).toBe(true);
    expect(resumedLogs.some((l) => l.includes("Schema is locked"))).toBe(false);
    const [reload] = mirrorReloads(resumedLogs);
    expect(reload?.cursor).not.toBeNull();
    expect(reload!.cursor).toBeLessThanOrEqual(committed);

    const { client, manifest } = devnet.chain;
    const { diffs, owners } = await compareCurieWithViews(
      resumed.url,
      client.public,
      manifest,
      devnet.head,
    );
    expect(diffs).toEqual([]);
    expect(owners.length).toBeGreaterThan(10);
    await resumed.stop();
  }

  it("PGlite: SIGKILL mid-backfill, restart on the same directory: the API equals the views", async () => {
    await killAndResume({ kind: "pglite", directory: join(devnet.dir, "pglite") }, "curie_crash");
  }, 360_000);

  describe.skipIf(PG_URL === undefined)(`PostgreSQL${PG_SKIP_REASON}`, () => {
    it("PostgreSQL: the same on one schema", async () => {
      await killAndResume({ kind: "postgres", url: PG_URL! }, uniqueSchema("curiecrash"));
    }, 360_000);
  });
});

/** The last block of the last "Indexed block range" line (what the killed Ponder committed). */
function lastIndexedBlock(lines: readonly string[]): number {
  const ranges = lines
    .filter((l) => l.includes('"Indexed block range"'))
    .map((l) => JSON.parse(JSON.parse(l).block_range as string) as [number, number]);
  const last = ranges.at(-1);
  if (last === undefined) throw new Error("no block range was indexed before the kill");
  return last[1];
}
