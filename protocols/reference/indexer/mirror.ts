/**
 * The self-checking mirror: replays every contract call through engine/exact, writes the
 * state it produces, and checks each log the chain emitted against the log the engine
 * emitted for the same call.
 *
 * How, per log (in chain order):
 * 1. A log that starts a call (see replay.ts) loads the state the call needs, runs the
 *    engine's operation on it, writes the resulting state, and keeps the engine's logs as the
 *    expectation for the rest of the call.
 * 2. Every log — the first one included — is matched with the next expected log and compared
 *    field by field (checks.ts). A difference, a log the engine did not predict, a log the
 *    engine predicted but the chain never emitted, or a call the engine says reverts, becomes
 *    a `mirror_check` row, and the chain's values are applied (overrides.ts). Nothing throws.
 * 3. Every log appends its history row (history.ts).
 * 4. At the end of every block (`endBlock`, Ponder's block event, ordered after the block's
 *    logs) the exchange, market and price rows are written once (mirrorTables.ts).
 *
 * Between logs the mirror keeps the exchange in memory (mirrorState.ts), checked against the
 * tables' `mirror_cursor` at the first log of every block and reloaded from the tables when
 * Ponder reverted or replayed blocks; and the expectation of the current transaction, keyed
 * by block hash, transaction hash and log index, so a re-run of a batch, a reorg (the
 * replacement block has another hash) or a restart starts clean.
 */

import type { ExchangeKey } from "../../protocol.js";
import {
  applyOperation,
  type ExchangeEvent,
  InsuranceReason,
  type Operation,
  PositionChange,
} from "../engine/index.js";
import { compareEvents, type Mismatch, mismatch, recordMismatches } from "./checks.js";
import { recordHistory } from "./history.js";
import { MirrorState } from "./mirrorState.js";
import {
  hasBlockRows,
  loadMirror,
  readCursor,
  writeBlockRows,
  writeChanges,
  writeCursor,
} from "./mirrorTables.js";
import { applyChainValues } from "./overrides.js";
import {
  type Replay,
  replayAccountCreated,
  replayAdlFill,
  replayCollateralModified,
  replayCreateMarket,
  replayEmptyAdl,
  replayInsuranceDeposit,
  replayMaxPriceAgeSet,
  replayPositionModified,
  replayPriceUpdated,
  replaySetMarketParams,
  replayUpdaterSet,
} from "./replay.js";
import type { AnyChainEvent, ChainEvent, Db } from "./types.js";

/** The expectation of the transaction being indexed. */
interface TxExpectation {
  blockHash: string;
  txHash: string;
  lastLogIndex: number;
  /** The engine's logs of the current call not yet matched with the chain's. */
  expected: ExchangeEvent[];
  /** The call being matched (null before the transaction's first call). */
  call: Operation | null;
  /** The last call was an ADL fill: its trailing logs are replaced by the next fill's. */
  adlTrailing: boolean;
  /** The engine could not replay the current call: follow the chain's values silently. */
  chainOnly: boolean;
  /** Logs whose call is only known from the next log (`MarketCreated`, an ADL fill's
   *  `PositionModified`). */
  deferred: AnyChainEvent[];
  /** The last log seen, to attach "missing log" checks to. */
  last: AnyChainEvent;
}

export class ReferenceMirror {
  private tx: TxExpectation | null = null;
  private mem: MirrorState | null = null;

  /**
   * @param exchange the exchange this mirror indexes (every row it writes names it).
   * @param blockEnd whether `endBlock` is called after every block's logs (the adapter's
   * block source). Without it the exchange, market and price rows are written after every
   * call instead — the same tables, more writes.
   */
  constructor(
    private readonly exchange: ExchangeKey,
    private readonly blockEnd = true,
  ) {}

  /** Indexes one log of the exchange or its oracle. */
  async handle(db: Db, ev: AnyChainEvent): Promise<void> {
    const mem = await this.memory(db, ev);
    const tx = await this.begin(db, ev);
    const replayed = await this.dispatch(db, mem, tx, ev);
    if (!replayed) await this.match(db, mem, tx, ev);
    await recordHistory(db, ev);
  }

  /** The end of a block: writes the exchange, market and price rows its logs changed. */
  async endBlock(db: Db, block: { number: bigint; hash: `0x${string}` }): Promise<void> {
    const mem = this.mem;
    if (mem === null || !hasBlockRows(mem)) return;
    if (mem.block?.hash === block.hash) {
      await writeBlockRows(db, mem, block.number);
    } else {
      // Changes of another block still unwritten: this memory is not the tables' (cannot
      // happen while every block ends here); the next log reloads it from the tables.
      this.mem = null;
      this.tx = null;
    }
  }

