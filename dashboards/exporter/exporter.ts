/**
 * The exporter's tick: stream the indexer's finalized events into ClickHouse, take a risk
 * snapshot at the indexed head every few blocks, settle earlier snapshots, and record how far
 * everything lags.
 *
 * Reorg policy (the choice the issue asks for, and why):
 * - Events are exported only once final — at or below `head − finalityDepth`, Ponder's own
 *   depth for the chain (30 on devnets; reorgs deeper than that stop Ponder by design). A
 *   final block never changes, so ClickHouse never holds an event a reorg removed, and no
 *   tombstones are needed. Writes are idempotent: ReplacingMergeTree keyed by
 *   (chain, block, log index), the cursor written after the rows, so a crash or a re-export
 *   rewrites the same rows and every FINAL query sees each event once.
 * - Snapshots must be live, so they are taken at the head — their figures are the API's at
 *   that block (riskSnapshot.ts), asked once the API serves the block Ponder reports — and
 *   carry their basis: the range of blocks that were not yet final and a digest of those
 *   blocks' events (blockDigest.ts).
 *   Every tick re-reads that range from Ponder: a different digest means the snapshot was of a
 *   fork the indexer has since replaced, and it is marked "orphaned" at once; once the range
 *   is final and the digest still matches it is "confirmed". Panels show only pending and
 *   confirmed snapshots (`visible_snapshots`). So an orphaned snapshot disappears on the first
 *   tick after Ponder has handled the reorg, and a fresh snapshot of the new head follows.
 * - A snapshot's id is a digest of chain, exchange, block and basis, so re-taking the same
 *   snapshot (a restart, a re-export) writes the same rows, and snapshots of two forks (or two
 *   exchanges) never share one.
 * - The cursor remembers the last exported block with events and their digest; a new process
 *   first checks the indexer still has those events, so a devnet restarted under the same
 *   chain id is refused instead of appended to the old chain's history.
 *
 * One exchange per exporter: the indexer's tables hold every configured exchange, each row
 * naming its exchange's id; the exporter reads only the rows of its own (`config.exchange`,
 * or the only one the indexer has) and stamps every ClickHouse row with that id. The cursor is
 * per chain, so a ClickHouse database holds one exchange per chain: a cursor of another
 * exchange on the same chain is refused.
 */
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { type ApiClient, ApiError } from "../../runtime/apiClient.js";
import type { ClickHouseHandle } from "../clickhouse/connect.js";
import type { ExporterConfig } from "../config.js";
import { blockDigests, rangeDigest } from "./blockDigest.js";
import {
  BASE_COLUMNS,
  batchMarkets,
  EVENT_TABLES,
  type PonderRow,
  type RowContext,
  toValues,
} from "./eventTables.js";
import {
  blockRange,
  exchangeWhere,
  type IndexedHead,
  type PonderSource,
  type TableRead,
} from "./ponderSource.js";
import {
  answerBlock,
  fetchSnapshot,
  probeApi,
  type SnapshotAnswer,
  SnapshotMovedError,
  type SnapshotRows,
  snapshotRows,
} from "./riskSnapshot.js";
import { rollUpConfirmed, writeLatest } from "./snapshotRollups.js";
import {
  blockTimeOfEventId,
  d18,
  dateTime64,
  fromDecimal,
  insertRows,
  insertValues,
} from "./values.js";

/** Ponder's finality depth per chain id (ponder/src/utils/finality.ts), 30 by default. */
export function defaultFinalityDepth(chainId: number): number {
  if ([1, 3, 4, 5, 42, 11155111].includes(chainId)) return 65;
  if ([137, 80001].includes(chainId)) return 200;
  if ([42161, 42170, 421611, 421613].includes(chainId)) return 240;
  return 30;
}

export interface ExporterDeps {
  clickhouse: ClickHouseHandle;
  source: PonderSource;
  /** Perpwatch's GraphQL API (`<ponder url>/graphql`): the figures of every risk snapshot. */
  api: ApiClient;
  logger: Logger;
  now?: () => number;
}

