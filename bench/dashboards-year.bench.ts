/**
 * A year of a busy exchange in ClickHouse (issue 20): how fast the history loads, what it
 * weighs, and how long each dashboard panel takes over the last 6 h, 7 d, 90 d and 365 d —
 * on the schema at scale (migration 0010) and, on the same data, on the schema before it
 * (0001–0004, the panels' SQL of that time). Embedded ClickHouse (chDB), as the tests.
 *
 * Scale (stated with the figures): events are the issue's year × PERPWATCH_BENCH_YEAR_SCALE
 * (default 0.01: 500 k trades of 50 M, 20 k liquidations, funding and oracle prices per
 * market every 100 min, a fund event per trade), through the exporter (`Exporter.tick` on a
 * synthetic Ponder source). Snapshots of 20 markets, denser where the ranges read raw rows or
 * 1-minute rollups (CADENCE: every 30 s for the last 6 h, 5 min for the last 7 days, an hour
 * before — PERPWATCH_BENCH_YEAR_DENSITY=full: 10 s, 1 min, 1 h, each tier's full density);
 * a 201-bin ladder for the market the liquidation map shows (a ladder panel reads one
 * market's key range; the other 19 markets' ladders add storage, not reads).
 * Snapshot rows go through the exporter's insert path (`insertValues`) and its confirmation
 * path (`rollUpConfirmed`: the materialized views). `npm run bench -- dashboards-year`.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { type ClickHouseHandle, openClickHouse } from "../dashboards/clickhouse/connect.js";
import { migrate, readMigrations } from "../dashboards/clickhouse/migrate.js";
import { DEFAULT_RETENTION, retentionTables } from "../dashboards/clickhouse/retention.js";
import { exporterConfig } from "../dashboards/config.js";
import type { PonderRow } from "../dashboards/exporter/eventTables.js";
import { Exporter } from "../dashboards/exporter/exporter.js";
import type { PonderSource, TableRead } from "../dashboards/exporter/ponderSource.js";
import { rollUpConfirmed, writeLatest } from "../dashboards/exporter/snapshotRollups.js";
import { insertValues } from "../dashboards/exporter/values.js";
import { DASHBOARDS, maxDataPointsOf } from "../dashboards/grafana/build.js";
import { grafanaInterval, panelSql } from "../dashboards/grafana/macros.js";
import { REPO_ROOT } from "../indexer/runPonder.js";
import { ApiError } from "../runtime/apiClient.js";
import { BEFORE_PANELS } from "./dashboards-year.before.js";
import { percentile, printTable } from "./report.js";

const SCALE = Number(process.env.PERPWATCH_BENCH_YEAR_SCALE ?? 0.01);
const DAY = 86_400;
const YEAR = 365 * DAY;
const NOW = Math.floor(Date.now() / 1000 / 3600) * 3600;
const GENESIS = NOW - YEAR;
const CHAIN_ID = 31_337;
const EXCHANGE = "reference-31337";
const MARKETS = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, symbol: `M${i + 1}` }));
const LADDER_MARKETS = 1;
const BINS = 201;
const RUNS = Number(process.env.PERPWATCH_BENCH_YEAR_RUNS ?? 5);
/**
 * Snapshot cadence (seconds) in the last 6 h, the last 7 d and before. "full": each tier's
 * full density (10 s, 60 s, 3600 s); "light" (default, a few minutes on 2 cores): 30 s, 300 s
 * and 3600 s — the 1-hour rollups still at full density, the 1-minute ones at a fifth.
 */
const CADENCE =
  process.env.PERPWATCH_BENCH_YEAR_DENSITY === "full" ? [10, 60, 3600] : [30, 300, 3600];