  /**
   * The in-memory mirror, valid for `ev`: kept within a block; at a new block kept only if
   * the tables' cursor still names the block it last applied (otherwise Ponder reverted or
   * replayed blocks, and it is reloaded); reloaded too when a log comes again.
   */
  private async memory(db: Db, ev: AnyChainEvent): Promise<MirrorState> {
    let mem = this.mem;
    if (mem !== null && ev.id > mem.lastEventId && mem.block?.hash === ev.blockHash) {
      mem.lastEventId = ev.id;
      return mem;
    }
    if (mem !== null) {
      const cursor = await readCursor(db, this.exchange.id);
      const same =
        ev.id > mem.lastEventId &&
        (cursor === null
          ? mem.block === null
          : cursor.hash === mem.block?.hash && cursor.number === mem.block.number);
      if (!same) {
        // Ponder reverted or re-ran blocks: what this process remembers is not the tables'.
        mem = null;
        this.tx = null;
      }
    }
    if (mem === null) {
      // No cursor yet: nothing was ever indexed, so there is nothing to read.
      const cursor = await readCursor(db, this.exchange.id);
      mem = cursor === null ? new MirrorState(this.exchange) : await loadMirror(db, this.exchange);
    }
    if (mem.block?.hash !== ev.blockHash) {
      // Normally written at the end of the previous block already (endBlock).
      if (mem.block !== null) await writeBlockRows(db, mem, mem.block.number);
      await writeCursor(db, mem, { number: ev.blockNumber, hash: ev.blockHash });
    }
    mem.lastEventId = ev.id;
    this.mem = mem;
    return mem;
  }

  /** Writes the chain's post-state of `ev`; the memory no longer matches and is reloaded. */
  private async repair(db: Db, mem: MirrorState, ev: AnyChainEvent): Promise<void> {
    // The tables must hold everything the memory knows before the memory is dropped.
    await writeBlockRows(db, mem, ev.blockNumber);
    await applyChainValues(db, this.exchange, ev);
    this.mem = null;
  }

  /** The expectation for `ev`'s transaction: kept if `ev` continues it, fresh otherwise. */
  private async begin(db: Db, ev: AnyChainEvent): Promise<TxExpectation> {
    const t = this.tx;
    if (
      t !== null &&
      t.blockHash === ev.blockHash &&
      t.txHash === ev.txHash &&
      ev.logIndex > t.lastLogIndex
    ) {
      t.lastLogIndex = ev.logIndex;
      t.last = ev;
      return t;
    }
    if (t !== null && (t.blockHash !== ev.blockHash || t.txHash !== ev.txHash)) {
      // The previous transaction is over: whatever it still owed was never emitted.
      await this.settle(db, t);
    }
    const fresh: TxExpectation = {
      blockHash: ev.blockHash,
      txHash: ev.txHash,
      lastLogIndex: ev.logIndex,
      expected: [],
      call: null,
      adlTrailing: false,
      chainOnly: false,
      deferred: [],
      last: ev,
    };
    this.tx = fresh;
    return fresh;
  }

  /** Records the expected logs that never came and the deferred logs that found no partner. */
  private async settle(db: Db, t: TxExpectation): Promise<void> {
    if (!t.chainOnly) await recordMismatches(db, t.last, t.expected.map(mismatch.missing));
    t.expected = [];
    t.adlTrailing = false;
    await this.flushDeferred(db, t);
  }

  /**
   * Starts a call when `ev` is the first log of one (returns true: `ev` was matched), defers
   * `ev` when its call is only known from the next log (true), or returns false for a log
   * that continues the current call.
   */
  private async dispatch(
    db: Db,
    mem: MirrorState,
    tx: TxExpectation,
    ev: AnyChainEvent,
  ): Promise<boolean> {
    switch (ev.name) {
      case "PriceUpdated":
        await this.replay(db, mem, tx, replayPriceUpdated(ev.args), [ev]);
        return true;
      case "UpdaterSet":
        await this.replay(db, mem, tx, replayUpdaterSet(ev.args), [ev]);
        return true;
      case "MaxPriceAgeSet":
        await this.replay(db, mem, tx, replayMaxPriceAgeSet(ev.args), [ev]);
        return true;
      case "AccountCreated":
        await this.replay(db, mem, tx, replayAccountCreated(ev.args), [ev]);
        return true;
      case "CollateralModified":
        await this.replay(db, mem, tx, replayCollateralModified(ev.args), [ev]);
        return true;
      case "InsuranceFundUpdated":
        if (ev.args.reason !== InsuranceReason.Deposit) return false;
        await this.replay(db, mem, tx, replayInsuranceDeposit(ev.args), [ev]);
        return true;
      case "MarketCreated":
        await this.defer(db, tx, ev);
        return true;
      case "MarketParamsSet": {
        const created = this.takeDeferred(
          tx,
          (d): d is ChainEvent<"MarketCreated"> =>
            d.name === "MarketCreated" && d.args.marketId === ev.args.marketId,
        );
        const replay = created
          ? replayCreateMarket(created.args, ev.args)
          : replaySetMarketParams(ev.args);
        await this.replay(db, mem, tx, replay, created ? [created, ev] : [ev]);
        return true;
      }
      case "PositionModified": {
        if (ev.args.kind === PositionChange.Adl) {
          await this.defer(db, tx, ev);
          return true;
        }
        const next = tx.expected[0];
        if (
          ev.args.kind === PositionChange.Liquidation &&
          tx.call?.kind === "liquidate" &&
          tx.call.accountId === ev.args.accountId &&
          (tx.chainOnly ||
            (next?.name === "PositionModified" && next.args.kind === PositionChange.Liquidation))
        ) {
          // The next close of the liquidation in progress.
          return false;
        }
        const replay = replayPositionModified(ev.args);
        if (replay === null) return false;
        await this.replay(db, mem, tx, replay, [ev]);
        return true;
      }
      case "PositionAutoDeleveraged": {
        const fill = this.takeDeferred(
          tx,
          (d): d is ChainEvent<"PositionModified"> =>
            d.name === "PositionModified" &&
            d.args.kind === PositionChange.Adl &&
            d.args.accountId === ev.args.counterpartyAccountId &&
            d.args.marketId === ev.args.marketId,
        );
        await this.replay(db, mem, tx, replayAdlFill(ev.args), fill ? [fill, ev] : [ev]);
        return true;
      }
      case "BadDebtRecorded":
        if (tx.expected[0]?.name === "BadDebtRecorded" || tx.chainOnly) return false;
        await this.replay(db, mem, tx, replayEmptyAdl(ev.args), [ev]);
        return true;
      default:
        return false;
    }
  }

