/**
 * Where requests get their snapshot: the newest indexed block, loaded once per block and
 * shared; and recent blocks kept a while so an account walk can stay on its first page's block.
 *
 * Why throttled: asking the database "which block is indexed?" on every request would double
 * the queries of cheap requests. A request reuses the newest snapshot if the indexer was
 * checked less than `freshnessMs` ago; otherwise one check (and, if a block arrived, one load)
 * runs for all requests waiting at that moment. Every answer says which block it is from, so a
 * fraction of a second of staleness is visible, never silent.
 */

import type { Logger } from "pino";
import type { RiskModel } from "../../engine/risk/riskModel.js";
import { apiError, ErrorCode } from "../errors.js";
import { bookAtBlock } from "./bookAtBlock.js";
import { mergeBook } from "./mergeBook.js";
import { blockEnd, decodeCheckpoint, type PonderReader } from "./ponderReader.js";
import type { BookRows } from "./rows.js";
import { Snapshot } from "./snapshot.js";

/** Blocks rebuilt for `at` kept for the requests that follow (a worker's observation). */
const MAX_REBUILT = 16;

/** Builds from changes at most this many times in a row before a full read. */
const MAX_INCREMENTAL_LOADS = 600;

export interface SnapshotSourceOptions {
  freshnessMs: number;
  /** The exchange's risk model: every figure a snapshot computes comes from it. */
  model: RiskModel;
  /**
   * While a newer block loads, requests are answered from the previous snapshot if it was
   * confirmed current this recently; an older one makes them wait for the load.
   */
  staleMs: number;
  /** Snapshots kept for pinned pagination, newest first. */
  kept: number;
  /**
   * Runs on every new snapshot before it is served (warms its per-block caches); the previous
   * snapshot is served until it settles.
   */
  warm?: (snap: Snapshot) => Promise<unknown> | undefined;
}

export class SnapshotSource {
  private latest: Snapshot | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<Snapshot> | undefined;
  private readonly recent: Snapshot[] = [];
  /** Blocks rebuilt for `at`, by block and the newest block they were rebuilt from. */
  private readonly rebuilt = new Map<string, Promise<Snapshot>>();
  private incrementalLoads = 0;
  /** Logs name the exchange served (one process may serve several). */
  private readonly logger: Logger;

  /** When reads began to find the indexer mid-block, one after the other (null: not now). */
  private busySince: number | null = null;

  constructor(
    private readonly reader: PonderReader,
    private readonly options: SnapshotSourceOptions,
    logger: Logger,
    /**
     * A block's hash on the exchange's chain now (for the reorg check); null without a chain
     * client.
     */
    private readonly blockHash: ((block: bigint) => Promise<string | null>) | null = null,
  ) {
    this.logger = logger.child({ exchange: reader.exchange });
  }

  /**
   * Whether the next snapshot may be built from `prev` and the rows written since: the chain
   * moved forward, the block of the mirror's cursor at `prev` is still on the chain (no reorg
   * reverted rows to an older `updated_block` in between), and a full read happened within the
   * last `MAX_INCREMENTAL_LOADS` loads anyway.
   */
  private async canReadChangesSince(prev: Snapshot, block: bigint): Promise<boolean> {
    const cursor = prev.rows.cursor;
    if (!this.blockHash || !cursor || block <= prev.block) return false;
    if (this.incrementalLoads >= MAX_INCREMENTAL_LOADS) return false;
    try {
      return (await this.blockHash(cursor.block))?.toLowerCase() === cursor.hash.toLowerCase();
    } catch (err) {
      this.logger.debug({ err }, "reorg check failed; reading the whole book");
      return false;
    }
  }

  /**
   * The newest snapshot. Within `freshnessMs` of the last check, the one in memory; after
   * that a check (and, if a block arrived, a load) starts, and meanwhile requests are answered
   * from the previous snapshot as long as it was confirmed within `staleMs` — a new block never
   * makes requests wait for its load and warm-up, and every answer states its block.
   */
  current(): Promise<Snapshot> {
    const age = performance.now() - this.checkedAt;
    if (this.latest && age < this.options.freshnessMs) return Promise.resolve(this.latest);
    const pending = this.startRefresh();
    if (this.latest && age < this.options.staleMs) {
      pending.catch(() => {}); // logged in startRefresh
      return Promise.resolve(this.latest);
    }
    return pending;
  }

  private startRefresh(): Promise<Snapshot> {
    if (!this.inflight) {
      this.inflight = this.refresh().finally(() => {
        this.inflight = undefined;
      });
      this.inflight.catch((err: unknown) => {
        this.logger.warn({ err }, "loading the indexed state failed");
      });
    }
    return this.inflight;
  }

  /** A recent snapshot by its checkpoint, if still kept. */
  pinned(checkpoint: string): Snapshot | undefined {
    return this.recent.find((s) => s.at.checkpoint === checkpoint);
  }

  /**
   * The blocks the indexer committed strictly between two snapshots, rebuilt from `to`'s book
   * and Ponder's reorg log (bookAtBlock.ts), oldest first. Blocks whose log Ponder may already
   * have dropped (finalized) are left out, as are blocks that changed none of the book's rows
   * (their state is the previous block's). A subscription delivers these before `to`.
   */
  async between(from: Snapshot, to: Snapshot): Promise<Snapshot[]> {
    if (to.block <= from.block + 1n) return [];
    const started = performance.now();
    // Every change after block `from` up to the end of block `to`, its own changes included.
    const log = await this.reader.reorgLog(from.block, blockEnd(to.at.checkpoint));
    const blocks = log.blocks.filter((cp) => {
      const { block } = decodeCheckpoint(cp);
      return block > from.block && block < to.block && cp >= log.finalized;
    });
    const snaps = blocks.map((cp) => this.snapshotOf(bookAtBlock(to.rows, log, cp), started));
    this.logger.debug(
      { from: Number(from.block), to: Number(to.block), rebuilt: snaps.length },
      "rebuilt skipped blocks from the reorg log",
    );
    return snaps;
  }

