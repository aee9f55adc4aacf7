import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClickHouseHandle, openClickHouse } from "./connect.js";
import { migrate, readMigrations, statementsOf } from "./migrate.js";

describe("ClickHouse migrations (chDB)", () => {
  let dir: string;
  let ch: ClickHouseHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-migrate-"));
    ch = await openClickHouse({
      database: "pw_migrate",
      target: { kind: "embedded", path: join(dir, "ch") },
    });
  });
  afterAll(async () => {
    await ch?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("splits statements and substitutes the database", () => {
    const sql =
      "-- a comment; not a statement\nCREATE TABLE {db}.a (x UInt8) ENGINE = Memory;\n\nCREATE VIEW {db}.v AS SELECT 1;\n";
    expect(statementsOf(sql, "d")).toEqual([
      "CREATE TABLE d.a (x UInt8) ENGINE = Memory",
      "CREATE VIEW d.v AS SELECT 1",
    ]);
  });

  it("applies every migration once, in order, and is a no-op the second time", async () => {
    const all = readMigrations();
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort((a, b) => a - b));
    const first = await migrate(ch);
    expect(first.applied).toEqual(all.map((m) => m.version));
    const second = await migrate(ch);
    expect(second.applied).toEqual([]);
    const tables = await ch.client
      .query({
        query: "SELECT name FROM system.tables WHERE database = 'pw_migrate' ORDER BY name",
        format: "JSONEachRow",
      })
      .then((r) => r.json<{ name: string }>());
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        "ev_trades",
        "ev_liquidations",
        "ev_trades_1m",
        "snap_headers",
        "snap_ladder",
        "snap_ladder_1m",
        "snap_ladder_1h",
        "snap_latest",
        "alert_events",
        "export_cursor",
      ]),
    );
  });

  it("refuses a migration edited after it was applied", async () => {
    const mdir = join(dir, "migrations");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(mdir, { recursive: true });
    writeFileSync(
      join(mdir, "0001_t.sql"),
      "CREATE TABLE IF NOT EXISTS {db}.t (x UInt8) ENGINE = Memory;\n",
    );
    const other = { ...ch, database: "pw_migrate_edit" };
    await migrate(other, readMigrations(mdir));
    writeFileSync(
      join(mdir, "0001_t.sql"),
      "CREATE TABLE IF NOT EXISTS {db}.t (x UInt16) ENGINE = Memory;\n",
    );
    await expect(migrate(other, readMigrations(mdir))).rejects.toThrow(
      /migration 1_t was changed after it was applied to pw_migrate_edit/,
    );
  });
});