export interface TickReport {
  head: IndexedHead | null;
  finalizedBlock: number;
  /** Last block whose events are in ClickHouse (−1: none yet). */
  exportedBlock: number;
  rowsWritten: number;
  /** Event rows exported this tick, and the time that took (reads, mapping, inserts). */
  eventRows: number;
  exportMs: number;
  snapshot: { id: string; block: number; status: string } | null;
  /** A snapshot was due but the indexer moved during every read (taken next tick). */
  deferred: boolean;
  confirmed: number;
  orphaned: number;
  pending: number;
  ms: number;
}

interface SnapshotHeader extends Record<string, unknown> {
  block_time: string | number;
  snapshot_id: string;
  block_number: string | number;
  basis_from: string | number;
  basis_to: string | number;
  basis_digest: string;
  status: string;
}

/**
 * What the indexer says of the exchange at the head, to check the API's answer is of the same
 * exchange and block: its insurance fund and its markets' symbols.
 */
function identityReads(exchange: string): TableRead[] {
  return [
    {
      key: "exchange",
      graphql: "exchanges",
      fields: ["insuranceFund", "updatedBlock"],
      where: `{ id: ${JSON.stringify(exchange)} }`,
    },
    {
      key: "markets",
      graphql: "markets",
      fields: ["marketId", "symbol", "updatedBlock"],
      where: exchangeWhere(exchange),
    },
  ];
}

const READ_ATTEMPTS = 8;
/** How long a snapshot waits for the API to serve the block Ponder has indexed, and how often it asks. */
const API_WAIT_MS = 5_000;
const API_POLL_MS = 50;

/** The API's figures for a snapshot, and how long asking took. */
interface Fetched {
  answer: SnapshotAnswer;
  fetchMs: number;
}

interface ConsistentRead {
  head: IndexedHead;
  res: Map<string, { rows: PonderRow[]; totalCount?: number }>;
  /** The API's figures at `head` (when a snapshot was asked for). */
  fetched: Fetched | null;
}

/** The latest block any row read is stamped with (`blockNumber` or `updatedBlock`). */
function latestStamp(res: ReadonlyMap<string, { rows: PonderRow[] }>): number {
  let max = -1;
  for (const { rows } of res.values()) {
    for (const r of rows) {
      const b = Number(r.blockNumber ?? r.updatedBlock ?? -1);
      if (b > max) max = b;
    }
  }
  return max;
}

/** The last block with events in a batch and its digest (or the previous anchor). */
function anchorOf(
  res: ReadonlyMap<string, { rows: PonderRow[] }>,
  previous: Cursor,
): Pick<Cursor, "anchorBlock" | "anchorDigest"> {
  let last = -1;
  for (const t of EVENT_TABLES) {
    for (const r of res.get(t.table)?.rows ?? []) last = Math.max(last, Number(r.blockNumber));
  }
  if (last < 0) return { anchorBlock: previous.anchorBlock, anchorDigest: previous.anchorDigest };
  const rows = new Map(
    EVENT_TABLES.map((t) => [
      t.table,
      (res.get(t.table)?.rows ?? []).filter((r) => Number(r.blockNumber) === last),
    ]),
  );
  return { anchorBlock: last, anchorDigest: rangeDigest(blockDigests(rows), last, last) };
}

const DETAIL_TABLES: readonly [keyof SnapshotRows, string][] = [
  ["markets", "snap_markets"],
  ["ladder", "snap_ladder"],
  ["cascades", "snap_cascades"],
  ["health", "snap_health"],
  ["accounts", "snap_accounts"],
];

/** The export cursor: last exported block, and the anchor that identifies the chain. */
interface Cursor {
  block: number;
  anchorBlock: number;
  anchorDigest: string;
  /** The exchange it is of ('' when written before exchanges were recorded). */
  exchange: string;
}

/** The history in ClickHouse cannot be continued from this indexer, one line. */
export class ExporterStateError extends Error {
  override readonly name = "ExporterStateError";
}

export class Exporter {
  private cursor: Cursor | null = null;
  /** The exchange exported, once known (see `resolveExchange`). */
  private exchangeId: string | null = null;
  private sameChain = false;
  private lastSnapshotBlock: number | null = null;
  private marketsSignature = "";
  /** Highest block stored per event table (see `notYetStored`); unknown until first asked. */
  private readonly storedUpTo = new Map<string, number>();
  private readonly now: () => number;