const TOP_ACCOUNTS = 10;
const RANGES = [
  ["6 h", 6 * 3600],
  ["7 d", 7 * DAY],
  ["90 d", 90 * DAY],
  ["365 d", YEAR],
] as const;
const DIR = join(REPO_ROOT, ".perpwatch", "bench", `dashboards-year-${process.pid}`);
/** PERPWATCH_BENCH_YEAR_KEEP=1: leave the chDB directory for reading the queries by hand. */
const KEEP = process.env.PERPWATCH_BENCH_YEAR_KEEP === "1";
const logger = pino({ level: "warn" });

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const ONE = 10n ** 18n;
const d18 = (x: number) => ((BigInt(Math.round(x * 1e6)) * ONE) / 1_000_000n).toString();
/** A Ponder event id: block time, chain, block, tx index, type 5, log index (block = seconds). */
const eventId = (block: number, tx: number, log: number) =>
  `${pad(GENESIS + block, 10)}${pad(CHAIN_ID, 16)}${pad(block, 16)}${pad(tx, 16)}5${pad(log, 16)}`;

/** `count` events spread evenly over the year: the indices falling in blocks [from, to]. */
function* spread(count: number, from: number, to: number): Generator<[number, number]> {
  const first = Math.ceil((from * count) / YEAR);
  for (let i = first; i < count; i++) {
    const block = Math.floor((i * YEAR) / count);
    if (block > to) return;
    if (block >= from) yield [i, block];
  }
}

/** A year of events as Ponder's GraphQL rows, made on demand by block range (1 block = 1 s). */
class SyntheticYear implements PonderSource {
  readonly url = "synthetic://year";
  readonly trades = Math.round(50_000_000 * SCALE);
  readonly liquidations = Math.round(2_000_000 * SCALE);
  readonly perMarketMinute = Math.round(MARKETS.length * (YEAR / 60) * SCALE);

  async head() {
    return { chainName: "perpwatch", chainId: CHAIN_ID, block: YEAR, timestamp: NOW };
  }

  async read(tables: readonly TableRead[]) {
    const out = new Map<string, { rows: PonderRow[]; totalCount?: number }>();
    for (const t of tables) {
      const range = /blockNumber_gte: "(\d+)", blockNumber_lte: "(\d+)"/.exec(t.where ?? "");
      if (range)
        out.set(t.key, { rows: this.events(t.graphql, Number(range[1]), Number(range[2])) });
      else if (t.graphql === "exchanges")
        out.set(t.key, {
          rows: [{ id: EXCHANGE, chainId: CHAIN_ID, insuranceFund: "0", updatedBlock: "1" }],
        });
      else if (t.graphql === "markets")
        out.set(t.key, {
          rows: MARKETS.map((m) => ({
            marketId: String(m.id),
            symbol: m.symbol,
            updatedBlock: "1",
          })),
        });
      else out.set(t.key, { rows: [] });
    }
    return out;
  }

