import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