  private async defer(db: Db, tx: TxExpectation, ev: AnyChainEvent): Promise<void> {
    if (tx.deferred.length > 0) await this.flushDeferred(db, tx);
    tx.deferred.push(ev);
  }

  private takeDeferred<T extends AnyChainEvent>(
    tx: TxExpectation,
    pred: (d: AnyChainEvent) => d is T,
  ): T | undefined {
    const i = tx.deferred.findIndex(pred);
    if (i < 0) return undefined;
    const [d] = tx.deferred.splice(i, 1);
    return d as T;
  }

  private async flushDeferred(db: Db, tx: TxExpectation): Promise<void> {
    const deferred = tx.deferred;
    tx.deferred = [];
    for (const d of deferred) await recordMismatches(db, d, [mismatch.unexpected(d, "unpaired")]);
  }

  /**
   * Replays one call: loads its state, applies the engine operation, writes the result and
   * matches `chainLogs` (the call's logs seen so far) with the engine's first logs.
   */
  private async replay(
    db: Db,
    mem: MirrorState,
    tx: TxExpectation,
    replay: Replay,
    chainLogs: readonly AnyChainEvent[],
  ): Promise<void> {
    const first = chainLogs[chainLogs.length - 1]!;
    if (tx.deferred.length > 0) await this.flushDeferred(db, tx);
    if (tx.expected.length > 0 && !(tx.adlTrailing && replay.op.kind === "autoDeleverage")) {
      // A new call began while the previous one still owed logs.
      const owed = tx.expected;
      tx.expected = [];
      if (!tx.chainOnly) await recordMismatches(db, first, owed.map(mismatch.missing));
    }
    tx.call = replay.op;
    const before = mem.slice(replay.accounts);
    const sender =
      typeof replay.sender === "string"
        ? replay.sender
        : (before.accounts[replay.sender.ownerOf.toString()]?.owner ??
          "0x0000000000000000000000000000000000000000");
    const result = applyOperation(before, replay.op, {
      timestamp: first.timestamp,
      sender,
    });
    if (!result.ok) {
      tx.expected = [];
      tx.adlTrailing = false;
      tx.chainOnly = true;
      await recordMismatches(db, first, [mismatch.revert(result.error)]);
      for (const ev of chainLogs) await this.repair(db, mem, ev);
      return;
    }
    const block = { number: first.blockNumber, timestamp: first.timestamp };
    await writeChanges(db, mem, before, result.state, block);
    mem.absorb(result.state);
    if (!this.blockEnd) await writeBlockRows(db, mem, block.number);
    tx.expected = result.events;
    tx.chainOnly = false;
    tx.adlTrailing = replay.op.kind === "autoDeleverage";
    for (const ev of chainLogs) await this.match(db, mem, tx, ev);
  }

  /** Matches `ev` with the next expected log; records and repairs any difference. */
  private async match(
    db: Db,
    mem: MirrorState,
    tx: TxExpectation,
    ev: AnyChainEvent,
  ): Promise<void> {
    if (tx.chainOnly) {
      await this.repair(db, mem, ev);
      return;
    }
    // The next expected log of this name; the ones before it were never emitted.
    const at = tx.expected.findIndex((e) => e.name === ev.name);
    let mismatches: Mismatch[];
    if (at < 0) {
      mismatches = [mismatch.unexpected(ev, tx.expected[0]?.name ?? "none")];
    } else {
      const skipped = tx.expected.splice(0, at + 1);
      const expected = skipped.pop()!;
      mismatches = skipped.map(mismatch.missing);
      mismatches.push(...compareEvents(ev, expected));
    }
    if (mismatches.length > 0) {
      await recordMismatches(db, ev, mismatches);
      await this.repair(db, mem, ev);
    }
  }
}
