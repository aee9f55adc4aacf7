/**
 * Migration 0012: the account-history projection on ev_trades, and the panels that read the
 * newest events without FINAL (grafana/newestEvents.ts). Trades of a few accounts over two
 * months, some written twice and not merged (as a re-run export leaves them): the account
 * panel and the fund ledger return exactly the rows the FINAL queries they replace returned;
 * the account panel reads the projection, and only that account's rows; running 0012 again
 * changes nothing.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSql, usePanelDatabase } from "../../test/dashboards/support/panelRunner.js";
import { DASHBOARDS } from "../grafana/build.js";
import { panelSql } from "../grafana/macros.js";
import { type ClickHouseHandle, openClickHouse } from "./connect.js";
import { migrate, parseStatements, readMigrations } from "./migrate.js";

const EXCHANGE = "ex";
const T0 = Date.UTC(2026, 0, 1);
const ACCOUNTS = 50;
const TRADES = 100_000;
const RANGE = { from: T0, to: T0 + 60 * 86_400_000, intervalMs: 3_600_000 };

const panel = (uid: string, title: string) => {
  const p = DASHBOARDS.find((d) => d.uid === uid)?.panels.find((x) => x.title === title);
  if (!p) throw new Error(`no panel ${uid} / ${title}`);
  return p;
};
const ACCOUNT_PANEL = panel(
  "perpwatch-accounts-at-risk",
  "Account $account: trades, liquidations and ADL",
);
const LEDGER_PANEL = panel("perpwatch-cascade-insurance", "Insurance fund ledger");

/** The panels' SQL before 0012, with FINAL. */
const ACCOUNT_FINAL = `SELECT block_time AS time, kind, symbol, toFloat64(size_delta) AS size_delta, toFloat64(fill_price) AS fill_price,
  toFloat64(notional) AS notional, toFloat64(realized_pnl) AS realized_pnl, toFloat64(fee) AS fee,
  toFloat64(new_collateral) AS collateral, tx_hash
FROM ev_trades FINAL
WHERE exchange = \${exchange:sqlstring} AND $__timeFilter(block_time) AND account_id = toUInt64OrZero(\${account:sqlstring})
ORDER BY block_time DESC, block_number DESC, log_index DESC
LIMIT 500`;
const LEDGER_FINAL = `SELECT block_time AS time, reason, symbol, toFloat64(delta) AS delta, toFloat64(new_balance) AS balance, block_number, tx_hash
FROM ev_insurance_fund FINAL
WHERE exchange = \${exchange:sqlstring} AND $__timeFilter(block_time)
ORDER BY block_time DESC, block_number DESC, log_index DESC
LIMIT 200`;

/** Trade `i`: block i, 20 s apart, accounts in turn (1..ACCOUNTS). */
const trade = (i: number) => ({
  exchange: EXCHANGE,
  chain_id: 1,
  block_number: i,
  log_index: 0,
  block_time: Math.floor((T0 + i * 20_000) / 1000),
  event_id: `e${i}`,
  tx_hash: `0x${i.toString(16)}`,
  account_id: (i % ACCOUNTS) + 1,
  market_id: 1,
  symbol: "ETH",
  kind: i % 50 === 0 ? "liquidation" : "trade",
  size_delta: String(i % 13),
  new_size: "0",
  fill_price: "2000.5",
  notional: String(i),
  realized_pnl: "-1.25",
  realized_funding: "0",
  fee: "0.5",
  new_collateral: "100",
});
const fundEvent = (i: number) => ({
  exchange: EXCHANGE,
  chain_id: 1,
  block_number: i,
  log_index: 1,
  block_time: Math.floor((T0 + i * 20_000) / 1000),
  event_id: `f${i}`,
  tx_hash: `0x${i.toString(16)}`,
  symbol: "ETH",
  reason: i % 2 ? "fee" : "bad_debt",
  delta: String(i),
  new_balance: String(2 * i),
});