  private events(table: string, from: number, to: number): PonderRow[] {
    const rows: PonderRow[] = [];
    const at = (b: number, log: number) => ({ blockNumber: String(b), logIndex: log });
    const market = (i: number) => MARKETS[i % MARKETS.length]!;
    const price = (i: number, b: number) =>
      (100 + (i % MARKETS.length) * 50) * (1 + 0.1 * Math.sin(b / 86_400));
    if (table === "positionChanges" || table === "insuranceFundUpdates") {
      for (const [i, b] of spread(this.trades, from, to)) {
        const size = ((i % 17) - 8) / 4 || 0.5;
        // Above 31.5 M trades a block holds two: each its own log indices (a trade and its fee),
        // or the tables' (chain, block, log index) key would fold them into one.
        const log = 100 + 2 * (i % 50);
        if (table === "positionChanges") {
          rows.push({
            id: eventId(b, 1, log),
            accountId: String(1 + (i % 20_000)),
            marketId: String(market(i).id),
            kind: "trade",
            sizeDelta: d18(size),
            newSize: d18(size * 2),
            fillPrice: d18(price(i, b)),
            realizedPnl: d18(1),
            realizedFunding: "0",
            fee: d18(Math.abs(size) * price(i, b) * 0.0005),
            newCollateral: d18(10_000),
            ...at(b, log),
            txHash: `0x${pad(b, 64)}`,
          });
        } else {
          rows.push({
            id: eventId(b, 1, log + 1),
            delta: d18(Math.abs(size) * price(i, b) * 0.0005),
            newBalance: d18(1_000_000 + i),
            reason: "fee",
            ...at(b, log + 1),
            txHash: `0x${pad(b, 64)}`,
          });
        }
      }
    } else if (table === "liquidations" || table === "adlEvents") {
      for (const [i, b] of spread(this.liquidations, from, to)) {
        if (table === "liquidations") {
          rows.push({
            id: eventId(b, 2, 2),
            accountId: String(1 + (i % 20_000)),
            liquidator: "0x00000000000000000000000000000000000000aa",
            equity: d18(-50),
            maintenanceMargin: d18(500),
            notional: d18(5_000 + (i % 50) * 4_000),
            keeperReward: d18(5),
            penaltyToInsurance: "0",
            insuranceCovered: d18(55),
            badDebt: i % 10 === 0 ? d18(20) : "0",
            ...at(b, 2),
            txHash: `0x${pad(b, 63)}1`,
          });
        } else if (i % 20 === 0) {
          rows.push({
            id: eventId(b, 3, 3),
            bankruptAccountId: String(1 + (i % 20_000)),
            counterpartyAccountId: "7",
            marketId: String(market(i).id),
            sizeDelta: d18(-1),
            bankruptcyPrice: d18(price(i, b)),
            lossAbsorbed: d18(20),
            ...at(b, 3),
            txHash: `0x${pad(b, 63)}2`,
          });
        }
      }
    } else if (table === "fundingUpdates" || table === "priceUpdates") {
      for (const [i, b] of spread(this.perMarketMinute, from, to)) {
        const m = market(i);
        if (table === "fundingUpdates") {
          rows.push({
            id: eventId(b, 4, 4),
            marketId: String(m.id),
            price: d18(price(i, b)),
            skew: d18(Math.sin(b / 3_600) * 100),
            fundingRate: d18(0.0001 * Math.sin(b / 7_200)),
            fundingVelocity: d18(0.001),
            fundingIndex: d18(b / 1e6),
            timestamp: String(GENESIS + b),
            ...at(b, 4),
          });
        } else {
          rows.push({
            id: eventId(b, 5, 5),
            marketId: String(m.id),
            price: d18(price(i, b)),
            publishTime: String(GENESIS + b),
            ...at(b, 5),
          });
        }
      }
    }
    return rows;
  }
}

/** Snapshot times: CADENCE in the last 6 h, the last 7 d and before. */
function snapshotTimes(): number[] {
  const [recent, week, year] = CADENCE as [number, number, number];
  const out: number[] = [];
  for (let t = GENESIS + 3600; t < NOW - 7 * DAY; t += year) out.push(t);
  for (let t = NOW - 7 * DAY; t < NOW - 6 * 3600; t += week) out.push(t);
  for (let t = NOW - 6 * 3600; t < NOW; t += recent) out.push(t);
  return out;
}

const SHOCKS = [-0.3, -0.2, -0.1, -0.05, 0.05, 0.1, 0.2];
const HEALTH = ["< 25%", "25–50%", "50–75%", "75–90%", "90–100%", "liquidatable", "underwater"];

