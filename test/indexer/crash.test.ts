/**
 * Crash safety on PostgreSQL: Ponder killed with SIGKILL in the middle of its backfill, then
 * started again on the same schema, resumes from its last committed block range and ends
 * with exactly the tables of an uninterrupted run of the same chain (every row of every
 * table), and an empty mirror check.
 *
 * Needs PostgreSQL (PERPWATCH_TEST_PG or DATABASE_URL); skipped otherwise. The killed
 * process's lock on the schema is expired at once (expireSchemaLock.ts) rather than slept
 * through; the uninterrupted run goes at the same time, on its own schema.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expireSchemaLock } from "./support/expireSchemaLock.js";
import { readAllTables } from "./support/ponderGraphql.js";
import { noteWithoutPostgres, PG_SKIP_REASON, PG_URL, uniqueSchema } from "./support/postgres.js";
import { SimulatedDevnet } from "./support/simulatedDevnet.js";

noteWithoutPostgres("indexer crash recovery");

describe.skipIf(PG_URL === undefined)(`indexer crash recovery${PG_SKIP_REASON}`, () => {
  let devnet: SimulatedDevnet;

  beforeAll(async () => {
    devnet = await SimulatedDevnet.start("perpwatch-indexer-crash-", {
      seed: 7,
      accounts: 60,
      ticks: 320,
    });
  });

  afterAll(async () => {
    await devnet?.stop();
  });

  const start = (schema: string, onLog?: (line: string) => void) =>
    devnet.startPonder({
      database: { kind: "postgres", url: PG_URL! },
      schema,
      waitFor: "spawn",
      onLog,
    });

  it("SIGKILL mid-backfill, restart: the same tables as an uninterrupted run", async () => {
    const schema = uniqueSchema("crash");
    const logs: string[] = [];
    let rangesIndexed = 0;
    let killed: Promise<void> | null = null;
    const victim = await start(schema, (line) => {
      logs.push(line);
      if (line.includes('"Indexed block range"')) rangesIndexed += 1;
      if (rangesIndexed === 1 && killed === null) killed = victim.kill();
    });
    await victim.exited;
    await killed;
    expect(rangesIndexed).toBeGreaterThan(0);
    expect(logs.some((l) => l.includes('"Completed backfill indexing'))).toBe(false);

    await expireSchemaLock({ kind: "postgres", url: PG_URL! }, schema);
    // The uninterrupted run, meanwhile, on its own schema.
    const reference = await start(uniqueSchema("crashref"));
    const resumedLogs: string[] = [];
    const resumed = await start(schema, (line) => resumedLogs.push(line));
    await Promise.all([reference.ready(), resumed.ready()]);
    await Promise.all([reference.waitForBlock(devnet.head), resumed.waitForBlock(devnet.head)]);
    expect(resumedLogs.some((l) => l.includes('"Detected crash recovery"'))).toBe(true);
    expect(resumedLogs.some((l) => l.includes("Schema is locked"))).toBe(false);

    const [expected, actual] = await Promise.all([
      readAllTables(reference.url),
      readAllTables(resumed.url),
    ]);
    expect(expected.account?.length).toBe(60);
    expect(actual.mirrorCheck).toEqual([]);
    for (const table of Object.keys(expected)) {
      expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
    }
  }, 240_000);
});
