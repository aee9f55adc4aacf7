/**
 * The exporter reads one exchange of an indexer that holds several: every read it makes is
 * filtered on that exchange's id, and every ClickHouse row it writes names it. A fake Ponder
 * (two exchanges on one chain, a third on another) answers reads the way Ponder's GraphQL
 * filters them, a fake API (test/dashboards/support/snapshotApi.ts) the snapshots' figures;
 * ClickHouse is chDB. A snapshot waits for the API to serve Ponder's head, and an API that
 * answers for another exchange is refused.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticBook } from "../../engine/analytics/index.js";
import { fakeSnapshotApi, syntheticAnswer } from "../../test/dashboards/support/snapshotApi.js";
import { type ClickHouseHandle, openClickHouse } from "../clickhouse/connect.js";
import { migrate } from "../clickhouse/migrate.js";
import { type ExporterConfig, exporterConfig } from "../config.js";
import type { PonderRow } from "./eventTables.js";
import { Exporter, ExporterStateError } from "./exporter.js";
import type { IndexedHead, PonderSource, TableRead, TableResult } from "./ponderSource.js";

const CHAIN_ID = 31_337;
/** Block times of the last hour: raw snapshots are kept 14 days (a fixed old date would expire at once). */
const GENESIS = Math.floor(Date.now() / 1000) - 3_600;
const HEAD = 100;
const pad = (n: number, w: number) => String(n).padStart(w, "0");
const eventId = (block: number, log: number) =>
  `${pad(GENESIS + block, 10)}${pad(CHAIN_ID, 16)}${pad(block, 16)}${pad(0, 16)}5${pad(log, 16)}`;

/** One exchange's rows, as Ponder's GraphQL returns them, by plural query name. */
function exchangeTables(id: string, chainId: number, seed: number, eventBlock: number) {
  const book = syntheticBook({ seed, accounts: 4, markets: 2 });
  const s = book.state;
  const markets: PonderRow[] = s.markets.map((m) => ({
    exchange: id,
    marketId: m.marketId.toString(),
    symbol: `${id.toUpperCase()}-${m.symbol}`,
    ...Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, v.toString()])),
    price: s.oracle.prices[m.marketId.toString()]!.price.toString(),
    priceTime: String(GENESIS),
    skew: m.state.skew.toString(),
    sizeLong: m.state.sizeLong.toString(),
    sizeShort: m.state.sizeShort.toString(),
    fundingRate: m.state.lastFundingRate.toString(),
    fundingVelocity: "0",
    fundingIndex: m.state.lastFundingIndex.toString(),
    fundingTime: String(GENESIS),
    badDebt: m.state.badDebt.toString(),
    updatedBlock: "1",
  }));
  const accounts: PonderRow[] = [];
  const positions: PonderRow[] = [];
  for (const a of Object.values(s.accounts)) {
    accounts.push({
      exchange: id,
      accountId: a.accountId.toString(),
      owner: a.owner,
      collateral: a.collateral.toString(),
      openMarkets: a.openMarkets.toString(),
      updatedBlock: "1",
    });
    for (const [marketId, p] of Object.entries(a.positions)) {
      positions.push({
        exchange: id,
        accountId: a.accountId.toString(),
        marketId,
        size: p.size.toString(),
        lastPrice: p.lastPrice.toString(),
        lastFundingIndex: p.lastFundingIndex.toString(),
        updatedBlock: "1",
      });
    }
  }
  return {
    exchanges: [
      {
        id,
        chainId,
        address: `0x${pad(seed, 40)}`,
        insuranceFund: (1_000n * 10n ** 18n).toString(),
        accountCount: String(accounts.length),
        updatedBlock: "1",
      },
    ],
    markets,
    accounts,
    positions,
    priceUpdates: markets.map((m, i) => ({
      exchange: id,
      id: eventId(eventBlock, i),
      marketId: String(m.marketId),
      price: String(m.price),
      publishTime: String(GENESIS + eventBlock),
      blockNumber: String(eventBlock),
      logIndex: i,
    })),
  } satisfies Record<string, PonderRow[]>;
}

/** The API serving exchange `tables`' figures at the head. */
function apiOf(tables: ReturnType<typeof exchangeTables>) {
  return fakeSnapshotApi(
    syntheticAnswer({
      block: HEAD,
      timestamp: GENESIS + HEAD,
      markets: tables.markets.map((m) => ({ id: String(m.marketId), symbol: String(m.symbol) })),
      accounts: tables.accounts.length,
      insuranceFund: "1000",
    }),
  );
}