/** The rows of one snapshot, table by table, as the exporter writes them (values in column order). */
function snapshotRowsAt(k: number, t: number): Map<string, unknown[][]> {
  const block = t - GENESIS;
  const id = `s${block}`;
  const common = [EXCHANGE, CHAIN_ID, block, t, id];
  const w = 1 + 0.2 * Math.sin(k / 500);
  const out = new Map<string, unknown[][]>();
  out.set("snap_headers", [
    [
      ...common,
      "confirmed",
      1,
      block + 1,
      block,
      "",
      "1000000",
      "0",
      20_000,
      5_000,
      9_000,
      5e8 * w,
      12,
      1e6 * w,
      0.001,
      1.2 * w,
      0,
      40,
    ],
  ]);
  out.set(
    "snap_markets",
    MARKETS.map((m) => [
      ...common,
      m.id,
      m.symbol,
      100 * m.id * w,
      1e6,
      1e6,
      2e7 * w,
      5,
      0.01,
      0.0001,
      0.0365,
      0.001,
      0,
      3,
      1e5,
      2e5,
      3e5,
      5e5,
      1e5,
      2e5,
      3e5,
      5e5,
    ]),
  );
  const ladder: unknown[][] = [];
  for (const m of MARKETS.slice(0, LADDER_MARKETS)) {
    for (let b = 0; b < BINS; b++) {
      const move = Math.round((b - 100) * 10) / 10000;
      ladder.push([
        ...common,
        m.id,
        m.symbol,
        move,
        100 * (1 + move),
        Math.abs(move) * 1e7 * w,
        Math.abs(move) * 5e6 * w,
        1e4 * w * ((b % 7) + 1),
        b,
        0,
      ]);
    }
  }
  out.set("snap_ladder", ladder);
  out.set(
    "snap_cascades",
    SHOCKS.map((s, i) => [
      ...common,
      s,
      `${s * 100}%`,
      1 + Math.abs(s) * w,
      1e7 * Math.abs(s),
      100 * i,
      1e5 * Math.abs(s),
      1e6,
      5e4,
      0,
      0.9 + 0.1 * w,
      0,
      3,
      1,
    ]),
  );
  out.set(
    "snap_health",
    HEALTH.map((b, i) => [...common, i, b, 100 * (7 - i), 1e6, 5e5]),
  );
  out.set(
    "snap_accounts",
    Array.from({ length: TOP_ACCOUNTS }, (_, r) => [
      ...common,
      r + 1,
      1 + ((k + r) % 20_000),
      "0xowner",
      1e4,
      5e3,
      1e3,
      800,
      5e4,
      0.5 + r / 50,
      0.1,
      0,
      2,
    ]),
  );
  return out;
}

/** Column lists by `database.table` (both schemas have a `markets` and an `indexer_status`). */
const COLUMNS = new Map<string, string[]>();

async function columnsOf(ch: ClickHouseHandle, table: string): Promise<string[]> {
  const key = `${ch.database}.${table}`;
  const known = COLUMNS.get(key);
  if (known) return known;
  const rs = await ch.client.query({
    query: `SELECT name FROM system.columns WHERE database = '${ch.database}' AND table = '${table}' ORDER BY position`,
    format: "JSONEachRow",
  });
  // `written_at` is filled by ClickHouse (DEFAULT now()), as for the exporter's rows.
  const names = (await rs.json<{ name: string }>())
    .map((r) => r.name)
    .filter((n) => n !== "written_at");
  COLUMNS.set(key, names);
  return names;
}

/**
 * The raw rows a year of running keeps: the raw TTL (DEFAULT_RETENTION.rawDays after
 * `written_at`) would have expired every day older than that, but the bench writes the whole
 * year now, so no row is old yet. Raw tables are partitioned by day of block time, so those
 * days are dropped as partitions (no part is rewritten). Returns the partitions dropped.
 */
