/**
 * Dashboards (issue 8): export throughput into ClickHouse, and how long the dashboards' panel
 * queries take over a day of history. Everything on embedded ClickHouse (chDB), as the tests.
 *
 * 1. From Ponder (devnet): a crash-cascade chain indexed by Ponder (PGlite), then exported from
 *    scratch by the exporter — GraphQL reads, row mapping and ClickHouse inserts — rows/s.
 * 2. A day of simulated history: 86,400 one-second blocks of events (trades, funding, fees,
 *    oracle pushes, liquidations) streamed through the same exporter code path from an
 *    in-process source, so the figure is the exporter and ClickHouse without Ponder; then a
 *    risk snapshot every 10 blocks (8,640 snapshots: the rows of synthetic API answers — the
 *    analytics themselves are the API's, see bench:api — replicated over the day) and a day of
 *    export ticks and alerts.
 * 3. Every panel's SQL over the whole day (24 h range, Grafana's interval for 1,000 points),
 *    macros expanded as the plugin expands them: median and worst of 5 runs, heaviest first.
 * `run()` is called by bench/run.ts; the file also runs alone (`npx tsx bench/dashboards.bench.ts`).
 * PERPWATCH_BENCH_DASHBOARDS_SKIP_PONDER=1 skips part 1.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { type ClickHouseHandle, openClickHouse } from "../dashboards/clickhouse/connect.js";
import { migrate } from "../dashboards/clickhouse/migrate.js";
import { exporterConfig } from "../dashboards/config.js";
import type { PonderRow } from "../dashboards/exporter/eventTables.js";
import { Exporter } from "../dashboards/exporter/exporter.js";
import {
  createPerpwatchApiClient,
  createPonderSource,
  type PonderSource,
  type TableRead,
} from "../dashboards/exporter/ponderSource.js";
import { snapshotRows as rowsOfAnswer } from "../dashboards/exporter/riskSnapshot.js";
import { dateTime64 } from "../dashboards/exporter/values.js";
import { DASHBOARDS, MAX_DATA_POINTS, maxDataPointsOf } from "../dashboards/grafana/build.js";
import { grafanaInterval, panelSql } from "../dashboards/grafana/macros.js";
import { type Manifest, writeManifest } from "../devnet/manifest.js";
import { hasSavedChain, loadChain } from "../devnet/snapshot.js";
import { SeededRandom, syntheticBook } from "../engine/analytics/index.js";
import { REPO_ROOT, startPonder } from "../indexer/runPonder.js";
import { simulateChain } from "../protocols/reference/devnet/simulateChain.js";
import { fakeSnapshotApi, syntheticAnswer } from "../test/dashboards/support/snapshotApi.js";
import { percentile, printTable } from "./report.js";

const DAY_BLOCKS = 86_400;
const GENESIS = 1_767_225_600;
const CHAIN_ID = 31_337;
const EXCHANGE = "reference-31337";
const SYMBOLS = ["BTC", "ETH", "SOL", "DOGE", "WIF"];
const PRICES = [94_000, 3_300, 170, 0.24, 2.3];
const TRADES_PER_BLOCK = 12;
const SNAPSHOT_EVERY = 10;
const DISTINCT_BOOKS = 12;
const BENCH_DIR = join(REPO_ROOT, ".perpwatch", "bench", `dashboards-${process.pid}`);
const logger = pino({ level: "warn" });

const ONE = 10n ** 18n;
const d18 = (x: number) => (BigInt(Math.round(x * 1e6)) * ONE) / 1_000_000n;
const pad = (n: number | bigint, w: number) => n.toString().padStart(w, "0");
/** A Ponder event id (checkpoint): block time, chain, block, tx index, type 5, log index. */
const eventId = (block: number, tx: number, log: number) =>
  `${pad(GENESIS + block, 10)}${pad(CHAIN_ID, 16)}${pad(block, 16)}${pad(tx, 16)}5${pad(log, 16)}`;

/**
 * A day of exchange events in Ponder's GraphQL row shapes, generated on demand by block range
 * (so memory stays flat), and a synthetic book for the state reads.
 */