/** A fake Ponder holding `exchanges`' rows, filtering reads as its GraphQL `where` does. */
class FakePonder implements PonderSource {
  readonly url = "fake://ponder";
  readonly reads: TableRead[] = [];
  private readonly tables = new Map<string, PonderRow[]>();

  constructor(exchanges: ReturnType<typeof exchangeTables>[]) {
    for (const ex of exchanges) {
      for (const [name, rows] of Object.entries(ex)) {
        this.tables.set(name, [...(this.tables.get(name) ?? []), ...rows]);
      }
    }
  }

  async head(chainName: string): Promise<IndexedHead> {
    return { chainName, chainId: CHAIN_ID, block: HEAD, timestamp: GENESIS + HEAD };
  }

  async read(tables: readonly TableRead[]): Promise<Map<string, TableResult>> {
    const out = new Map<string, TableResult>();
    for (const t of tables) {
      this.reads.push(t);
      const where = t.where ?? "";
      const field = (name: string) => new RegExp(`\\b${name}: "([^"]*)"`).exec(where)?.[1];
      const [exchange, id, from, to] = [
        field("exchange"),
        field("id"),
        field("blockNumber_gte"),
        field("blockNumber_lte"),
      ];
      const rows = (this.tables.get(t.graphql) ?? []).filter(
        (r) =>
          (exchange === undefined || r.exchange === exchange) &&
          (id === undefined || r.id === id) &&
          (from === undefined || Number(r.blockNumber) >= Number(from)) &&
          (to === undefined || Number(r.blockNumber) <= Number(to)),
      );
      out.set(t.key, { rows, totalCount: rows.length });
    }
    return out;
  }
}