async function dropExpiredRaw(ch: ClickHouseHandle): Promise<number> {
  const raw = retentionTables(DEFAULT_RETENTION)
    .filter((t) => t.column === "written_at")
    .map((t) => t.table);
  // Whole days before the cutoff, by the parts' newest block time (max_date is 1970 when the
  // partition key is toDate of a DateTime).
  const rs = await ch.client.query({
    query: `SELECT table, groupUniqArray(partition_id) AS ids FROM system.parts
      WHERE database = {db:String} AND active AND table IN {raw:Array(String)}
        AND max_time < toDateTime({cutoff:UInt32})
      GROUP BY table`,
    query_params: { db: ch.database, raw, cutoff: NOW - DEFAULT_RETENTION.rawDays * DAY },
    format: "JSONEachRow",
  });
  let dropped = 0;
  for (const { table, ids } of await rs.json<{ table: string; ids: string[] }>()) {
    await ch.client.command({
      query: `ALTER TABLE ${ch.database}.${table} ${ids.map((id) => `DROP PARTITION ID '${id}'`).join(", ")}`,
    });
    dropped += ids.length;
  }
  return dropped;
}

/** Loads the snapshots: raw rows by the exporter's insert, rollups by its confirmation. */
async function loadSnapshots(
  ch: ClickHouseHandle,
): Promise<{ rows: number; ms: number; snapshots: number }> {
  const times = snapshotTimes();
  const started = performance.now();
  let rows = 0;
  const BATCH = 360;
  for (let i = 0; i < times.length; i += BATCH) {
    const batch = new Map<string, unknown[][]>();
    times.slice(i, i + BATCH).forEach((t, j) => {
      for (const [table, values] of snapshotRowsAt(i + j, t)) {
        const list = batch.get(table) ?? [];
        list.push(...values);
        batch.set(table, list);
      }
    });
    for (const [table, values] of batch) {
      await insertValues(ch, table, await columnsOf(ch, table), values);
      rows += values.length;
    }
    // Confirmation: the headers' full rows, then the details through the rollups' views.
    const full = batch.get("snap_headers")!;
    const cols = await columnsOf(ch, "snap_headers");
    await rollUpConfirmed(
      ch,
      full.map((v) => Object.fromEntries(cols.map((c, k) => [c, v[k]]))) as never,
    );
  }
  await writeLatest(ch, EXCHANGE, Date.now());
  return { rows, ms: performance.now() - started, snapshots: times.length };
}

async function tableSizes(
  ch: ClickHouseHandle,
): Promise<{ table: string; rows: number; bytes: number }[]> {
  const rs = await ch.client.query({
    query: `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
      WHERE database = '${ch.database}' AND active GROUP BY table ORDER BY bytes DESC`,
    format: "JSONEachRow",
  });
  return (await rs.json<{ table: string; rows: string; bytes: string }>()).map((r) => ({
    table: r.table,
    rows: Number(r.rows),
    bytes: Number(r.bytes),
  }));
}

/** Projections' parts (their bytes are counted in their table's `system.parts` too). */
async function projectionSizes(
  ch: ClickHouseHandle,
): Promise<{ table: string; name: string; rows: number; bytes: number }[]> {
  const rs = await ch.client.query({
    query: `SELECT table, name, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.projection_parts
      WHERE database = '${ch.database}' AND active GROUP BY table, name ORDER BY table, name`,
    format: "JSONEachRow",
  });
  return (await rs.json<{ table: string; name: string; rows: string; bytes: string }>()).map(
    (r) => ({ table: r.table, name: r.name, rows: Number(r.rows), bytes: Number(r.bytes) }),
  );
}

interface Timing {
  p50: number;
  p95: number;
  rowsRead: number;
  bytesRead: number;
}

/** Runs `sql` RUNS times; median and p95 time, and what one run read (the JSON statistics). */
async function time(ch: ClickHouseHandle, sql: string): Promise<Timing> {
  const times: number[] = [];
  let rowsRead = 0;
  let bytesRead = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const rs = await ch.client.query({ query: sql, format: "JSON" });
    const body = await rs.json<{ statistics?: { rows_read: number; bytes_read: number } }>();
    times.push(performance.now() - t);
    rowsRead = Number(body.statistics?.rows_read ?? 0);
    bytesRead = Number(body.statistics?.bytes_read ?? 0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), rowsRead, bytesRead };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