  constructor(
    private readonly config: ExporterConfig,
    private readonly deps: ExporterDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  private get db(): string {
    return this.deps.clickhouse.database;
  }

  private async select<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const rs = await this.deps.clickhouse.client.query({
      query,
      query_params: params,
      format: "JSONEachRow",
    });
    return rs.json<T>();
  }

  private async insert(table: string, values: readonly Record<string, unknown>[]): Promise<void> {
    await insertRows(this.deps.clickhouse, table, values);
  }

  private async loadCursor(chainId: number): Promise<Cursor> {
    if (this.cursor !== null) return this.cursor;
    const rows = await this.select<{ b: string; a: string; d: string; e: string }>(
      `SELECT exported_block AS b, anchor_block AS a, anchor_digest AS d, exchange AS e
       FROM ${this.db}.export_cursor FINAL WHERE chain_id = {c:UInt64}`,
      { c: chainId },
    );
    const r = rows[0];
    this.cursor = r
      ? { block: Number(r.b), anchorBlock: Number(r.a), anchorDigest: r.d, exchange: r.e }
      : { block: -1, anchorBlock: -1, anchorDigest: "", exchange: "" };
    return this.cursor;
  }

  /** Last block whose events are exported for `chainId` (−1 when none). */
  async exportedBlock(chainId: number): Promise<number> {
    return (await this.loadCursor(chainId)).block;
  }

  /** Makes the next tick export again from `block + 1` (−1: from the start). */
  async resetCursor(chainId: number, block: number): Promise<void> {
    const exchange = this.exchangeId ?? this.config.exchange ?? "";
    await this.writeCursor(chainId, { block, anchorBlock: -1, anchorDigest: "", exchange });
  }

  private async writeCursor(chainId: number, cursor: Cursor): Promise<void> {
    await this.insert("export_cursor", [
      {
        chain_id: chainId,
        exchange: cursor.exchange,
        exported_block: cursor.block,
        anchor_block: cursor.anchorBlock,
        anchor_digest: cursor.anchorDigest,
        updated_at: dateTime64(this.now()),
      },
    ]);
    this.cursor = cursor;
  }

  /**
   * Before the first export of this process: is the history in ClickHouse of the chain the
   * indexer serves? The last exported block with events must have the same events (digest)
   * in the indexer; a devnet restarted under the same chain id would otherwise append a new
   * chain to the old one's history. "wait" while the indexer has not reached that block.
   */
  private async checkSameChain(head: IndexedHead, exchange: string): Promise<"ok" | "wait"> {
    if (this.sameChain) return "ok";
    const c = await this.loadCursor(head.chainId);
    if (c.exchange !== "" && c.exchange !== exchange) {
      throw new ExporterStateError(
        `ClickHouse database ${this.db} holds the history of exchange ${c.exchange} on chain ${head.chainId}, not of ${exchange} (one exchange per chain and database); use another CLICKHOUSE_DATABASE or PERPWATCH_CLICKHOUSE_DIR`,
      );
    }
    if (c.anchorBlock >= 0) {
      if (head.block < c.anchorBlock) return "wait";
      const res = await this.deps.source.read(
        EVENT_TABLES.map((t) => ({
          key: t.table,
          graphql: t.graphql,
          fields: t.fields,
          where: blockRange(exchange, c.anchorBlock, c.anchorBlock),
        })),
      );
      const digests = blockDigests(
        new Map(EVENT_TABLES.map((t) => [t.table, res.get(t.table)?.rows ?? []])),
      );
      if (rangeDigest(digests, c.anchorBlock, c.anchorBlock) !== c.anchorDigest) {
        throw new ExporterStateError(
          `ClickHouse database ${this.db} holds another chain's history: block ${c.anchorBlock} of chain ${head.chainId} differs from the indexer's (a new devnet?); use a fresh CLICKHOUSE_DATABASE or PERPWATCH_CLICKHOUSE_DIR`,
        );
      }
    }
    this.sameChain = true;
    return "ok";
  }