class SyntheticDay implements PonderSource {
  readonly url = "synthetic://day";
  generationMs = 0;
  private readonly book = bookRows(1, 2_000);

  async head() {
    return {
      chainName: "perpwatch",
      chainId: CHAIN_ID,
      block: DAY_BLOCKS,
      timestamp: GENESIS + DAY_BLOCKS,
    };
  }

  async read(tables: readonly TableRead[]) {
    const out = new Map<string, { rows: PonderRow[]; totalCount?: number }>();
    const started = performance.now();
    for (const t of tables) {
      const range = /blockNumber_gte: "(\d+)", blockNumber_lte: "(\d+)"/.exec(t.where ?? "");
      if (range)
        out.set(t.key, { rows: this.events(t.graphql, Number(range[1]), Number(range[2])) });
      else if (t.graphql === "markets") out.set(t.key, { rows: this.book.markets });
      else if (t.graphql === "accounts") out.set(t.key, { rows: this.book.accounts });
      else if (t.graphql === "positions") out.set(t.key, { rows: this.book.positions });
      else if (t.graphql === "exchanges") out.set(t.key, { rows: [this.book.exchange] });
      else out.set(t.key, { rows: [], totalCount: 0 });
    }
    this.generationMs += performance.now() - started;
    return out;
  }

  private events(table: string, from: number, to: number): PonderRow[] {
    const rows: PonderRow[] = [];
    for (let b = Math.max(1, from); b <= to; b++) {
      const rng = new SeededRandom(b);
      const at = { blockNumber: String(b) };
      const tx = (i: number) => `0x${pad(b, 32)}${pad(i, 32)}`;
      if (table === "priceUpdates") {
        SYMBOLS.forEach((_, m) => {
          const price = PRICES[m]! * (1 + 0.05 * Math.sin(b / 5_000 + m));
          rows.push({
            id: eventId(b, 0, m),
            marketId: String(m + 1),
            price: d18(price).toString(),
            publishTime: String(GENESIS + b),
            ...at,
            logIndex: m,
          });
        });
        continue;
      }
      for (let i = 0; i < TRADES_PER_BLOCK; i++) {
        const m = Math.floor(rng.uniform() * 5);
        const log = 5 + i * 3;
        const size = (((rng.uniform() - 0.5) * 10) / PRICES[m]!) * 1_000;
        const price = PRICES[m]!;
        if (table === "positionChanges") {
          rows.push({
            id: eventId(b, i + 1, log),
            accountId: String(1 + Math.floor(rng.uniform() * 2_000)),
            marketId: String(m + 1),
            kind: "trade",
            sizeDelta: d18(size).toString(),
            newSize: d18(size * 2).toString(),
            fillPrice: d18(price).toString(),
            realizedPnl: d18(rng.uniform() * 10).toString(),
            realizedFunding: "0",
            fee: d18(Math.abs(size) * price * 0.0005).toString(),
            newCollateral: d18(10_000).toString(),
            ...at,
            logIndex: log,
            txHash: tx(i),
          });
        } else if (table === "fundingUpdates") {
          rows.push({
            id: eventId(b, i + 1, log + 1),
            marketId: String(m + 1),
            price: d18(price).toString(),
            skew: d18(size * 50).toString(),
            fundingRate: d18(0.0001 * Math.sin(b / 900)).toString(),
            fundingVelocity: d18(0.001).toString(),
            fundingIndex: d18(b / 1e4).toString(),
            timestamp: String(GENESIS + b),
            ...at,
            logIndex: log + 1,
          });
        } else if (table === "insuranceFundUpdates") {
          rows.push({
            id: eventId(b, i + 1, log + 2),
            delta: d18(Math.abs(size) * price * 0.0005).toString(),
            newBalance: d18(250_000 + b).toString(),
            reason: "fee",
            ...at,
            logIndex: log + 2,
            txHash: tx(i),
          });
        }
      }
      if (
        b % 300 === 0 &&
        (table === "liquidations" || table === "adlEvents" || table === "badDebtUpdates")
      ) {
        const log = 200;
        if (table === "liquidations") {
          rows.push({
            id: eventId(b, 99, log),
            accountId: String(b % 2_000),
            liquidator: "0x00000000000000000000000000000000000000aa",
            equity: d18(-500).toString(),
            maintenanceMargin: d18(2_000).toString(),
            notional: d18(80_000).toString(),
            keeperReward: d18(40).toString(),
            penaltyToInsurance: "0",
            insuranceCovered: d18(540).toString(),
            badDebt: "0",
            ...at,
            logIndex: log,
            txHash: tx(99),
          });
        } else if (table === "adlEvents") {
          rows.push({
            id: eventId(b, 100, log + 1),
            bankruptAccountId: String(b % 2_000),
            counterpartyAccountId: "7",
            marketId: "2",
            sizeDelta: d18(-1).toString(),
            bankruptcyPrice: d18(3_000).toString(),
            lossAbsorbed: d18(120).toString(),
            ...at,
            logIndex: log + 1,
            txHash: tx(100),
          });
        } else {
          rows.push({
            id: eventId(b, 99, log + 2),
            accountId: String(b % 2_000),
            marketId: "2",
            recordSize: "0",
            recordDebt: "0",
            marketBadDebt: "0",
            ...at,
            logIndex: log + 2,
            txHash: tx(99),
          });
        }
      }
    }
    return rows;
  }
}

