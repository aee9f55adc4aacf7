/**
 * Upgrading a database of today's schema (migrations 0001–0004) with history in it to the
 * schema at scale (0010): no row is lost, the rollups and aggregates hold the copied history
 * once, and a run interrupted half-way (after some old tables were dropped) ends the same.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSql } from "../../test/dashboards/support/panelRunner.js";
import { type Fixture, insertFixture } from "../../test/dashboards/support/schemaFixture.js";
import { type ClickHouseHandle, openClickHouse } from "./connect.js";
import { migrate, parseStatements, readMigrations } from "./migrate.js";

const HOUR = 3_600_000;
const OLD: Fixture = {
  exchange: "alpha",
  chainId: 31_020,
  scale: 2,
  t0: Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR,
  every: 30,
  blocks: Array.from({ length: 60 }, (_, i) => 500 + i),
  symbols: ["ETH", "BTC"],
  pending: 2,
};

/** Old table → new table. */
const MOVED: [string, string][] = [
  ["trades", "ev_trades"],
  ["liquidations", "ev_liquidations"],
  ["adl_events", "ev_adl"],
  ["funding_updates", "ev_funding"],
  ["oracle_prices", "ev_oracle_prices"],
  ["insurance_fund_updates", "ev_insurance_fund"],
  ["collateral_changes", "ev_collateral"],
  ["bad_debt_updates", "ev_bad_debt"],
  ["mirror_divergences", "ev_mirror_divergences"],
  ["snapshots", "snap_headers"],
  ["market_snapshots", "snap_markets"],
  ["ladder_buckets", "snap_ladder"],
  ["cascade_snapshots", "snap_cascades"],
  ["health_buckets", "snap_health"],
  ["account_risk", "snap_accounts"],
];

describe("upgrading today's schema with data to the schema at scale (chDB)", () => {
  let dir: string;
  let ch: ClickHouseHandle;
  const today = readMigrations().filter((m) => m.version <= 4);

  const count = async (db: string, table: string, final = true) =>
    Number(
      (await runSql(ch, `SELECT count() AS n FROM ${db}.${table}${final ? " FINAL" : ""}`)).rows[0]!
        .n,
    );

  /** A database of today's schema with the fixture's history in it; its row counts. */
  async function oldDatabase(db: string): Promise<Map<string, number>> {
    const handle = { ...ch, database: db };
    await migrate(handle, today);
    await insertFixture(handle, OLD, { rollUp: false });
    const counts = new Map<string, number>();
    for (const [old] of MOVED) counts.set(old, await count(db, old));
    return counts;
  }

  async function expectUpgraded(db: string, before: Map<string, number>) {
    for (const [old, moved] of MOVED) {
      expect({ moved, n: await count(db, moved) }).toEqual({ moved, n: before.get(old) });
    }
    const tables = (
      await runSql(ch, `SELECT name FROM system.tables WHERE database = '${db}'`)
    ).rows.map((r) => String(r.name));
    for (const [old] of MOVED) expect(tables).not.toContain(old);
    expect(tables).not.toContain("visible_snapshots");
    // Aggregates: every copied event counted once.
    const [trades] = (
      await runSql(ch, `SELECT sum(trades) AS n, sum(notional) AS s FROM ${db}.ev_trades_1m`)
    ).rows;
    const [raw] = (
      await runSql(
        ch,
        `SELECT count() AS n, sum(toFloat64(notional)) AS s FROM ${db}.ev_trades FINAL`,
      )
    ).rows;
    expect(trades).toEqual(raw);
    const [hourly] = (
      await runSql(ch, `SELECT sum(trades) AS n, sum(notional) AS s FROM ${db}.ev_trades_1h`)
    ).rows;
    expect(hourly).toEqual(raw);
    // Rollups: the confirmed snapshots' minutes (two per minute; the last two pending).
    expect(await count(db, "snap_headers_1m")).toBe(29);
    expect(await count(db, "snap_markets_1h")).toBe(OLD.symbols.length);
    const [latest] = (await runSql(ch, `SELECT snapshot_id FROM ${db}.snap_latest FINAL`)).rows;
    expect(latest).toEqual({ snapshot_id: `alpha-${OLD.chainId}-559` });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-upgrade-"));
    ch = await openClickHouse({
      database: "pw_up",
      target: { kind: "embedded", path: join(dir, "ch") },
    });
  });
  afterAll(async () => {
    await ch?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps every row, rolls up the confirmed snapshots and drops the old tables", async () => {
    const before = await oldDatabase("pw_up_whole");
    expect(before.get("trades")).toBeGreaterThan(100);
    const result = await migrate({ ...ch, database: "pw_up_whole" });
    expect(result.applied).toEqual(
      readMigrations()
        .filter((m) => m.version > 4)
        .map((m) => m.version),
    );
    await expectUpgraded("pw_up_whole", before);
  }, 60_000);

  it("a run interrupted after some old tables were dropped, run again, ends the same", async () => {
    const db = "pw_up_interrupted";
    const before = await oldDatabase(db);
    const upgrade = readMigrations().find((m) => m.version === 10)!;
    const statements = parseStatements(upgrade.sql, db);
    // Up to and including the drop of `liquidations` (trades is gone, the others remain).
    const stop = statements.findIndex((s) =>
      s.sql.startsWith(`DROP TABLE IF EXISTS ${db}.liquidations`),
    );
    expect(stop).toBeGreaterThan(0);
    for (const s of statements.slice(0, stop + 1)) await ch.client.command({ query: s.sql });
    await migrate({ ...ch, database: db });
    await expectUpgraded(db, before);
  }, 60_000);

  it("the hourly event aggregates, interrupted after their views were made, run again, count each event once", async () => {
    const db = "pw_up_hours";
    const before = await oldDatabase(db);
    const handle = { ...ch, database: db };
    await migrate(
      handle,
      readMigrations().filter((m) => m.version <= 10),
    );
    const hours = parseStatements(readMigrations().find((m) => m.version === 11)!.sql, db);
    // Every statement but the marker's drop: the tables filled and their views live.
    const stop = hours.findIndex((s) =>
      s.sql.startsWith(`DROP TABLE IF EXISTS ${db}.ev_hours_backfill`),
    );
    expect(stop).toBeGreaterThan(0);
    for (const s of hours.slice(0, stop)) await ch.client.command({ query: s.sql });
    expect((await migrate(handle)).applied).toEqual(
      readMigrations()
        .filter((m) => m.version >= 11)
        .map((m) => m.version),
    );
    await expectUpgraded(db, before);
  }, 60_000);
});
