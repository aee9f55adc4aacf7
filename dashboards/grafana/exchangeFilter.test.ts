/**
 * The exchange variable on ClickHouse (chDB): with two exchanges' rows (and rows from before
 * migration 0004, exchange '') in every table, each panel of each dashboard shows exactly what
 * it shows when only the selected exchange's rows are there, and the variables list the
 * exchanges and the selected exchange's markets.
 *
 * The fixture fills every table that has an `exchange` column from the schema itself
 * (system.columns), so a table or column added later is covered without editing it: per
 * exchange its own chain, blocks and values (the second exchange's blocks are higher, so a
 * "latest snapshot" not filtered by exchange would pick it), confirmed snapshots and one
 * orphaned snapshot at the exchange's highest block, which no panel may show.
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
import { type ClickHouseHandle, openClickHouse } from "../clickhouse/connect.js";
import { migrate } from "../clickhouse/migrate.js";
import { DASHBOARDS } from "./build.js";
import { interpolateVariables } from "./macros.js";
import { EXCHANGE, EXCHANGE_VARIABLE, type PanelSpec, UNNAMED_EXCHANGE } from "./panelSpec.js";

const DB = "pw_exchange_filter";
/** 2026-01-01T00:00:00Z: the first block of every exchange in the fixture. */
const T0 = Date.UTC(2026, 0, 1);
const RANGE = { from: T0 - 3_600_000, to: T0 + 3_600_000 };

interface Fixture {
  exchange: string;
  chainId: number;
  /** Makes every number of this exchange differ from the others' (≤ 25: fits UInt8). */
  scale: number;
  /** Blocks with events and a confirmed snapshot; one more block has an orphaned snapshot. */
  blocks: number[];
  symbols: string[];
}

const ALPHA: Fixture = {
  exchange: "alpha",
  chainId: 31_001,
  scale: 1,
  blocks: [101, 102, 103],
  symbols: ["ETH", "BTC"],
};
const BETA: Fixture = {
  exchange: "beta",
  chainId: 31_002,
  scale: 7,
  blocks: [201, 202, 203, 204],
  symbols: ["ETH", "SOL"],
};
/** Rows written before exchanges were recorded: exchange ''. */
const LEGACY: Fixture = {
  exchange: "",
  chainId: 31_003,
  scale: 13,
  blocks: [301, 302],
  symbols: ["ETH"],
};

const timeOf = (f: Fixture, block: number) =>
  new Date(T0 + (block - f.blocks[0]!) * 60_000).toISOString().slice(0, 19).replace("T", " ");

interface Column {
  name: string;
  type: string;
}

/** Row keys of a table (its dimensions), before the generic columns are filled. */
function keysOf(table: string, columns: readonly Column[], f: Fixture): Record<string, unknown>[] {
  const has = (c: string) => columns.some((x) => x.name === c);
  const orphan = f.blocks.at(-1)! + 1;
  const snapshotId = (b: number) => `${f.exchange || "legacy"}-${f.chainId}-${b}`;
  const markets = f.symbols.map((symbol, i) => ({ market_id: i + 1, symbol }));
  if (table === "markets") return markets.map((m) => ({ ...m, updated_block: f.blocks.at(-1) }));
  if (table === "export_cursor") return [{ exported_block: f.blocks.at(-1) }];
  if (table === "indexer_status") {
    return f.blocks.map((b) => ({ recorded_at: timeOf(f, b), indexed_block: b }));
  }
  if (table === "snapshots") {
    return [...f.blocks, orphan].map((b) => ({
      block_number: b,
      block_time: timeOf(f, b),
      snapshot_id: snapshotId(b),
      status: b === orphan ? "orphaned" : "confirmed",
      version: 1,
    }));
  }
  // Dimensions of a snapshot's detail rows, each with two values (markets: the exchange's).
  const dims: Record<string, unknown>[][] = [];
  if (has("market_id")) dims.push(markets);
  if (has("move")) dims.push([{ move: -0.05 }, { move: 0.05 }]);
  if (has("shock")) dims.push([-0.1, -0.2].map((shock) => ({ shock, shock_label: `${shock}` })));
  if (has("bucket_order")) dims.push([0, 1].map((o) => ({ bucket_order: o, bucket: `b${o}` })));
  if (has("rank")) dims.push([{ rank: 1 }, { rank: 2 }]);
  if (has("log_index")) {
    dims.push([0, 1].map((log_index) => ({ log_index, field: `f${log_index}`, kind: "trade" })));
  }
  const product = dims.reduce<Record<string, unknown>[]>(
    (rows, dim) => rows.flatMap((r) => dim.map((d) => ({ ...r, ...d }))),
    [{}],
  );
  // Snapshot details: every snapshot, the orphaned one included; events: final blocks only.
  const blocks = has("snapshot_id") ? [...f.blocks, orphan] : f.blocks;
  return blocks.flatMap((b) =>
    product.map((p) => ({
      block_number: b,
      block_time: timeOf(f, b),
      ...(has("snapshot_id") ? { snapshot_id: snapshotId(b) } : {}),
      ...p,
    })),
  );
}