describe("exporter: one exchange of several", () => {
  let dir: string;
  let ch: ClickHouseHandle;
  const logger = pino({ level: "silent" });
  const a = exchangeTables("a", CHAIN_ID, 1, 5);
  const b = exchangeTables("b", CHAIN_ID, 2, 6);
  const both = () => new FakePonder([a, b]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "perpwatch-exporter-"));
    ch = await openClickHouse({
      database: "pw_exporter",
      target: { kind: "embedded", path: join(dir, "ch") },
    });
  });
  afterAll(async () => {
    await ch?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A database of its own (same chDB store), migrated. */
  async function database(name: string): Promise<ClickHouseHandle> {
    const handle = { ...ch, database: name };
    await migrate(handle);
    return handle;
  }

  const config = (handle: ClickHouseHandle, over: Partial<ExporterConfig> = {}) =>
    exporterConfig({
      clickhouse: { database: handle.database, target: { kind: "embedded", path: "" } },
      ponderUrl: "http://fake",
      finalityDepth: 10,
      snapshotEveryBlocks: 1,
      ...over,
    });

  async function rows<T>(handle: ClickHouseHandle, sql: string): Promise<T[]> {
    const rs = await handle.client.query({ query: sql, format: "JSONEachRow" });
    return rs.json<T>();
  }

  it("reads only the configured exchange's rows and names it in every row it writes", async () => {
    const db = await database("pw_exporter_b");
    const source = both();
    const api = apiOf(b);
    api.lagBlocks(3); // the API still serves the block before Ponder's head: the snapshot waits
    const exporter = new Exporter(config(db, { exchange: "b" }), {
      clickhouse: db,
      source,
      api,
      logger,
    });
    const report = await exporter.tick();
    expect(report.eventRows).toBe(2);
    expect(report.snapshot?.block).toBe(HEAD);
    expect(api.operations.filter((op) => op === "PerpwatchSnapshotProbe")).toHaveLength(4);

    // Every read is filtered on exchange b (its `exchange` column, or the exchange table's id).
    expect(source.reads.length).toBeGreaterThan(0);
    for (const r of source.reads) {
      const filter = r.graphql === "exchanges" ? 'id: "b"' : 'exchange: "b"';
      expect({ table: r.graphql, where: r.where }).toEqual({
        table: r.graphql,
        where: expect.stringContaining(filter),
      });
    }

    const d = db.database;
    expect(
      await rows(db, `SELECT exchange, symbol FROM ${d}.ev_oracle_prices FINAL ORDER BY symbol`),
    ).toEqual([
      expect.objectContaining({ exchange: "b" }),
      expect.objectContaining({ exchange: "b" }),
    ]);
    const symbols = await rows<{ symbol: string }>(db, `SELECT symbol FROM ${d}.ev_oracle_prices`);
    expect(symbols.every((r) => r.symbol.startsWith("B-"))).toBe(true);
    for (const table of [
      "markets",
      "snap_headers",
      "snap_markets",
      "snap_ladder",
      "snap_cascades",
      "snap_health",
      "snap_accounts",
      "export_cursor",
      "indexer_status",
    ]) {
      const names = await rows<{ exchange: string }>(
        db,
        `SELECT DISTINCT exchange FROM ${d}.${table}`,
      );
      expect({ table, names }).toEqual({ table, names: [{ exchange: "b" }] });
    }
    const [snap] = await rows<{ accounts: number; block_number: string; insurance_fund: string }>(
      db,
      `SELECT accounts, block_number, insurance_fund FROM ${d}.snap_headers`,
    );
    expect(snap).toEqual({ accounts: 4, block_number: String(HEAD), insurance_fund: "1000" });
    const markets = await rows<{ symbol: string; n: string }>(
      db,
      `SELECT symbol, count() AS n FROM ${d}.snap_ladder GROUP BY symbol ORDER BY symbol`,
    );
    expect(markets).toEqual(b.markets.map((m) => ({ symbol: m.symbol, n: "61" })));

    // The same database, another exchange of the same chain: refused in one line.
    const other = new Exporter(config(db, { exchange: "a" }), {
      clickhouse: db,
      source: both(),
      api: apiOf(a),
      logger,
    });
    const err = await other.tick().then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(ExporterStateError);
    expect(err?.message).toMatch(/holds the history of exchange b on chain 31337, not of a/);
  });

  it("without a configured exchange, exports the only one and refuses to guess among several", async () => {
    const db = await database("pw_exporter_only");
    const only = new Exporter(config(db), {
      clickhouse: db,
      source: new FakePonder([a]),
      api: apiOf(a),
      logger,
    });
    expect((await only.tick()).eventRows).toBe(2);
    expect(
      await rows(db, `SELECT DISTINCT exchange FROM ${db.database}.ev_oracle_prices FINAL`),
    ).toEqual([{ exchange: "a" }]);

    const fresh = await database("pw_exporter_several");
    const several = new Exporter(config(fresh), {
      clickhouse: fresh,
      source: both(),
      api: apiOf(a),
      logger,
    });
    await expect(several.tick()).rejects.toThrow(
      /^the indexer has 2 exchanges \(a, b\); set PERPWATCH_EXPORT_EXCHANGE to the one to export$/,
    );

    // Nothing indexed yet: the tick waits.
    const none = new Exporter(config(db, { exchange: "z" }), {
      clickhouse: db,
      source: both(),
      api: apiOf(a),
      logger,
    });
    expect(await none.tick()).toMatchObject({ eventRows: 0, snapshot: null });
  });

  it("refuses an exchange that is not on the chain it reads the head of", async () => {
    const db = await database("pw_exporter_chain");
    const c = exchangeTables("c", 10, 3, 5);
    const exporter = new Exporter(config(db, { exchange: "c" }), {
      clickhouse: db,
      source: new FakePonder([c]),
      api: apiOf(c),
      logger,
    });
    await expect(exporter.tick()).rejects.toThrow(
      /^exchange c is on chain 10, but Ponder's chain "perpwatch" is chain 31337; set PERPWATCH_CHAIN_NAME/,
    );
  });

  it("refuses an API that answers for another exchange than the one exported", async () => {
    const db = await database("pw_exporter_api");
    const exporter = new Exporter(config(db, { exchange: "b" }), {
      clickhouse: db,
      source: both(),
      api: apiOf(a),
      logger,
    });
    await expect(exporter.tick()).rejects.toThrow(
      /^the API at http:\/\/fake-api\/graphql does not answer for exchange b at block 100: markets 1:A-\w+, 2:A-\w+, the indexer's 1:B-\w+, 2:B-\w+$/,
    );
    const [n] = await rows<{ n: string }>(
      db,
      `SELECT count() AS n FROM ${db.database}.snap_headers`,
    );
    expect(n!.n).toBe("0");
  });
});