  /**
   * The exchange exported: `config.exchange`, or the only exchange the indexer has; null while
   * the indexer has no row of it yet. It must live on the chain the head is read from.
   */
  private async resolveExchange(head: IndexedHead): Promise<string | null> {
    if (this.exchangeId !== null) return this.exchangeId;
    const wanted = this.config.exchange;
    const res = await this.deps.source.read([
      {
        key: "exchanges",
        graphql: "exchanges",
        fields: ["id", "chainId"],
        where: wanted === undefined ? undefined : `{ id: ${JSON.stringify(wanted)} }`,
      },
    ]);
    const rows = res.get("exchanges")?.rows ?? [];
    if (rows.length > 1) {
      throw new ExporterStateError(
        `the indexer has ${rows.length} exchanges (${rows.map((r) => r.id).join(", ")}); set PERPWATCH_EXPORT_EXCHANGE to the one to export`,
      );
    }
    const row = rows[0];
    if (!row) return null;
    if (Number(row.chainId) !== head.chainId) {
      throw new ExporterStateError(
        `exchange ${String(row.id)} is on chain ${String(row.chainId)}, but Ponder's chain "${head.chainName}" is chain ${head.chainId}; set PERPWATCH_CHAIN_NAME to the exchange's chain`,
      );
    }
    this.exchangeId = String(row.id);
    return this.exchangeId;
  }

  /** One round: export what became final, settle and take snapshots, record the lag. */
  async tick(): Promise<TickReport> {
    const started = performance.now();
    const report: TickReport = {
      head: null,
      finalizedBlock: -1,
      exportedBlock: -1,
      rowsWritten: 0,
      eventRows: 0,
      exportMs: 0,
      snapshot: null,
      deferred: false,
      confirmed: 0,
      orphaned: 0,
      pending: 0,
      ms: 0,
    };
    const head = await this.deps.source.head(this.config.chainName);
    if (!head) {
      report.ms = performance.now() - started;
      return report;
    }
    report.head = head;
    const depth = this.config.finalityDepth ?? defaultFinalityDepth(head.chainId);
    const finalized = Math.max(0, head.block - depth);
    report.finalizedBlock = finalized;

    const exchange = await this.resolveExchange(head);
    if (exchange === null) {
      this.deps.logger.debug(
        { exchange: this.config.exchange ?? null },
        "the indexer has no exchange to export yet; waiting",
      );
      report.ms = performance.now() - started;
      return report;
    }
    if ((await this.checkSameChain(head, exchange)) === "wait") {
      this.deps.logger.debug({ head: head.block }, "indexer below the exported history; waiting");
      report.exportedBlock = await this.exportedBlock(head.chainId);
      report.ms = performance.now() - started;
      return report;
    }
    const symbols = await this.refreshMarkets(head.chainId, exchange);
    const ctx: RowContext = { chainId: head.chainId, exchange, symbols };
    const exportStarted = performance.now();
    report.eventRows = await this.exportFinalized(ctx, finalized);
    report.exportMs = performance.now() - exportStarted;
    report.rowsWritten += report.eventRows;
    report.exportedBlock = await this.exportedBlock(head.chainId);

    await this.settleAndSnapshot(head.chainId, exchange, depth, report);
    if (report.snapshot !== null || report.orphaned > 0)
      await writeLatest(this.deps.clickhouse, exchange, this.now());
    await this.recordStatus(head, exchange, report, started);
    report.ms = performance.now() - started;
    return report;
  }

  /** Market symbols by id, and the `markets` dimension table kept up to date. */
  private async refreshMarkets(chainId: number, exchange: string): Promise<Map<string, string>> {
    const res = await this.deps.source.read([
      {
        key: "markets",
        graphql: "markets",
        fields: ["marketId", "symbol", "updatedBlock"],
        where: exchangeWhere(exchange),
      },
    ]);
    const rows = res.get("markets")?.rows ?? [];
    const symbols = new Map(rows.map((r) => [String(r.marketId), String(r.symbol)]));
    const signature = rows.map((r) => `${r.marketId}:${r.symbol}`).join(",");
    if (signature !== this.marketsSignature) {
      await this.insert(
        "markets",
        rows.map((r) => ({
          chain_id: chainId,
          exchange,
          market_id: Number(r.marketId),
          symbol: String(r.symbol),
          updated_block: String(r.updatedBlock),
        })),
      );
      this.marketsSignature = signature;
    }
    return symbols;
  }