/** A value of `type` for the fixture's `i`th row: numbers scaled by exchange, text named. */
function fillValue(type: string, column: string, f: Fixture, i: number, time: string): unknown {
  const t = type.replace(/^Nullable\((.*)\)$/, "$1").replace(/^LowCardinality\((.*)\)$/, "$1");
  if (/^DateTime/.test(t)) return time;
  if (/^(U?Int|Float|Decimal)/.test(t)) return f.scale * 10 + (i % 9) + 1;
  if (column === "reason") return ["fee", "bad_debt"][i % 2];
  return `${f.exchange || "legacy"}:${column}:${i}`;
}

async function insertFixture(ch: ClickHouseHandle, f: Fixture): Promise<void> {
  const tables = (
    await runSql(
      ch,
      `SELECT t.name AS name FROM system.tables AS t
       WHERE t.database = '${DB}' AND t.engine != 'View'
         AND t.name IN (SELECT table FROM system.columns WHERE database = '${DB}' AND name = 'exchange')
       ORDER BY name`,
    )
  ).rows.map((r) => String(r.name));
  expect(tables.length).toBeGreaterThanOrEqual(18);
  for (const table of tables) {
    const { rows: cols } = await runSql(
      ch,
      `SELECT name, type FROM system.columns WHERE database = '${DB}' AND table = '${table}' ORDER BY position`,
    );
    const columns = cols as unknown as Column[];
    const values = keysOf(table, columns, f).map((keys, i) => {
      const time = String(keys.block_time ?? keys.recorded_at ?? timeOf(f, f.blocks[0]!));
      const row: Record<string, unknown> = { chain_id: f.chainId, exchange: f.exchange };
      for (const c of columns) {
        row[c.name] =
          c.name in row ? row[c.name] : (keys[c.name] ?? fillValue(c.type, c.name, f, i, time));
      }
      return row;
    });
    await ch.client.insert({ table: `${DB}.${table}`, values, format: "JSONEachRow" });
  }
}

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
    await insertFixture(ch, ALPHA);
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
    expect(stat(alpha, "Insurance fund now")).toEqual([{ balance: 16 }]);
    expect(stat(beta, "Insurance fund now")).toEqual([{ balance: 78 }]);
  });

  it("the latest snapshot is the selected exchange's latest visible one, never an orphan", async () => {
    const alpha = await runAllPanels(ch, () => RANGE, { exchange: ALPHA.exchange });
    const marketsNow = alpha.get("perpwatch-market-risk / Markets now")!.result;
    expect(marketsNow.rows.map((r) => r.symbol)).toEqual(ALPHA.symbols);
    // The snapshot of alpha's block 103 (confirmed), not of 104 (orphaned) nor beta's 204.
    const [latest] = (
      await runSql(
        ch,
        `SELECT groupArray(price) AS prices FROM (SELECT price FROM market_snapshots
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