describe("migration 0012: account history by projection (chDB)", () => {
  let dir: string;
  let ch: ClickHouseHandle;
  const run = async (sql: string, account = "3") =>
    (await runSql(ch, panelSql(sql, { ...RANGE, variables: { exchange: EXCHANGE, account } })))
      .rows;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-account-projection-"));
    ch = await openClickHouse({
      database: "pw_account",
      target: { kind: "embedded", path: join(dir, "ch") },
    });
    // Rows written before 0012 (materialized by its queued mutation), then after it.
    await migrate(
      ch,
      readMigrations().filter((m) => m.version < 12),
    );
    const insert = (table: string, values: object[]) =>
      ch.client.insert({ table: `${ch.database}.${table}`, values, format: "JSONEachRow" });
    const first = Array.from({ length: TRADES / 2 }, (_, i) => i);
    const later = Array.from({ length: TRADES / 2 }, (_, i) => TRADES / 2 + i);
    await insert("ev_trades", first.map(trade));
    await insert("ev_insurance_fund", first.map(fundEvent));
    await migrate(ch);
    await insert("ev_trades", later.map(trade));
    await insert("ev_insurance_fund", later.map(fundEvent));
    // The newest 300 events written again, unmerged: what FINAL hid.
    await insert("ev_trades", later.slice(-300).map(trade));
    await insert("ev_insurance_fund", later.slice(-300).map(fundEvent));
    await usePanelDatabase(ch);
  }, 120_000);

  afterAll(async () => {
    await ch?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the account panel and the fund ledger return what their FINAL queries returned", async () => {
    for (const account of ["1", "3", "7"]) {
      const now = await run(ACCOUNT_PANEL.sql, account);
      expect(now.length).toBe(500);
      expect(now).toEqual(await run(ACCOUNT_FINAL, account));
    }
    const ledger = await run(LEDGER_PANEL.sql);
    expect(ledger.length).toBe(200);
    expect(ledger).toEqual(await run(LEDGER_FINAL));
  });

  it("the account panel reads the projection: that account's newest rows, not the range", async () => {
    const sql = panelSql(ACCOUNT_PANEL.sql, {
      ...RANGE,
      variables: { exchange: EXCHANGE, account: "3" },
    });
    const plan = (await runSql(ch, `EXPLAIN projections = 1 ${sql}`)).rows
      .map((r) => String(r.explain))
      .join("\n");
    expect(plan).toMatch(/ReadFromMergeTree \(by_account\)/);
    const rowsRead = async (q: string) => {
      const rs = await ch.client.query({ query: q, format: "JSON" });
      const body = await rs.json<{ statistics?: { rows_read: number } }>();
      return Number(body.statistics?.rows_read ?? Number.NaN);
    };
    const final = panelSql(ACCOUNT_FINAL, {
      ...RANGE,
      variables: { exchange: EXCHANGE, account: "3" },
    });
    expect(await rowsRead(final)).toBeGreaterThanOrEqual(TRADES);
    // A granule or two of each part's projection (the FINAL query read every trade).
    expect(await rowsRead(sql)).toBeLessThan(TRADES / 3);
  });

  it("running 0012 again changes nothing", async () => {
    const m = readMigrations().find((x) => x.version === 12)!;
    const before = await run(ACCOUNT_PANEL.sql);
    for (const s of parseStatements(m.sql, ch.database)) await ch.client.command({ query: s.sql });
    const projections = await runSql(
      ch,
      `SELECT name FROM system.projections WHERE database = '${ch.database}' AND table = 'ev_trades'`,
    );
    expect(projections.rows).toEqual([{ name: "by_account" }]);
    expect(await run(ACCOUNT_PANEL.sql)).toEqual(before);
    const { rows } = await runSql(ch, "SELECT count() AS n FROM ev_trades FINAL");
    expect(Number(rows[0]!.n)).toBe(TRADES);
  });
});