  /** Exports events of blocks (cursor, finalized] in batches; returns the rows written. */
  private async exportFinalized(ctx: RowContext, finalized: number): Promise<number> {
    let cursor = await this.loadCursor(ctx.chainId);
    let written = 0;
    while (cursor.block < finalized) {
      const from = cursor.block + 1;
      const to = Math.min(finalized, cursor.block + this.config.batchBlocks);
      const res = await this.deps.source.read(
        EVENT_TABLES.map((t) => ({
          key: t.table,
          graphql: t.graphql,
          fields: t.fields,
          where: blockRange(ctx.exchange, from, to),
        })),
      );
      const batchCtx = { ...ctx, txMarkets: batchMarkets(res.get("ev_trades")?.rows ?? []) };
      for (const spec of EVENT_TABLES) {
        const read = await this.notYetStored(spec.table, ctx.exchange, res.get(spec.table)?.rows);
        const rows = read.map((r) => toValues(spec, r, batchCtx));
        await insertValues(
          this.deps.clickhouse,
          spec.table,
          [...BASE_COLUMNS, ...spec.columns],
          rows,
        );
        written += rows.length;
      }
      cursor = { ...anchorOf(res, cursor), block: to, exchange: ctx.exchange };
      await this.writeCursor(ctx.chainId, cursor);
      this.deps.logger.debug({ from, to, rows: written }, "exported finalized blocks");
    }
    return written;
  }

  /**
   * The rows of `rows` not yet in `table`, so that every event reaches the per-minute
   * aggregates once (their materialized views add what is inserted; the raw table would merge
   * a duplicate away, a sum would not). Only batches at or below the highest block already
   * stored can hold stored rows — a restart after a crash between the rows and the cursor, or
   * a `resetCursor` — so only those are looked up.
   */
  private async notYetStored(
    table: string,
    exchange: string,
    rows: readonly PonderRow[] | undefined,
  ): Promise<readonly PonderRow[]> {
    if (!rows || rows.length === 0) return [];
    let stored = this.storedUpTo.get(table);
    if (stored === undefined) {
      const [r] = await this.select<{ b: string; n: string }>(
        `SELECT max(block_number) AS b, count() AS n FROM ${this.db}.${table} WHERE exchange = {e:String}`,
        { e: exchange },
      );
      stored = r && Number(r.n) > 0 ? Number(r.b) : -1;
      this.storedUpTo.set(table, stored);
    }
    const key = (block: unknown, log: unknown, field: unknown) => `${block}:${log}:${field ?? ""}`;
    let lo = Number.POSITIVE_INFINITY;
    let hi = -1;
    for (const r of rows) {
      const b = Number(r.blockNumber);
      lo = Math.min(lo, b);
      hi = Math.max(hi, b);
    }
    this.storedUpTo.set(table, Math.max(stored, hi));
    if (lo > stored) return rows;
    let t0 = Number.POSITIVE_INFINITY;
    let t1 = 0;
    for (const r of rows) {
      const t = blockTimeOfEventId(String(r.eventId ?? r.id));
      t0 = Math.min(t0, t);
      t1 = Math.max(t1, t);
    }
    const have = await this.select<{ b: string; l: number; f: string }>(
      `SELECT block_number AS b, log_index AS l, ${table === "ev_mirror_divergences" ? "field" : "''"} AS f
       FROM ${this.db}.${table}
       WHERE exchange = {e:String} AND block_time BETWEEN {t0:UInt32} AND {t1:UInt32} AND block_number BETWEEN {lo:UInt64} AND {hi:UInt64}`,
      { e: exchange, t0, t1, lo, hi },
    );
    const seen = new Set(have.map((h) => key(h.b, h.l, h.f)));
    return rows.filter(
      (r) =>
        !seen.has(key(r.blockNumber, r.logIndex, table === "ev_mirror_divergences" ? r.field : "")),
    );
  }