  /**
   * The snapshot at `block`: the newest or a kept one, else rebuilt from the newest and Ponder's
   * reorg log (bookAtBlock.ts). `BLOCK_UNAVAILABLE` when the block is not indexed yet, is
   * final (its log is gone), or changed none of the book's rows (the log does not say when it
   * was). For a client that must read a block it missed (the alert worker's catch-up).
   */
  async at(block: bigint): Promise<Snapshot> {
    const latest = await this.current();
    if (block === latest.block) return latest;
    if (block > latest.block) {
      throw apiError(
        ErrorCode.BLOCK_UNAVAILABLE,
        `block ${block} is not indexed yet (the newest is ${latest.block}); retry shortly`,
      );
    }
    const kept = this.recent.find((s) => s.block === block);
    if (kept) return kept;
    // The queries of one observation ask for the same block together: one rebuild for them.
    const key = `${block}@${latest.at.checkpoint}`;
    let rebuilt = this.rebuilt.get(key);
    if (!rebuilt) {
      rebuilt = this.rebuild(block, latest);
      this.rebuilt.set(key, rebuilt);
      rebuilt.catch(() => this.rebuilt.delete(key));
      if (this.rebuilt.size > MAX_REBUILT) this.rebuilt.delete(this.rebuilt.keys().next().value!);
    }
    return rebuilt;
  }

  private async rebuild(block: bigint, latest: Snapshot): Promise<Snapshot> {
    const started = performance.now();
    const log = await this.reader.reorgLog(block - 1n, blockEnd(latest.at.checkpoint));
    const cp = log.blocks.find((c) => decodeCheckpoint(c).block === block);
    if (!cp || cp < log.finalized) {
      throw apiError(
        ErrorCode.BLOCK_UNAVAILABLE,
        `block ${block} cannot be rebuilt: ${cp ? "it is final and its changes are no longer logged" : "it changed nothing this API keeps, or is final"}; the API serves blocks ${latest.block} and, until final, those that changed its state`,
      );
    }
    return this.snapshotOf(bookAtBlock(latest.rows, log, cp), started);
  }

  /** A snapshot of `rows` with this source's model and exchange, read since `started`. */
  private snapshotOf(rows: BookRows, started: number): Snapshot {
    return new Snapshot(
      rows,
      this.options.model,
      performance.now() - started,
      this.reader.exchange,
    );
  }

  /** Markets of the newest snapshot (for the cost estimate), before any is loaded: 0. */
  marketCount(): number {
    return this.latest?.markets.length ?? 0;
  }

  private async refresh(): Promise<Snapshot> {
    const started = performance.now();
    const at = await this.reader.indexedBlock();
    if (at === null) {
      throw apiError(
        ErrorCode.NOT_READY,
        "the indexer has not indexed any block yet; try again shortly",
      );
    }
    if (this.latest && this.latest.at.checkpoint === at.checkpoint) {
      this.checkedAt = started;
      return this.latest;
    }
    // With a previous block to fall back on, wait little for a consistent read; for the first
    // one, wait through a short catch-up.
    const prev = this.latest;
    const incremental = prev !== undefined && (await this.canReadChangesSince(prev, at.block));
    // While the indexer writes block after block, a short wait may never find it between two
    // blocks; once the served block has been stale for a while, wait longer for a quiet moment.
    const patience = this.busySince !== null && started - this.busySince > 2000 ? 2000 : 100;
    let rows: BookRows | "none" | "busy";
    if (incremental) {
      const changes = await this.reader.changesSince(prev.block, patience);
      rows = typeof changes === "string" ? changes : mergeBook(prev.rows, changes);
    } else {
      rows = await this.reader.book(prev ? patience : 5000);
    }
    if (rows === "none" || (rows === "busy" && !this.latest)) {
      throw apiError(
        ErrorCode.NOT_READY,
        rows === "none"
          ? "the indexer has not indexed any block yet; try again shortly"
          : "the indexer is writing its first blocks; try again shortly",
      );
    }
    if (rows === "busy") {
      this.busySince ??= started;
      // Mid-block: keep serving the last consistent block (every answer states its block).
      this.logger.debug(
        { block: Number(this.latest!.block) },
        "indexer busy; serving the previous block",
      );
      this.checkedAt = started;
      return this.latest!;
    }
    this.busySince = null;
    this.incrementalLoads = incremental ? this.incrementalLoads + 1 : 0;
    const snap = this.snapshotOf(rows, started);
    let warmed: unknown;
    try {
      warmed = await this.options.warm?.(snap);
    } catch (err) {
      this.logger.warn({ err, block: Number(snap.block) }, "warming a snapshot failed");
    }
    this.latest = snap;
    this.checkedAt = started;
    this.recent.unshift(snap);
    if (this.recent.length > this.options.kept) this.recent.length = this.options.kept;
    this.logger.debug(
      {
        block: Number(snap.block),
        accounts: snap.accounts.length,
        loadMs: Math.round(snap.loadMs),
        incremental,
        warmed,
      },
      "loaded snapshot",
    );
    return snap;
  }
}
