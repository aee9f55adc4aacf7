/**
 * End to end: a crash-cascade devnet indexed live by Ponder (PGlite), the exporter ticking
 * into embedded ClickHouse (chDB) every ten blocks of the simulation (the simulator pauses
 * for it, so the snapshots are of known blocks), then:
 * - every panel of every dashboard, its SQL expanded as the ClickHouse plugin expands it,
 *   returns rows with the columns its visualization expects;
 * - the exported totals equal the indexer's (liquidations, liquidated notional, insurance
 *   fund at the last block), and so do the counts of every other event table;
 * - exporting the same range again changes no total and no panel;
 * - after a reorg Ponder handles, the snapshot of the replaced blocks is orphaned and no panel
 *   shows any of its rows (the panels read the same with those rows deleted), no event of an
 *   unfinalized block was ever exported, and once final the new fork's events are exported.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClickHouseHandle, openClickHouse } from "../../dashboards/clickhouse/connect.js";
import { exporterConfig } from "../../dashboards/config.js";
import { Exporter, type TickReport } from "../../dashboards/exporter/exporter.js";
import {
  createPerpwatchApiClient,
  createPonderSource,
} from "../../dashboards/exporter/ponderSource.js";
import { createExporterService, type ExporterService } from "../../dashboards/exporter/service.js";
import { dateTime64, fromDecimal } from "../../dashboards/exporter/values.js";
import type { TimeRange } from "../../dashboards/grafana/macros.js";
import type { DashboardSpec } from "../../dashboards/grafana/panelSpec.js";
import { type RunningPonder, startPonder } from "../../indexer/runPonder.js";
import { big, readTable } from "../indexer/support/ponderGraphql.js";
import { uniqueChainId, uniqueSchema } from "../indexer/support/postgres.js";
import { deployLiveDevnet, type LiveDevnet } from "./support/liveDevnet.js";
import { columnProblems, runAllPanels, runSql, usePanelDatabase } from "./support/panelRunner.js";
import { minePriceBlocks, replaceLastBlocks } from "./support/replaceBlocks.js";

const SEED = 42;
const ACCOUNTS = Number(process.env.PERPWATCH_DASHBOARDS_E2E_ACCOUNTS ?? 80);
const TICKS = Number(process.env.PERPWATCH_DASHBOARDS_E2E_TICKS ?? 300);
const DB = "pw_e2e";
const EVENT_TABLES = [
  ["ev_liquidations", "liquidation"],
  ["ev_trades", "positionChange"],
  ["ev_adl", "adlEvent"],
  ["ev_funding", "fundingUpdate"],
  ["ev_oracle_prices", "priceUpdate"],
  ["ev_insurance_fund", "insuranceFundUpdate"],
  ["ev_collateral", "collateralChange"],
  ["ev_bad_debt", "badDebtUpdate"],
  ["ev_mirror_divergences", "mirrorCheck"],
] as const;
const SNAPSHOT_TABLES = [
  "snap_markets",
  "snap_ladder",
  "snap_cascades",
  "snap_health",
  "snap_accounts",
] as const;

describe("dashboards end to end on a crash-cascade devnet", () => {
  const started = Date.now();
  let dir: string;
  let devnet: LiveDevnet;
  let ponder: RunningPonder;
  let ch: ClickHouseHandle;
  let exporter: ExporterService;
  const liveTicks: TickReport[] = [];
  const logger = pino({ level: process.env.PERPWATCH_TEST_LOG ?? "error" });

  const config = () =>
    exporterConfig({
      clickhouse: { database: DB, target: { kind: "embedded", path: join(dir, "clickhouse") } },
      ponderUrl: ponder.url,
      snapshotEveryBlocks: 5,
      intervalMs: 3_600_000,
    });

  const q = async <T>(sql: string): Promise<T[]> => (await runSql(ch, sql)).rows as T[];

  /** Exported totals, from ClickHouse (FINAL: each event once). */
  async function clickhouseTotals() {
    const [liq] = await q<{ n: string; s: string }>(
      `SELECT count() AS n, sum(notional) AS s FROM ${DB}.ev_liquidations FINAL`,
    );
    const [fund] = await q<{ b: string }>(
      `SELECT argMax(new_balance, (block_number, log_index)) AS b FROM ${DB}.ev_insurance_fund FINAL`,
    );
    const counts: Record<string, number> = {};
    for (const [table] of EVENT_TABLES) {
      const [r] = await q<{ n: string }>(`SELECT count() AS n FROM ${DB}.${table} FINAL`);
      counts[table] = Number(r!.n);
    }
    return {
      liquidations: Number(liq!.n),
      liquidatedNotional: fromDecimal(liq!.s),
      insuranceFund: fromDecimal(fund!.b),
      counts,
    };
  }

  async function indexerTotals() {
    const liquidations = await readTable(ponder.url, "liquidation");
    const [ex] = await readTable(ponder.url, "exchange");
    const counts: Record<string, number> = {};
    for (const [table, type] of EVENT_TABLES) {
      counts[table] = (await readTable(ponder.url, type)).length;
    }
    return {
      liquidations: liquidations.length,
      liquidatedNotional: liquidations.reduce((s, l) => s + big(l.notional), 0n),
      insuranceFund: big(ex!.insuranceFund),
      counts,
    };
  }

  /** Block-time range of the data, and wall-clock range of the run (System health). */
  async function ranges(): Promise<(d: DashboardSpec) => TimeRange> {
    const [r] = await q<{ lo: string; hi: string }>(
      `SELECT toUnixTimestamp(min(t)) AS lo, toUnixTimestamp(max(t)) AS hi FROM (
         SELECT block_time AS t FROM ${DB}.snap_headers UNION ALL SELECT block_time AS t FROM ${DB}.ev_collateral)`,
    );
    const chainRange = { from: Number(r!.lo) * 1000 - 60_000, to: Number(r!.hi) * 1000 + 60_000 };
    const wall = { from: started - 60_000, to: Date.now() + 60_000 };
    const both = {
      from: Math.min(chainRange.from, wall.from),
      to: Math.max(chainRange.to, wall.to),
    };
    return (d) => (d.uid === "perpwatch-system-health" ? both : chainRange);
  }

  async function exportOnce(): Promise<TickReport> {
    return exporter.exportOnce();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-dashboards-e2e-"));
    const manifestPath = join(dir, "manifest.json");
    let mined = 0;
    devnet = await deployLiveDevnet({
      scenario: "crash-cascade",
      seed: SEED,
      accounts: ACCOUNTS,
      ticks: TICKS,
      manifestPath,
      chainId: uniqueChainId(),
      // Every ten blocks: the indexer catches up, then one export tick.
      afterBlock: async (block) => {
        if (++mined % 10 !== 0) return;
        await ponder.waitForBlock(block);
        liveTicks.push(await exporter.exportOnce());
      },
    });
    ponder = await startPonder({
      manifestPath,
      database: { kind: "pglite", directory: join(dir, "pglite") },
      schema: uniqueSchema("dash"),
      env: { PERPWATCH_POLLING_INTERVAL_MS: "100" },
    });
    ch = await openClickHouse(config().clickhouse);
    // The service with a long interval: the test drives its ticks (`exportOnce`).
    exporter = createExporterService(config(), { clickhouse: ch, logger });
    await exporter.start();
    await devnet.simulate();
    await usePanelDatabase(ch);
  }, 600_000);

  afterAll(async () => {
    await exporter?.stop();
    await ch?.close();
    await ponder?.stop();
    await devnet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("exports live, matches the indexer's totals, and every panel returns what it draws", async () => {
    // The ticks during the scenario exported final blocks and took a snapshot each.
    expect(liveTicks.length).toBeGreaterThan(20);
    expect(liveTicks.filter((t) => t.snapshot !== null).length).toBe(liveTicks.length);
    expect(liveTicks.at(-1)!.exportedBlock).toBeGreaterThan(liveTicks[0]!.exportedBlock);
    const [live] = await q<{ n: string }>(
      `SELECT count() AS n FROM ${DB}.snap_headers FINAL WHERE status != 'orphaned'`,
    );
    expect(Number(live!.n)).toBe(liveTicks.length);

    // Blocks with only an oracle push, until every simulated block is final; then export.
    const head = await minePriceBlocks(devnet.client, devnet.deployment, 35);
    await ponder.waitForBlock(head);
    const report = await exportOnce();
    expect(report.head?.block).toBe(Number(head));
    expect(report.finalizedBlock).toBe(Number(head) - 30);
    expect(report.exportedBlock).toBe(Number(head) - 30);
    expect(report.snapshot?.block).toBe(Number(head));

    const exported = await clickhouseTotals();
    const indexed = await indexerTotals();
    expect(exported.liquidations).toBeGreaterThan(0);
    expect(exported.counts.ev_adl).toBeGreaterThan(0);
    expect(exported.liquidations).toBe(indexed.liquidations);
    expect(exported.liquidatedNotional).toBe(indexed.liquidatedNotional);
    expect(exported.insuranceFund).toBe(indexed.insuranceFund);
    // Events of the 30 unfinalized blocks (price pushes only) are not exported yet.
    expect(exported.counts.ev_oracle_prices).toBeLessThan(indexed.counts.ev_oracle_prices!);
    expect({ ...exported.counts, ev_oracle_prices: 0 }).toEqual({
      ...indexed.counts,
      ev_oracle_prices: 0,
    });
    const [latest] = await q<{ f: string; b: string }>(
      `SELECT insurance_fund AS f, block_number AS b FROM ${DB}.snap_headers FINAL WHERE status != 'orphaned' ORDER BY block_number DESC LIMIT 1`,
    );
    expect(Number(latest!.b)).toBe(Number(head));
    expect(fromDecimal(latest!.f)).toBe(indexed.insuranceFund);

    // Alert history comes through the seam the alerts service calls.
    const now = Date.now();
    await exporter.recordAlertEvents([
      {
        fingerprint: "liq-wall-eth",
        rule: "liquidation_wall",
        severity: "critical",
        status: "firing",
        startsAt: new Date(now - 20_000),
        summary: "ETH: $2M liquidatable within 3%",
        labels: { market: "ETH" },
        deliveries: [
          {
            id: "d1",
            attempt: 1,
            channel: "webhook",
            at: new Date(now - 19_000),
            outcome: "failed",
            httpStatus: 503,
            error: "HTTP 503",
          },
          {
            id: "d1",
            attempt: 2,
            channel: "webhook",
            at: new Date(now - 17_000),
            outcome: "delivered",
            httpStatus: 200,
          },
        ],
      },
      {
        fingerprint: "fund-low",
        rule: "insurance_fund_coverage",
        status: "resolved",
        startsAt: new Date(now - 60_000),
        endsAt: new Date(now - 5_000),
        deliveries: [
          {
            id: "d2",
            attempt: 1,
            channel: "slack",
            at: new Date(now - 59_000),
            outcome: "delivered",
          },
        ],
      },
    ]);

    const rangeOf = await ranges();
    const panels = await runAllPanels(ch, rangeOf);
    if (process.env.PERPWATCH_DASHBOARDS_DUMP) {
      // For a look at what each panel gets: PERPWATCH_DASHBOARDS_DUMP=/tmp/panels.json
      writeFileSync(
        process.env.PERPWATCH_DASHBOARDS_DUMP,
        JSON.stringify(
          [...panels.values()].map((p) => p.result),
          null,
          1,
        ),
      );
    }
    expect(panels.size).toBeGreaterThanOrEqual(40);
    const problems: string[] = [];
    for (const [key, { panel, result }] of panels) {
      if (result.rows.length === 0) problems.push(`${key}: no rows\n${result.sql}`);
      for (const p of columnProblems(panel, result.columns)) problems.push(`${key}: ${p}`);
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it("exporting the same range again changes no total and no panel", async () => {
    const rangeOf = await ranges();
    const before = await clickhouseTotals();
    const panelsBefore = await runAllPanels(ch, rangeOf);
    const chainId = devnet.anvil.chainId;
    await exporter.exporter!.resetCursor(chainId, -1);
    const again = await exportOnce();
    // Every event of the range is already stored: none is written twice (so the per-minute
    // aggregates, which add what is inserted, count each once).
    expect(again.eventRows).toBe(0);
    expect(again.snapshot).toBeNull();
    expect(await clickhouseTotals()).toEqual(before);
    // The per-minute aggregates counted every event once, the re-exported ones included.
    for (const [table, raw] of [
      ["ev_trades_1m", "ev_trades"],
      ["ev_liquidations_1m", "ev_liquidations"],
    ] as const) {
      const column = table === "ev_trades_1m" ? "trades" : "liquidations";
      const [agg] = await q<{ n: string }>(`SELECT sum(${column}) AS n FROM ${DB}.${table}`);
      expect({ table, n: Number(agg!.n) }).toEqual({ table, n: before.counts[raw] });
    }

    // A new process continues this history; one whose history is of another chain is refused.
    const fresh = () =>
      new Exporter(config(), {
        clickhouse: ch,
        source: createPonderSource(ponder.url),
        api: createPerpwatchApiClient(ponder.url),
        logger,
      });
    await expect(fresh().tick()).resolves.toMatchObject({ eventRows: 0 });
    const [cursor] = await q<Record<string, unknown>>(`SELECT * FROM ${DB}.export_cursor FINAL`);
    const put = (row: Record<string, unknown>) =>
      ch.client.insert({
        table: `${DB}.export_cursor`,
        values: [{ ...row, updated_at: dateTime64(Date.now()) }],
        format: "JSONEachRow",
      });
    await put({ ...cursor, anchor_digest: "0".repeat(64) });
    await expect(fresh().tick()).rejects.toThrow(
      /holds another chain's history: block \d+ of chain/,
    );
    await new Promise((r) => setTimeout(r, 5));
    await put(cursor!);
    const panelsAfter = await runAllPanels(ch, rangeOf);
    for (const [key, { result }] of panelsBefore) {
      if (result.sql.includes("indexer_status")) continue; // one row per tick, by design
      expect({ key, rows: panelsAfter.get(key)?.result.rows }).toEqual({ key, rows: result.rows });
    }
  }, 120_000);

  it("after a reorg, no panel shows the replaced blocks' snapshot and their events are exported once final", async () => {
    // A snapshot of blocks that are about to be replaced.
    const oldHead = await minePriceBlocks(devnet.client, devnet.deployment, 6);
    await ponder.waitForBlock(oldHead);
    const before = await exportOnce();
    expect(before.snapshot?.block).toBe(Number(oldHead));
    const orphanId = before.snapshot!.id;

    const newHead = await replaceLastBlocks(devnet.client, devnet.deployment, SEED, 4);
    await ponder.waitForBlock(newHead);
    const after = await exportOnce();
    expect(after.orphaned).toBeGreaterThanOrEqual(1);
    expect(after.snapshot?.block).toBe(Number(newHead));
    const [status] = await q<{ status: string }>(
      `SELECT status FROM ${DB}.snap_headers FINAL WHERE snapshot_id = '${orphanId}'`,
    );
    expect(status!.status).toBe("orphaned");
    const [visible] = await q<{ n: string }>(
      `SELECT count() AS n FROM ${DB}.snap_headers FINAL WHERE status != 'orphaned' AND snapshot_id = '${orphanId}'`,
    );
    expect(Number(visible!.n)).toBe(0);
    // Nothing above the finalized block was ever exported.
    for (const [table] of EVENT_TABLES) {
      const [m] = await q<{ b: string }>(`SELECT max(block_number) AS b FROM ${DB}.${table}`);
      expect(Number(m!.b)).toBeLessThanOrEqual(after.finalizedBlock);
    }

    // The panels read the same with the orphaned snapshot's rows physically gone.
    const rangeOf = await ranges();
    const shown = await runAllPanels(ch, rangeOf);
    let orphanRows = 0;
    for (const table of SNAPSHOT_TABLES) {
      const [n] = await q<{ n: string }>(
        `SELECT count() AS n FROM ${DB}.${table} WHERE snapshot_id = '${orphanId}'`,
      );
      orphanRows += Number(n!.n);
      await ch.client.command({
        query: `DELETE FROM ${DB}.${table} WHERE snapshot_id = '${orphanId}'`,
      });
    }
    await ch.client.command({
      query: `DELETE FROM ${DB}.snap_headers WHERE snapshot_id = '${orphanId}'`,
    });
    expect(orphanRows).toBeGreaterThan(100);
    const without = await runAllPanels(ch, rangeOf);
    for (const [key, { result }] of shown) {
      expect({ key, rows: without.get(key)?.result.rows }).toEqual({ key, rows: result.rows });
    }

    // Once the new fork is final, its events are exported and the totals match again.
    const finalHead = await minePriceBlocks(devnet.client, devnet.deployment, 31);
    await ponder.waitForBlock(finalHead);
    const settled = await exportOnce();
    expect(settled.exportedBlock).toBeGreaterThanOrEqual(Number(newHead));
    const replaced = (await readTable(ponder.url, "positionChange"))
      .filter((r) => big(r.blockNumber) > newHead - 5n && big(r.blockNumber) <= newHead)
      .map((r) => `${r.blockNumber}:${r.logIndex}:${r.txHash}`)
      .sort();
    expect(replaced.length).toBeGreaterThan(0);
    const rows = await q<{ k: string }>(
      `SELECT concat(toString(block_number), ':', toString(log_index), ':', tx_hash) AS k FROM ${DB}.ev_trades FINAL
       WHERE block_number > ${newHead - 5n} AND block_number <= ${newHead} ORDER BY k`,
    );
    expect(rows.map((r) => r.k).sort()).toEqual(replaced);
    const totals = await clickhouseTotals();
    const indexed = await indexerTotals();
    expect(totals.liquidations).toBe(indexed.liquidations);
    expect(totals.liquidatedNotional).toBe(indexed.liquidatedNotional);
    expect(totals.insuranceFund).toBe(indexed.insuranceFund);
  }, 180_000);
});