  /** `exchange` matches the exchange's rows and those written before rows named one. */
  private async pendingSnapshots(chainId: number, exchange: string): Promise<SnapshotHeader[]> {
    return this.select<SnapshotHeader>(
      `SELECT * FROM ${this.db}.snap_headers FINAL WHERE exchange IN ({e:String}, '') AND chain_id = {c:UInt64} AND status = 'pending' ORDER BY block_number`,
      { c: chainId, e: exchange },
    );
  }

  private async lastVisibleSnapshot(chainId: number, exchange: string): Promise<number | null> {
    const rows = await this.select<{ b: string | null; n: string }>(
      `SELECT max(block_number) AS b, count() AS n FROM ${this.db}.snap_headers FINAL WHERE exchange IN ({e:String}, '') AND chain_id = {c:UInt64} AND status != 'orphaned'`,
      { c: chainId, e: exchange },
    );
    return rows[0] && Number(rows[0].n) > 0 ? Number(rows[0].b) : null;
  }

  private async setStatus(rows: readonly SnapshotHeader[], status: string): Promise<void> {
    const version = this.now();
    const updated = rows.map((r) => ({ ...r, status, version }));
    await this.insert("snap_headers", updated);
    if (status === "confirmed") await rollUpConfirmed(this.deps.clickhouse, updated);
  }

  /**
   * Reads the unfinalized window as of one indexed head and, for a snapshot, the API's figures
   * at that head. Two checks, because Ponder may index while we read (and on PGlite a read can
   * see a block's rows before its transaction commits the new head): `/status` must be the
   * same before and after, and no row read may be stamped with a later block (every row Ponder
   * writes for block b carries b: `blockNumber` or `updatedBlock`). The API answers of the
   * block it has loaded, which may trail Ponder's head by a moment: the read waits (up to
   * `API_WAIT_MS`) until the API serves the head. Retried a few times; on a chain faster than
   * the reads the snapshot waits for the next tick, as it does while the API cannot be reached.
   */
  private async consistentRead(
    exchange: string,
    depth: number,
    pending: readonly SnapshotHeader[],
    snapshot: boolean,
  ): Promise<ConsistentRead | null> {
    const waitUntil = performance.now() + API_WAIT_MS;
    let attempts = 0;
    while (attempts < READ_ATTEMPTS) {
      const head = await this.deps.source.head(this.config.chainName);
      if (!head) return null;
      let fetched: Fetched | null = null;
      if (snapshot) {
        let got: Awaited<ReturnType<Exporter["askApi"]>>;
        try {
          got = await this.askApi(exchange, head);
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          this.deps.logger.warn({ err: err.message }, "API unavailable; snapshot deferred");
          return null;
        }
        if (got === "behind" && performance.now() < waitUntil) {
          await new Promise((r) => setTimeout(r, API_POLL_MS));
          continue;
        }
        attempts++;
        if (typeof got === "string") continue;
        fetched = got;
      } else attempts++;
      const finalized = Math.max(0, head.block - depth);
      const from = Math.min(finalized + 1, ...pending.map((p) => Number(p.basis_from)));
      const reads: TableRead[] = EVENT_TABLES.map((t) => ({
        key: t.table,
        graphql: t.graphql,
        fields: t.fields,
        where: blockRange(exchange, from, head.block),
      }));
      if (snapshot) reads.push(...identityReads(exchange));
      const res = await this.deps.source.read(reads);
      const after = await this.deps.source.head(this.config.chainName);
      if (
        after &&
        after.block === head.block &&
        after.timestamp === head.timestamp &&
        latestStamp(res) <= head.block
      ) {
        return { head, res, fetched };
      }
    }
    this.deps.logger.debug(
      { attempts: READ_ATTEMPTS },
      "indexer or API moved during every read; snapshot deferred to the next tick",
    );
    return null;
  }