export async function run(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  process.stdout.write(`  scale ${SCALE} of the issue's year; ${DIR}\n`);
  const after = await openClickHouse({
    database: "pw_year",
    target: { kind: "embedded", path: join(DIR, "ch") },
  });
  const before = { ...after, database: "pw_year_before" } as ClickHouseHandle;
  try {
    await migrate(after);
    process.stdout.write("  events through the exporter…\n");
    const source = new SyntheticYear();
    const failingApi = {
      url: "synthetic://api",
      query: async () => {
        throw new ApiError("no API in this bench", "unreachable");
      },
    };
    const exporter = new Exporter(
      exporterConfig({
        clickhouse: { database: after.database, target: { kind: "embedded", path: "" } },
        ponderUrl: "http://synthetic.invalid",
        finalityDepth: 0,
        // 30 days a batch at scale 0.1 (~0.4 M trades), shorter above it to bound memory
        batchBlocks: Math.max(DAY, Math.round((30 * DAY * Math.min(1, 0.1 / SCALE)) / DAY) * DAY),
      }),
      { clickhouse: after, source, api: failingApi, logger },
    );
    const report = await exporter.tick();
    process.stdout.write("  snapshots (raw rows, then rollups by confirmation)…\n");
    const snaps = await loadSnapshots(after);

    process.stdout.write("  today's schema (0001–0004), the same rows…\n");
    await migrate(
      before,
      readMigrations().filter((m) => m.version <= 4),
    );
    await copyToBefore(after, before);
    const dropped = await dropExpiredRaw(after);
    process.stdout.write(
      `  raw rows older than ${DEFAULT_RETENTION.rawDays} days dropped: ${dropped} partitions\n`,
    );
    await after.client.command({ query: `OPTIMIZE TABLE ${after.database}.snap_ladder FINAL` });
    for (const t of [
      "snap_headers",
      "snap_markets",
      "snap_cascades",
      "snap_health",
      "snap_accounts",
    ]) {
      await after.client.command({ query: `OPTIMIZE TABLE ${after.database}.${t} FINAL` });
    }

    const load: string[][] = [["what", "rows", "time", "rate"]];
    load.push([
      `events → exporter (scale ${SCALE})`,
      report.eventRows.toLocaleString("en-US"),
      fmt(report.exportMs),
      `${Math.round(report.eventRows / (report.exportMs / 1000)).toLocaleString("en-US")} rows/s`,
    ]);
    load.push([
      `${snaps.snapshots.toLocaleString("en-US")} snapshots → raw + rollups`,
      snaps.rows.toLocaleString("en-US"),
      fmt(snaps.ms),
      `${Math.round(snaps.rows / (snaps.ms / 1000)).toLocaleString("en-US")} rows/s`,
    ]);
    printTable("Dashboards, a year: loading", load);
    const sizes = await tableSizes(after);
    printTable("Dashboards, a year: storage per table (schema at scale, after retention)", [
      ["table", "rows", "on disk", "bytes/row"],
      ...sizes
        .filter((s) => s.rows > 0)
        .slice(0, 24)
        .map((s) => [
          s.table,
          s.rows.toLocaleString("en-US"),
          mb(s.bytes),
          (s.bytes / s.rows).toFixed(1),
        ]),
    ]);
    for (const p of await projectionSizes(after)) {
      console.log(
        `  projection ${p.table}.${p.name}: ${p.rows.toLocaleString("en-US")} rows, ${mb(p.bytes)} (${(p.bytes / p.rows).toFixed(1)} bytes/row, inside the table's parts above)`,
      );
    }
    const old = await tableSizes(before);
    console.log(
      `  total on disk: schema at scale ${mb(sizes.reduce((a, s) => a + s.bytes, 0))}, today's schema ${mb(old.reduce((a, s) => a + s.bytes, 0))}`,
    );

    process.stdout.write("  panels…\n");
    await after.client.command({ query: `USE ${after.database}` });
    const results: string[][] = [
      [
        "panel",
        "range",
        "after p50 / p95",
        "rows read",
        "before p50 / p95",
        "rows read",
        "before/after",
      ],
    ];
    const worst = new Map<string, number>();
    for (const d of DASHBOARDS) {
      const variables: Record<string, string> = {
        exchange: EXCHANGE,
        market: MARKETS[0]!.symbol,
        account: "1",
      };
      for (const panel of d.panels) {
        const key = `${d.title.replace("Perpwatch / ", "")} / ${panel.title.replace("$market", MARKETS[0]!.symbol).replace("$account", "1")}`;
        const beforeSql = BEFORE_PANELS[`${d.uid} / ${panel.title}`];
        for (const [label, seconds] of RANGES) {
          const range = { from: (NOW - seconds) * 1000, to: NOW * 1000 };
          const intervalMs = grafanaInterval(range, maxDataPointsOf(panel));
          const a = await time(after, panelSql(panel.sql, { ...range, intervalMs, variables }));
          worst.set(label, Math.max(worst.get(label) ?? 0, a.p95));
          let b: Timing | null = null;
          if (beforeSql) {
            await after.client.command({ query: `USE ${before.database}` });
            b = await time(after, panelSql(beforeSql, { ...range, intervalMs, variables }));
            await after.client.command({ query: `USE ${after.database}` });
          }
          results.push([
            key,
            label,
            `${fmt(a.p50)} / ${fmt(a.p95)}`,
            `${a.rowsRead.toLocaleString("en-US")} / ${(a.bytesRead / 1e6).toFixed(1)}`,
            b ? `${fmt(b.p50)} / ${fmt(b.p95)}` : "",
            b ? `${b.rowsRead.toLocaleString("en-US")} / ${(b.bytesRead / 1e6).toFixed(1)}` : "",
            b ? `${(b.p50 / Math.max(a.p50, 0.1)).toFixed(1)}×` : "",
          ]);
        }
      }
    }
    printTable(`Dashboards, a year: panel query time (${RUNS} runs, chDB, this machine)`, results);
    console.log(
      `  worst panel p95 per range: ${[...worst].map(([r, ms]) => `${r} ${fmt(ms)}`).join(", ")} (targets: 6 h and 7 d ≤ 500 ms, 365 d ≤ 2 s)`,
    );
  } finally {
    await after.close();
    if (KEEP)
      process.stdout.write(
        `  kept for EXPLAIN: ${join(DIR, "ch")} (databases pw_year, pw_year_before)\n`,
      );
    else rmSync(DIR, { recursive: true, force: true });
  }
}

/** Today's schema with the same rows: server-side copies from the new tables. */
async function copyToBefore(after: ClickHouseHandle, before: ClickHouseHandle): Promise<void> {
  const a = after.database;
  const b = before.database;
  const copy = async (to: string, from: string) => {
    const cols = (await columnsOf(before, to)).join(", ");
    await after.client.command({
      query: `INSERT INTO ${b}.${to} (${cols}) SELECT ${cols} FROM ${a}.${from}`,
    });
  };
  await copy("trades", "ev_trades");
  await copy("liquidations", "ev_liquidations");
  await copy("adl_events", "ev_adl");
  await copy("funding_updates", "ev_funding");
  await copy("oracle_prices", "ev_oracle_prices");
  await copy("insurance_fund_updates", "ev_insurance_fund");
  await copy("markets", "markets");
  await copy("indexer_status", "indexer_status");
  await copy("snapshots", "snap_headers");
  await copy("market_snapshots", "snap_markets");
  await copy("ladder_buckets", "snap_ladder");
  await copy("cascade_snapshots", "snap_cascades");
  await copy("health_buckets", "snap_health");
  await copy("account_risk", "snap_accounts");
}

if (process.argv[1]?.endsWith("dashboards-year.bench.ts")) {
  await run();
}