/** What the API answers for the exporter's snapshot of the synthetic book at `block`. */
function answerOf(seed: number, block: number) {
  return syntheticAnswer({
    seed,
    block,
    timestamp: GENESIS + block,
    markets: SYMBOLS.map((symbol, m) => ({ id: String(m + 1), symbol })),
    accounts: 2_000,
    insuranceFund: "250000",
  });
}

/** A synthetic book as the rows Ponder's GraphQL returns. */
function bookRows(seed: number, accounts: number) {
  const book = syntheticBook({ seed, accounts, timestamp: BigInt(GENESIS + DAY_BLOCKS) });
  const s = book.state;
  const markets: PonderRow[] = s.markets.map((m) => {
    const p = s.oracle.prices[m.marketId.toString()]!;
    return {
      marketId: m.marketId.toString(),
      symbol: m.symbol,
      ...Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, v.toString()])),
      price: p.price.toString(),
      priceTime: p.publishTime.toString(),
      skew: m.state.skew.toString(),
      sizeLong: m.state.sizeLong.toString(),
      sizeShort: m.state.sizeShort.toString(),
      fundingRate: m.state.lastFundingRate.toString(),
      fundingIndex: m.state.lastFundingIndex.toString(),
      fundingTime: m.state.lastFundingTime.toString(),
      badDebt: m.state.badDebt.toString(),
      updatedBlock: "1",
    };
  });
  const rows = { accounts: [] as PonderRow[], positions: [] as PonderRow[] };
  for (const a of Object.values(s.accounts)) {
    rows.accounts.push({
      accountId: a.accountId.toString(),
      owner: a.owner,
      collateral: a.collateral.toString(),
      openMarkets: a.openMarkets.toString(),
      updatedBlock: "1",
    });
    for (const [marketId, p] of Object.entries(a.positions)) {
      rows.positions.push({
        accountId: a.accountId.toString(),
        marketId,
        size: p.size.toString(),
        lastPrice: p.lastPrice.toString(),
        lastFundingIndex: p.lastFundingIndex.toString(),
        updatedBlock: "1",
      });
    }
  }
  const exchange: PonderRow = {
    id: EXCHANGE,
    chainId: CHAIN_ID,
    insuranceFund: (250_000n * ONE).toString(),
    accountCount: String(accounts),
    updatedBlock: "1",
  };
  return { markets, exchange, ...rows, timestamp: book.timestamp };
}

async function countRows(ch: ClickHouseHandle, tables: readonly string[]): Promise<number> {
  let n = 0;
  for (const t of tables) {
    const rs = await ch.client.query({
      query: `SELECT count() AS n FROM ${ch.database}.${t}`,
      format: "JSONEachRow",
    });
    n += Number((await rs.json<{ n: string }>())[0]!.n);
  }
  return n;
}