  /**
   * The API's figures for `exchange` (every field's `exchange` argument) at Ponder's head
   * `head`: "behind" while the API serves an earlier block (or is not ready), "moved" when it
   * serves another one or moved between requests.
   */
  private async askApi(exchange: string, head: IndexedHead): Promise<Fetched | "behind" | "moved"> {
    const started = performance.now();
    try {
      const probe = await probeApi(this.deps.api, exchange);
      if (probe.block < head.block) return "behind";
      if (probe.block !== head.block || probe.timestamp !== head.timestamp) return "moved";
      const answer = await fetchSnapshot(this.deps.api, probe.marketIds, {
        ladderMaxMove: this.config.ladderMaxMove,
        ladderStep: this.config.ladderStep,
        exchange,
      });
      const at = answerBlock(answer);
      if (at.block !== head.block || at.timestamp !== head.timestamp) return "moved";
      return { answer, fetchMs: performance.now() - started };
    } catch (err) {
      if (err instanceof SnapshotMovedError) return "moved";
      if (err instanceof ApiError && err.code === "NOT_READY") return "behind";
      throw err;
    }
  }

  /**
   * The API must answer for the exchange exported, at the block read: its insurance fund and
   * markets must be the indexer's (a wrong API URL: another indexer's API).
   */
  private checkSameExchange(
    exchange: string,
    head: IndexedHead,
    res: ConsistentRead["res"],
    answer: SnapshotAnswer,
  ): void {
    const problems: string[] = [];
    const fund = res.get("exchange")?.rows[0]?.insuranceFund;
    if (fund !== undefined && fund !== null) {
      if (fromDecimal(answer.insuranceFund.balance) !== BigInt(String(fund))) {
        problems.push(
          `insurance fund ${answer.insuranceFund.balance}, the indexer's ${d18(String(fund))}`,
        );
      }
    }
    const symbols = new Map(
      (res.get("markets")?.rows ?? []).map((r) => [String(r.marketId), String(r.symbol)]),
    );
    const served = answer.markets.map((m) => `${m.id}:${m.symbol}`).join(", ");
    const indexed = [...symbols].map(([id, symbol]) => `${id}:${symbol}`).join(", ");
    if (served !== indexed)
      problems.push(`markets ${served || "none"}, the indexer's ${indexed || "none"}`);
    if (problems.length > 0) {
      throw new ExporterStateError(
        `the API at ${this.deps.api.url} does not answer for exchange ${exchange} at block ${head.block}: ${problems.join("; ")}`,
      );
    }
  }

  private async settleAndSnapshot(
    chainId: number,
    exchange: string,
    depth: number,
    report: TickReport,
  ): Promise<void> {
    const pending = await this.pendingSnapshots(chainId, exchange);
    if (this.lastSnapshotBlock === null)
      this.lastSnapshotBlock = await this.lastVisibleSnapshot(chainId, exchange);
    const dueAt = (block: number) =>
      this.lastSnapshotBlock === null ||
      block - this.lastSnapshotBlock >= this.config.snapshotEveryBlocks;
    const head0 = report.head!;
    const due = dueAt(head0.block);
    if (pending.length === 0 && !due) return;

    const read = await this.consistentRead(exchange, depth, pending, due);
    if (!read) {
      report.pending = pending.length;
      report.deferred = true;
      return;
    }
    const { head, res } = read;
    const finalized = Math.max(0, head.block - depth);
    const digests = blockDigests(
      new Map(EVENT_TABLES.map((t) => [t.table, res.get(t.table)?.rows ?? []])),
    );

    // Settle earlier snapshots against what the indexer holds now.
    const orphaned: SnapshotHeader[] = [];
    const confirmed: SnapshotHeader[] = [];
    for (const p of pending) {
      const from = Number(p.basis_from);
      const to = Number(p.basis_to);
      if (to > head.block) continue; // the new fork has not reached it yet
      if (rangeDigest(digests, from, to) !== p.basis_digest) orphaned.push(p);
      else if (to <= finalized) confirmed.push(p);
    }
    if (orphaned.length > 0) {
      await this.setStatus(orphaned, "orphaned");
      this.lastSnapshotBlock = await this.lastVisibleSnapshot(chainId, exchange);
      this.deps.logger.warn(
        { blocks: orphaned.map((p) => Number(p.block_number)) },
        "snapshots of reorged blocks orphaned",
      );
    }
    if (confirmed.length > 0) await this.setStatus(confirmed, "confirmed");
    report.orphaned = orphaned.length;
    report.confirmed = confirmed.length;
    report.pending = pending.length - orphaned.length - confirmed.length;

    if (!(orphaned.length > 0 || dueAt(head.block))) return;
    if (read.fetched) {
      await this.takeSnapshot(chainId, exchange, depth, read, report);
      return;
    }
    // Orphans to replace, and the API was not asked yet: read the head again, with it.
    const again = await this.consistentRead(exchange, depth, [], true);
    if (!again) {
      report.deferred = true;
      return;
    }
    await this.takeSnapshot(chainId, exchange, depth, again, report);
  }

