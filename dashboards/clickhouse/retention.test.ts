import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ClickHouseHandle, openClickHouse } from "./connect.js";
import { migrate } from "./migrate.js";
import { applyRetention, DEFAULT_RETENTION, retentionTables } from "./retention.js";

describe("retention from the configuration (chDB)", () => {
  let dir: string;
  let ch: ClickHouseHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-retention-"));
    ch = await openClickHouse({
      database: "pw_ret",
      target: { kind: "embedded", path: join(dir, "ch") },
    });
    await migrate(ch);
  });
  afterAll(async () => {
    await ch?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the migration's TTLs are the defaults; another retention changes every table once", async () => {
    expect(await applyRetention(ch, DEFAULT_RETENTION)).toEqual([]);
    const wanted = { rawDays: 3, minuteDays: 30, hourDays: 90 };
    const changed = await applyRetention(ch, wanted);
    expect(changed).toEqual(retentionTables(wanted).map((t) => t.table));
    expect(await applyRetention(ch, wanted)).toEqual([]);
    const rs = await ch.client.query({
      query:
        "SELECT engine_full FROM system.tables WHERE database = 'pw_ret' AND name = 'snap_ladder'",
      format: "JSONEachRow",
    });
    const [ladder] = await rs.json<{ engine_full: string }>();
    // Raw rows expire by when they were written, not by block time (a devnet's clock is old).
    expect(ladder!.engine_full).toMatch(/TTL written_at \+ toIntervalDay\(3\)/);
  });

  it("a changed retention returns at once; the stored rows expire as its queued mutation reaches them", async () => {
    const h = { ...ch, database: "pw_ret_rows" };
    await migrate(h);
    const table = `${h.database}.snap_health`;
    // Three daily partitions, written 10 days ago: kept by 14 days, expired by 3.
    await h.client.command({
      query: `INSERT INTO ${table} (exchange, chain_id, block_number, block_time, snapshot_id,
          written_at, bucket_order, bucket, accounts, notional, equity)
        SELECT 'e', 1, number, toDateTime('2026-01-01 00:00:00', 'UTC') + number * 86400,
          toString(number), now() - INTERVAL 10 DAY, 0, 'b', 1, 1, 1 FROM numbers(3)`,
    });
    const count = async () =>
      Number(
        (
          await (
            await h.client.query({
              query: `SELECT count() AS n FROM ${table}`,
              format: "JSONEachRow",
            })
          ).json<{ n: string }>()
        )[0]!.n,
      );
    // No part can be rewritten now: an ALTER that waited for its rewrite would never return.
    await h.client.command({ query: `SYSTEM STOP MERGES ${table}` });
    const changed = await applyRetention(h, { ...DEFAULT_RETENTION, rawDays: 3 });
    expect(changed).toContain("snap_health");
    expect(await count()).toBe(3);
    await h.client.command({ query: `SYSTEM START MERGES ${table}` });
    await vi.waitFor(async () => expect(await count()).toBe(0), { timeout: 60_000, interval: 100 });
  });
});