/**
 * Part 1: export a real devnet's history from Ponder's GraphQL. The chain is the indexer
 * benchmark's saved crash-cascade (3,500 accounts, 320 blocks) when it exists, or a smaller
 * one simulated here.
 */
async function fromPonder(): Promise<string[][]> {
  const dir = join(BENCH_DIR, "ponder");
  mkdirSync(dir, { recursive: true });
  const saved = join(REPO_ROOT, ".perpwatch", "bench", "chain-crash-cascade-42-3500-320.json");
  let stopChain: () => Promise<void>;
  let manifest: Manifest;
  let rpcUrl: string;
  if (hasSavedChain(saved)) {
    process.stdout.write(`  loading ${saved} and indexing it…\n`);
    const loaded = await loadChain(saved);
    stopChain = () => loaded.anvil.stop();
    manifest = loaded.manifest;
    rpcUrl = loaded.anvil.rpcUrl;
  } else {
    process.stdout.write(
      "  simulating crash-cascade (300 accounts, 320 blocks) and indexing it…\n",
    );
    const chain = await simulateChain({
      scenario: "crash-cascade",
      seed: 42,
      accounts: 300,
      ticks: 320,
    });
    stopChain = () => chain.anvil.stop();
    manifest = chain.manifest;
    rpcUrl = chain.anvil.rpcUrl;
  }
  const manifestPath = join(dir, "manifest.json");
  writeManifest(manifestPath, manifest);
  const ponder = await startPonder({
    manifestPath,
    database: { kind: "pglite", directory: join(dir, "pglite") },
    readyTimeoutMs: 1_800_000,
  });
  const ch = await openClickHouse({
    database: "pw_bench_ponder",
    target: { kind: "embedded", path: join(BENCH_DIR, "clickhouse") },
  });
  try {
    const head = await blockNumber(rpcUrl);
    await ponder.waitForBlock(head, 1_800_000);
    await migrate(ch);
    const exporter = new Exporter(
      exporterConfig({
        clickhouse: { database: ch.database, target: { kind: "embedded", path: "" } },
        ponderUrl: ponder.url,
        finalityDepth: 0,
      }),
      {
        clickhouse: ch,
        source: createPonderSource(ponder.url),
        api: createPerpwatchApiClient(ponder.url),
        logger,
      },
    );
    const report = await exporter.tick();
    const rows = report.eventRows;
    return [
      [
        "Ponder GraphQL (PGlite) → exporter → chDB",
        `${rows.toLocaleString("en-US")} event rows in ${(report.exportMs / 1000).toFixed(1)} s`,
        `${Math.round(rows / (report.exportMs / 1000)).toLocaleString("en-US")} rows/s`,
        `crash-cascade devnet, blocks 0–${head}, 2,000-block batches`,
      ],
    ];
  } finally {
    await ch.close();
    await ponder.stop();
    await stopChain();
  }
}

async function blockNumber(rpcUrl: string): Promise<number> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
  });
  return Number(BigInt(((await res.json()) as { result: string }).result));
}

