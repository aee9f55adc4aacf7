/**
 * The resolutions agree: on a rolled-up fixture (three hours of snapshots every 30 s, the last
 * few still pending, one orphaned; events every 30 s), every panel that picks its tier from
 * the interval returns the same rows from raw rows, from the 1-minute and from the 1-hour
 * rollups over the same buckets — so rolled-up history shows what the raw rows would, pending
 * snapshots included and orphans excluded. And the interval picks the tier it should.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  columnProblems,
  runPanel,
  runSql,
  usePanelDatabase,
  variableDefaults,
} from "../../test/dashboards/support/panelRunner.js";
import { type Fixture, insertFixture } from "../../test/dashboards/support/schemaFixture.js";
import { type ClickHouseHandle, openClickHouse } from "../clickhouse/connect.js";
import { migrate } from "../clickhouse/migrate.js";
import { DASHBOARDS } from "./build.js";
import { panelSql } from "./macros.js";
import type { PanelSpec } from "./panelSpec.js";
import type { Tier } from "./tiers.js";

const HOUR = 3_600_000;
/** Three hours ago, on a whole hour: buckets of every tier start with the data. */
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
const GAMMA: Fixture = {
  exchange: "gamma",
  chainId: 31_009,
  scale: 3,
  t0: T0,
  every: 30,
  blocks: Array.from({ length: 360 }, (_, i) => 1_000 + i),
  symbols: ["ETH", "BTC"],
  pending: 4,
};
/** The data's hours, and an hour more (so no row sits on the range's inclusive end). */
const RANGE = { from: T0, to: T0 + 4 * HOUR };

const tiered = (p: PanelSpec) => p.sql.includes("$__interval_s");

/** Rows with numbers rounded to 9 significant digits (sums of floats in another order). */
function rounded(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? Number(v.toPrecision(9)) : v]),
    ),
  );
}

describe("tiers: raw rows, 1-minute and 1-hour rollups give the same panels (chDB)", () => {
  let dir: string;
  let ch: ClickHouseHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-tiers-"));
    ch = await openClickHouse({
      database: "pw_tiers",
      target: { kind: "embedded", path: join(dir, "ch") },
    });
    await migrate(ch);
    await usePanelDatabase(ch);
    await insertFixture(ch, GAMMA);
  }, 120_000);

  afterAll(async () => {
    await ch?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function compare(intervalMs: number, tiers: readonly Tier[]) {
    const problems: string[] = [];
    let compared = 0;
    for (const d of DASHBOARDS) {
      const vars = await variableDefaults(ch, d, { exchange: GAMMA.exchange });
      for (const panel of d.panels.filter(tiered)) {
        const [raw, ...rolled] = await Promise.all(
          tiers.map((tier) => runPanel(ch, d, panel, RANGE, vars, { intervalMs, tier })),
        );
        if (raw!.rows.length === 0) problems.push(`${raw!.key}: no rows`);
        for (const p of columnProblems(panel, raw!.columns)) problems.push(`${raw!.key}: ${p}`);
        for (const [i, r] of rolled.entries()) {
          expect({ key: r.key, tier: tiers[i + 1], rows: rounded(r.rows) }).toEqual({
            key: raw!.key,
            tier: tiers[i + 1],
            rows: rounded(raw!.rows),
          });
        }
        compared++;
      }
    }
    expect(problems).toEqual([]);
    return compared;
  }

  it("hourly buckets: raw = 1-minute = 1-hour rollups on every tiered panel", async () => {
    expect(await compare(HOUR, ["raw", "1m", "1h"])).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it("2-minute buckets: raw = 1-minute rollups", async () => {
    expect(await compare(120_000, ["raw", "1m"])).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it("the rollups hold confirmed snapshots only; the orphan is nowhere", async () => {
    const [minutes] = (
      await runSql(ch, "SELECT count() AS n, max(minute) AS last FROM snap_headers_1m FINAL")
    ).rows;
    // 360 snapshots every 30 s: 180 minutes, the last two minutes' snapshots still pending.
    expect(Number(minutes!.n)).toBe(178);
    // The orphan (the block after the last, at T0 + 3 h) has no bucket in any rollup.
    for (const table of ["snap_markets_1m", "snap_ladder_1m", "snap_markets_1h"]) {
      const column = table.endsWith("_1h") ? "hour" : "minute";
      const [o] = (
        await runSql(
          ch,
          `SELECT count() AS n FROM ${table} WHERE ${column} >= toDateTime(${(T0 + 3 * HOUR) / 1000})`,
        )
      ).rows;
      expect({ table, n: Number(o!.n) }).toEqual({ table, n: 0 });
    }
  });

  it("the interval picks the tier: raw under a minute, minutes under an hour, hours above", () => {
    const d = DASHBOARDS.find((x) => x.uid === "perpwatch-market-risk")!;
    const panel = d.panels.find((p) => p.title === "Open interest by market")!;
    const tablesRead = (intervalMs: number) => {
      const sql = panelSql(panel.sql, { ...RANGE, intervalMs, variables: { exchange: "x" } });
      // The branches whose condition holds (ClickHouse folds the others to false).
      return sql.split("UNION ALL").flatMap((branch) => {
        const table = /FROM (\w+)/.exec(branch)?.[1];
        const m = /WHERE (\d+) (<|>=) (\d+)(?: AND \d+ < (\d+))?/.exec(branch);
        if (!table || !m) return [];
        const v = Number(m[1]);
        const on = m[2] === "<" ? v < Number(m[3]) : v >= Number(m[3]);
        return on && (m[4] === undefined || v < Number(m[4])) ? [table] : [];
      });
    };
    expect(tablesRead(20_000)).toEqual(["snap_markets"]);
    expect(tablesRead(600_000)).toEqual(["snap_markets_1m", "snap_markets"]);
    expect(tablesRead(7_200_000)).toEqual(["snap_markets_1h", "snap_markets"]);
  });
});
