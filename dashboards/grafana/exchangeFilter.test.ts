/**
 * The exchange variable on ClickHouse (chDB): with two exchanges' rows (and rows from before
 * migration 0004, exchange '') in every table, each panel of each dashboard shows exactly what
 * it shows when only the selected exchange's rows are there, and the variables list the
 * exchanges and the selected exchange's markets.
 *
 * The fixture (test/dashboards/support/schemaFixture.ts) fills every table that has an
 * `exchange` column from the schema itself: per exchange its own chain, blocks and values (the
 * second exchange's blocks are higher, so a "latest snapshot" not filtered by exchange would
 * pick it), confirmed snapshots and one orphaned snapshot at the exchange's highest block,
 * which no panel may show. The range is two hours: the panels read raw rows (tiers.test.ts
 * compares them with the rollups).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  columnProblems,
  type PanelResult,
  runAllPanels,
  runSql,
  usePanelDatabase,
  variableDefaults,
} from "../../test/dashboards/support/panelRunner.js";
import { type Fixture, insertFixture } from "../../test/dashboards/support/schemaFixture.js";
import { type ClickHouseHandle, openClickHouse } from "../clickhouse/connect.js";
import { migrate } from "../clickhouse/migrate.js";
import { DASHBOARDS } from "./build.js";
import { interpolateVariables } from "./macros.js";
import { EXCHANGE, EXCHANGE_VARIABLE, type PanelSpec, UNNAMED_EXCHANGE } from "./panelSpec.js";

const DB = "pw_exchange_filter";
/** The first block of every exchange in the fixture: two hours ago, on a whole hour (raw snapshot rows are kept 14 days). */
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 7_200_000;
const RANGE = { from: T0 - 3_600_000, to: T0 + 3_600_000 };

const ALPHA: Fixture = {
  t0: T0,
  exchange: "alpha",
  chainId: 31_001,
  scale: 1,
  blocks: [101, 102, 103],
  symbols: ["ETH", "BTC"],
};
const BETA: Fixture = {
  t0: T0,
  exchange: "beta",
  chainId: 31_002,
  scale: 7,
  blocks: [201, 202, 203, 204],
  symbols: ["ETH", "SOL"],
};
/** Rows written before exchanges were recorded: exchange ''. */
const LEGACY: Fixture = {
  t0: T0,
  exchange: "",
  chainId: 31_003,
  scale: 13,
  blocks: [301, 302],
  symbols: ["ETH"],
};

/** Panels reading the exporter's tables (all but the alert history, which has no exchange). */
const exchangePanel = (p: PanelSpec) => p.sql.includes(EXCHANGE);

describe("the exchange variable on two exchanges' rows (chDB)", () => {
  let dir: string;
  let ch: ClickHouseHandle;
  let alphaAlone: Map<string, { panel: PanelSpec; result: PanelResult }>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-exchange-filter-"));
    ch = await openClickHouse({
      database: DB,
      target: { kind: "embedded", path: join(dir, "ch") },
    });
    await migrate(ch);
    await usePanelDatabase(ch);
    // What the panels show while the tables hold one exchange only.
    expect((await insertFixture(ch, ALPHA)).length).toBeGreaterThanOrEqual(18);
    alphaAlone = await runAllPanels(ch, () => RANGE, { exchange: ALPHA.exchange });
    await insertFixture(ch, BETA);
    await insertFixture(ch, LEGACY);
  }, 120_000);

  afterAll(async () => {
    await ch?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the fixture reaches every panel: each returns rows with the columns it draws", () => {
    const problems: string[] = [];
    for (const [key, { panel, result }] of alphaAlone) {
      if (exchangePanel(panel) && result.rows.length === 0) problems.push(`${key}: no rows`);
      for (const p of columnProblems(panel, result.columns)) problems.push(`${key}: ${p}`);
    }
    expect(problems).toEqual([]);
    expect(alphaAlone.size).toBe(DASHBOARDS.reduce((n, d) => n + d.panels.length, 0));
  });

  it("every panel shows only the selected exchange's rows", async () => {
    const alpha = await runAllPanels(ch, () => RANGE, { exchange: ALPHA.exchange });
    const beta = await runAllPanels(ch, () => RANGE, { exchange: BETA.exchange });
    for (const [key, { panel, result }] of alphaAlone) {
      // Beta's rows (higher blocks, other values) and the legacy rows change nothing for alpha…
      expect({ key, rows: alpha.get(key)!.result.rows }).toEqual({ key, rows: result.rows });
      // …and selecting beta shows other figures on every panel that reads an exchange's rows.
      if (exchangePanel(panel)) {
        expect({ key, beta: beta.get(key)!.result.rows }).not.toEqual({ key, beta: result.rows });
      }
    }
    const stat = (m: typeof alpha, title: string) =>
      m.get(`perpwatch-cascade-insurance / ${title}`)!.result.rows;
    // The fund's last balance: each exchange's own (numbers are 10 × scale + 1…9).
    expect(stat(alpha, "Insurance fund now")).toEqual([{ balance: 13 }]);
    expect(stat(beta, "Insurance fund now")).toEqual([{ balance: 77 }]);
  });

  it("the latest snapshot is the selected exchange's latest visible one, never an orphan", async () => {
    const alpha = await runAllPanels(ch, () => RANGE, { exchange: ALPHA.exchange });
    const marketsNow = alpha.get("perpwatch-market-risk / Markets now")!.result;
    expect(marketsNow.rows.map((r) => r.symbol)).toEqual(ALPHA.symbols);
    // The snapshot of alpha's block 103 (confirmed), not of 104 (orphaned) nor beta's 204.
    const [latest] = (
      await runSql(
        ch,
        `SELECT groupArray(price) AS prices FROM (SELECT price FROM snap_markets
         WHERE snapshot_id = 'alpha-${ALPHA.chainId}-103' ORDER BY market_id)`,
      )
    ).rows;
    expect(marketsNow.rows.map((r) => r.price)).toEqual(latest!.prices);
  });

  it("lists the exchanges, named first, then the rows from before 0004 as their own choice", async () => {
    const { rows } = await runSql(ch, EXCHANGE_VARIABLE.sql);
    expect(rows).toEqual([
      { value: "alpha", label: "alpha" },
      { value: "beta", label: "beta" },
      { value: "", label: UNNAMED_EXCHANGE },
    ]);
    const legacy = await runAllPanels(ch, () => RANGE, { exchange: "" });
    expect(legacy.get("perpwatch-funding / Funding now")!.result.rows.length).toBe(1);
    // By default (no selection) the dashboards show the first named exchange.
    const map = DASHBOARDS.find((d) => d.uid === "perpwatch-liquidation-map")!;
    expect(await variableDefaults(ch, map)).toEqual({ exchange: "alpha", market: "ETH" });
  });

  it("the market variable lists the selected exchange's markets", async () => {
    const map = DASHBOARDS.find((d) => d.uid === "perpwatch-liquidation-map")!;
    const market = map.variables.find((v) => v.name === "market")!;
    const symbols = async (exchange: string) =>
      (
        await runSql(
          ch,
          interpolateVariables(market.sql, { ...RANGE, intervalMs: 1, variables: { exchange } }),
        )
      ).rows.map((r) => r.symbol);
    expect(await symbols("alpha")).toEqual(ALPHA.symbols);
    expect(await symbols("beta")).toEqual(BETA.symbols);
    expect(await symbols("o'brien")).toEqual([]);
  });
});