export async function run(): Promise<void> {
  rmSync(BENCH_DIR, { recursive: true, force: true });
  mkdirSync(BENCH_DIR, { recursive: true });
  const throughput: string[][] = [["path", "rows", "rate", "notes"]];
  try {
    if (process.env.PERPWATCH_BENCH_DASHBOARDS_SKIP_PONDER !== "1")
      throughput.push(...(await fromPonder()));

    const ch = await openClickHouse({
      database: "pw_bench_day",
      target: { kind: "embedded", path: join(BENCH_DIR, "clickhouse") },
    });
    try {
      await migrate(ch);
      const db = ch.database;
      // 2a. A day of events through the exporter's own path.
      process.stdout.write("  exporting a day of events (86,400 blocks)…\n");
      const source = new SyntheticDay();
      const api = fakeSnapshotApi(answerOf(1, DAY_BLOCKS));
      const exporter = new Exporter(
        exporterConfig({
          clickhouse: { database: db, target: { kind: "embedded", path: "" } },
          ponderUrl: "http://synthetic.invalid",
          finalityDepth: 0,
          batchBlocks: 2_000,
        }),
        { clickhouse: ch, source, api, logger },
      );
      const report = await exporter.tick();
      const exportMs = report.exportMs - source.generationMs;
      const eventTables = [
        "trades",
        "funding_updates",
        "insurance_fund_updates",
        "oracle_prices",
        "liquidations",
        "adl_events",
        "bad_debt_updates",
      ];
      const eventRows = await countRows(ch, eventTables);
      throughput.push([
        "synthetic day → exporter → chDB",
        `${eventRows.toLocaleString("en-US")} event rows in ${(exportMs / 1000).toFixed(1)} s`,
        `${Math.round(eventRows / (exportMs / 1000)).toLocaleString("en-US")} rows/s`,
        `mapping + inserts; generating the rows took another ${(source.generationMs / 1000).toFixed(1)} s (excluded); ${report.snapshot ? "1 live snapshot" : "no snapshot"}`,
      ]);

      // 2b. Snapshots every 10 blocks: the rows of a few API answers, replicated.
      process.stdout.write(`  writing ${DAY_BLOCKS / SNAPSHOT_EVERY} snapshots…\n`);
      const computeMs: number[] = [];
      const books = Array.from({ length: DISTINCT_BOOKS }, (_, k) => {
        const answer = answerOf(100 + k, 0);
        const started = performance.now();
        const rows = rowsOfAnswer(
          answer,
          { chainId: CHAIN_ID, exchange: EXCHANGE, snapshotId: "" },
          { topAccounts: 25 },
        );
        computeMs.push(performance.now() - started);
        return rows;
      });
      const tables = [
        ["markets", "market_snapshots"],
        ["ladder", "ladder_buckets"],
        ["cascades", "cascade_snapshots"],
        ["health", "health_buckets"],
        ["accounts", "account_risk"],
      ] as const;
      let snapshotRows = 0;
      const t1 = performance.now();
      const perBatch = 200;
      for (let start = SNAPSHOT_EVERY; start <= DAY_BLOCKS; start += perBatch * SNAPSHOT_EVERY) {
        const batch: Record<string, Record<string, unknown>[]> = { snapshots: [] };
        for (
          let block = start;
          block < start + perBatch * SNAPSHOT_EVERY && block <= DAY_BLOCKS;
          block += SNAPSHOT_EVERY
        ) {
          const src = books[(block / SNAPSHOT_EVERY) % DISTINCT_BOOKS]!;
          const at = { block_number: block, block_time: GENESIS + block, snapshot_id: `s${block}` };
          for (const [key, table] of tables) {
            const list = batch[table] ?? [];
            batch[table] = list;
            list.push(...(src[key] as Record<string, unknown>[]).map((r) => ({ ...r, ...at })));
          }
          batch.snapshots!.push({
            ...src.header,
            ...at,
            status: "confirmed",
            version: 1,
            basis_from: block + 1,
            basis_to: block,
            basis_digest: "",
          });
        }
        for (const [table, values] of Object.entries(batch)) {
          await ch.client.insert({ table: `${db}.${table}`, values, format: "JSONEachRow" });
          snapshotRows += values.length;
        }
      }
      const snapMs = performance.now() - t1;
      computeMs.sort((a, b) => a - b);
      throughput.push([
        "snapshot rows → chDB",
        `${snapshotRows.toLocaleString("en-US")} rows in ${(snapMs / 1000).toFixed(1)} s`,
        `${Math.round(snapshotRows / (snapMs / 1000)).toLocaleString("en-US")} rows/s`,
        `${DAY_BLOCKS / SNAPSHOT_EVERY} snapshots; mapping an API answer per snapshot (2,000 accounts) p50 ${percentile(computeMs, 0.5).toFixed(0)} ms`,
      ]);

      // 2c. A day of export ticks (every 2 s) and some alerts, for System health.
      const status: Record<string, unknown>[] = [];
      for (let i = 0; i < 43_200; i++) {
        const at = (GENESIS + 2 * i) * 1000;
        status.push({
          chain_id: CHAIN_ID,
          recorded_at: dateTime64(at + 1500),
          indexed_block: 2 * i,
          indexed_time: GENESIS + 2 * i,
          lag_seconds: 1.5,
          finalized_block: Math.max(0, 2 * i - 30),
          exported_block: Math.max(0, 2 * i - 30),
          chain_head: 2 * i,
          pending_snapshots: 3,
          rows_written: 80,
          tick_ms: 40,
        });
      }
      await ch.client.insert({
        table: `${db}.indexer_status`,
        values: status,
        format: "JSONEachRow",
      });
      const alerts = Array.from({ length: 200 }, (_, i) => ({
        fingerprint: `f${i}`,
        starts_at: dateTime64((GENESIS + i * 400) * 1000),
        rule: "liquidation_wall",
        severity: "critical",
        status: i % 3 ? "resolved" : "firing",
        ends_at: null,
        summary: "",
        labels: {},
        updated_at: dateTime64(Date.now()),
      }));
      await ch.client.insert({
        table: `${db}.alert_events`,
        values: alerts,
        format: "JSONEachRow",
      });
      const deliveries = alerts.map((a, i) => ({
        fingerprint: a.fingerprint,
        starts_at: a.starts_at,
        delivery_id: `d${i}`,
        attempt: 1,
        rule: a.rule,
        channel: "webhook",
        attempted_at: a.starts_at,
        outcome: "delivered",
        http_status: 200,
        error: "",
      }));
      await ch.client.insert({
        table: `${db}.alert_deliveries`,
        values: deliveries,
        format: "JSONEachRow",
      });

      // 3. Every panel over the day.
      process.stdout.write("  querying every panel over the day…\n");
      await ch.client.command({ query: `USE ${db}` });
      const range = { from: GENESIS * 1000, to: (GENESIS + DAY_BLOCKS) * 1000 };
      const latencies: { key: string; p50: number; max: number; rows: number }[] = [];
      for (const d of DASHBOARDS) {
        const variables: Record<string, string> = {};
        for (const v of d.variables ?? [])
          variables[v.name] = v.name === "exchange" ? EXCHANGE : "ETH";
        for (const panel of d.panels) {
          const intervalMs = grafanaInterval(range, maxDataPointsOf(panel));
          const sql = panelSql(panel.sql, { ...range, intervalMs, variables });
          const times: number[] = [];
          let rows = 0;
          for (let i = 0; i < 5; i++) {
            const t = performance.now();
            const rs = await ch.client.query({ query: sql, format: "JSONEachRow" });
            rows = (await rs.json()).length;
            times.push(performance.now() - t);
          }
          times.sort((a, b) => a - b);
          latencies.push({
            key: `${d.title.replace("Perpwatch / ", "")} / ${panel.title}`,
            p50: percentile(times, 0.5),
            max: times.at(-1)!,
            rows,
          });
        }
      }
      latencies.sort((a, b) => b.p50 - a.p50);
      printTable("Dashboards: export throughput (chDB, this machine)", throughput);
      printTable(
        `Dashboards: panel query latency over a day (${DAY_BLOCKS.toLocaleString("en-US")} blocks, interval ${grafanaInterval(range, MAX_DATA_POINTS) / 1000} s unless a panel asks for fewer points), 5 runs, heaviest first`,
        [
          ["panel", "p50", "max", "rows"],
          ...latencies
            .slice(0, 8)
            .map((l) => [
              l.key,
              `${l.p50.toFixed(0)} ms`,
              `${l.max.toFixed(0)} ms`,
              String(l.rows),
            ]),
        ],
      );
      const all = latencies.map((l) => l.p50).sort((a, b) => a - b);
      console.log(
        `  all ${latencies.length} panels: p50 of medians ${percentile(all, 0.5).toFixed(0)} ms, sum of medians ${all.reduce((a, b) => a + b, 0).toFixed(0)} ms`,
      );
    } finally {
      await ch.close();
    }
  } finally {
    rmSync(BENCH_DIR, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("dashboards.bench.ts")) {
  await run();
}