  /** Writes the snapshot of `read` (the API's figures and the events of its unfinal blocks). */
  private async takeSnapshot(
    chainId: number,
    exchange: string,
    depth: number,
    read: ConsistentRead,
    report: TickReport,
  ): Promise<void> {
    const { head, res, fetched } = read;
    if (!fetched) return;
    const digests = blockDigests(
      new Map(EVENT_TABLES.map((t) => [t.table, res.get(t.table)?.rows ?? []])),
    );
    const basisFrom = Math.max(0, head.block - depth) + 1;
    const basisTo = head.block;
    const basisDigest = rangeDigest(digests, basisFrom, basisTo);
    const id = createHash("sha256")
      .update(`${chainId}:${exchange}:${head.block}:${basisDigest}`)
      .digest("hex")
      .slice(0, 24);
    const exists = await this.select<{ n: string }>(
      `SELECT count() AS n FROM ${this.db}.snap_headers WHERE exchange = {e:String} AND block_time = {t:UInt32} AND chain_id = {c:UInt64} AND snapshot_id = {id:String}`,
      { c: chainId, id, e: exchange, t: head.timestamp },
    );
    if (Number(exists[0]?.n ?? 0) > 0) {
      this.lastSnapshotBlock = head.block;
      return;
    }
    if (fetched.answer.markets.length === 0) return; // nothing deployed yet
    this.checkSameExchange(exchange, head, res, fetched.answer);
    const rows: SnapshotRows = snapshotRows(
      fetched.answer,
      { chainId, exchange, snapshotId: id },
      { topAccounts: this.config.topAccounts, fetchMs: fetched.fetchMs },
    );
    // Details first, the header last: a snapshot is visible only once it is whole.
    for (const [key, table] of DETAIL_TABLES) {
      const detail = rows[key] as Record<string, unknown>[];
      await this.insert(table, detail);
      report.rowsWritten += detail.length;
    }
    const status = basisFrom > basisTo ? "confirmed" : "pending";
    const header = {
      ...rows.header,
      status,
      version: this.now(),
      basis_from: basisFrom,
      basis_to: Math.max(basisFrom - 1, basisTo),
      basis_digest: basisDigest,
    };
    await this.insert("snap_headers", [header]);
    if (status === "confirmed")
      await rollUpConfirmed(this.deps.clickhouse, [header as unknown as SnapshotHeader]);
    report.rowsWritten += 1;
    if (status === "pending") report.pending += 1;
    this.lastSnapshotBlock = head.block;
    report.snapshot = { id, block: head.block, status };
  }

  private async chainHead(): Promise<number | null> {
    if (!this.config.rpcUrl) return null;
    try {
      const res = await fetch(this.config.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
        signal: AbortSignal.timeout(2000),
      });
      const body = (await res.json()) as { result?: string };
      return body.result ? Number(BigInt(body.result)) : null;
    } catch {
      return null;
    }
  }

  private async recordStatus(
    head: IndexedHead,
    exchange: string,
    report: TickReport,
    started: number,
  ) {
    const now = this.now();
    await this.insert("indexer_status", [
      {
        chain_id: head.chainId,
        exchange,
        recorded_at: dateTime64(now),
        indexed_block: head.block,
        indexed_time: head.timestamp,
        lag_seconds: Math.max(0, now / 1000 - head.timestamp),
        finalized_block: report.finalizedBlock,
        exported_block: Math.max(0, report.exportedBlock),
        chain_head: await this.chainHead(),
        pending_snapshots: report.pending,
        rows_written: report.rowsWritten,
        tick_ms: performance.now() - started,
      },
    ]);
  }
}
