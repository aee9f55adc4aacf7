/**
 * Crash safety on PostgreSQL: Ponder killed with SIGKILL in the middle of its backfill, then
 * started again on the same schema, resumes from its last committed block range and ends
 * with exactly the tables of an uninterrupted run of the same chain (every row of every
 * table), and an empty mirror check.
 *
 * Needs PostgreSQL (PERPWATCH_TEST_PG or DATABASE_URL); skipped otherwise. The restart waits
 * for the killed process's lock on the schema to expire (Ponder's 25-s heartbeat timeout),
 * so the uninterrupted run goes meanwhile, on its own schema.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeManifest } from "../../devnet/manifest.js";
import { type SimulatedChain, simulateChain } from "../../devnet/snapshot.js";
import { type RunningPonder, startPonder } from "../../indexer/runPonder.js";
import { readAllTables } from "./support/ponderGraphql.js";
import {
  noteWithoutPostgres,
  PG_SKIP_REASON,
  PG_URL,
  uniqueChainId,
  uniqueSchema,
} from "./support/postgres.js";

noteWithoutPostgres("indexer crash recovery");

describe.skipIf(PG_URL === undefined)(`indexer crash recovery${PG_SKIP_REASON}`, () => {
  let chain: SimulatedChain;
  let head: bigint;
  let dir: string;
  let manifestPath: string;
  const running: RunningPonder[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-indexer-crash-"));
    chain = await simulateChain({
      scenario: "crash-cascade",
      seed: 7,
      accounts: 60,
      ticks: 320,
      chainId: uniqueChainId(),
    });
    head = await chain.client.public.getBlockNumber();
    manifestPath = join(dir, "manifest.json");
    writeManifest(manifestPath, chain.manifest);
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await chain?.anvil.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = async (schema: string, onLog?: (line: string) => void) => {
    const p = await startPonder({
      manifestPath,
      database: { kind: "postgres", url: PG_URL! },
      schema,
      env: { PERPWATCH_POLLING_INTERVAL_MS: "100" },
      waitFor: "spawn",
      onLog,
    });
    running.push(p);
    return p;
  };

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

    // The uninterrupted run, meanwhile, on its own schema.
    const reference = await start(uniqueSchema("crashref"));
    const resumedLogs: string[] = [];
    const resumed = await start(schema, (line) => resumedLogs.push(line));
    await Promise.all([reference.ready(), resumed.ready()]);
    await Promise.all([reference.waitForBlock(head), resumed.waitForBlock(head)]);
    expect(resumedLogs.some((l) => l.includes('"Detected crash recovery"'))).toBe(true);

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
