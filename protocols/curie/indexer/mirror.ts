/**
 * The Curie mirror: replays every indexed log through the exact engine (engine/apply.ts),
 * records what the engine refused as `mirror_check` rows, writes the history of each
 * transaction (history.ts) and, at the end of each block, the normalized rows the API and the
 * analytics read (bookRows.ts).
 *
 * Why a snapshot and a journal: Curie's state (pools, growth maps, feed caches) cannot be
 * rebuilt from the normalized tables, and writing all of it every block costs more than the
 * indexing itself. So every block's applied logs are journaled (`mirror_journal`, one row per
 * block: a row per log cost as much again as the history itself), the
 * whole state is snapshotted every SNAPSHOT_EVERY blocks (`mirror_state`), and the last block
 * that changed the state is the `mirror_cursor`. Ponder may revert blocks (a reorg), retry a
 * batch, or restart, and only the tables follow: at the first log or block end of every block
 * the memory is checked against the cursor (and against the last log it applied); when they
 * disagree it is rebuilt from the snapshot and the journal after it — the tables are the one
 * source of truth.
 */

import { and, asc, eq, gt } from "ponder";
import { logger } from "../../../indexer/logger.js";
import {
  account as accountTable,
  exchange as exchangeTable,
  market as marketTable,
  mirrorCheck,
  mirrorCursor,
  mirrorJournal,
  mirrorState,
  oraclePrice as oraclePriceTable,
  position as positionTable,
} from "../../../ponder.schema.js";
import type { Address, ExchangeConfig } from "../../protocol.js";
import { curieMarketAddresses } from "../addresses.js";
import { takerPositionSize } from "../engine/accountBalance.js";
import { applyEvent, closeTransaction } from "../engine/apply.js";
import { parseSettlementToken } from "../engine/math.js";
import { accountOf, type CurieState, createCurieState, MirrorMismatch } from "../engine/state.js";
import {
  getAccountValue,
  getInsuranceFundCapacity,
  getMarginRequirementForLiquidation,
} from "../engine/views.js";
import { accountRows, hasOrders, marketRows } from "./bookRows.js";
import { curveText } from "./curve.js";
import { readDeploymentParams } from "./deployment.js";
import { type HistoryLookup, recordTransaction } from "./history.js";
import { decodeState, encodeState } from "./stateCodec.js";
import type { Db, IndexedEvent } from "./types.js";

interface BlockRef {
  number: bigint;
  hash: `0x${string}`;
}

/** What is persisted: the engine's state and the plugin's account numbering. */
interface Persisted {
  state: CurieState;
  accountIds: Map<string, bigint>;
}

/** Blocks between two snapshots of the whole state: a reload replays at most this many. */
const SNAPSHOT_EVERY = 256n;

interface Memory extends Persisted {
  /** The last block that changed the state, as `mirror_cursor` holds it (null: none yet). */
  cursor: BlockRef | null;
  /** The block of the last snapshot (null: none yet). */
  snapshot: bigint | null;
  /** The state at the start of the current block, and at the start of its current transaction. */
  blockStart: CurieState;
  txStart: CurieState;
  /** The block being indexed and the last log applied in it. */
  current: BlockRef | null;
  lastLog: number;
  tx: IndexedEvent[];
  /** The logs applied in the current block, journaled at its end. */
  blockEvents: IndexedEvent[];
}

export class CurieMirror {
  private mem: Memory | null = null;
  /** Base token → market id (configuration order, 1-based). */
  private readonly marketIds: Map<string, bigint>;
  private readonly aggregators: Map<string, Address>;

  constructor(private readonly x: ExchangeConfig) {
    const bases = curieMarketAddresses(x.addresses, "baseToken");
    this.marketIds = new Map(bases.map((b, i) => [b.toLowerCase(), BigInt(i + 1)]));
    const aggs = curieMarketAddresses(x.addresses, "aggregator");
    this.aggregators = new Map(aggs.map((a, i) => [a.toLowerCase(), bases[i]!]));
  }

  /** Indexes one log of any Curie contract of this exchange. */
  async handle(db: Db, ev: IndexedEvent): Promise<void> {
    const mem = await this.memory(db, { number: ev.block.number, hash: ev.blockHash });
    if (mem.current?.hash === ev.blockHash && ev.logIndex <= mem.lastLog) {
      // A batch re-run: the memory is ahead of the tables. Start over from the row.
      this.mem = null;
      return this.handle(db, ev);
    }
    if (mem.tx.length > 0 && mem.tx[0]!.txHash !== ev.txHash) await this.endTransaction(db, mem);
    mem.current = { number: ev.block.number, hash: ev.blockHash };
    mem.lastLog = ev.logIndex;
    mem.tx.push(ev);
    try {
      mem.state = applyEvent(mem.state, ev);
    } catch (err) {
      await this.check(db, ev, err);
    }
    this.number(mem, ev);
    mem.blockEvents.push(ev);
  }

  /** The end of a block: close its last transaction, write its rows and the state. */
  async endBlock(db: Db, block: BlockRef & { timestamp: bigint }): Promise<void> {
    const mem = await this.memory(db, block);
    if (mem.tx.length > 0) await this.endTransaction(db, mem);
    try {
      mem.state = closeTransaction(mem.state);
    } catch (err) {
      await this.checkAt(db, `${block.number}:end`, "BlockEnd", block, err);
      mem.state = { ...mem.state, pending: undefined };
    }
    if (!hasPools(mem.state)) return this.finishBlock(db, mem, block);
    await this.writeAccounts(db, mem, block);
    await this.writeMarkets(db, mem, block);
    await this.finishBlock(db, mem, block);
  }

  private async finishBlock(db: Db, mem: Memory, block: BlockRef): Promise<void> {
    if (mem.blockEvents.length > 0) {
      await db.insert(mirrorJournal).values({
        exchange: this.x.id,
        id: `${this.x.id}:${block.number}`,
        blockNumber: block.number,
        logIndex: mem.blockEvents.length,
        event: encodeState(mem.blockEvents),
      });
      mem.blockEvents = [];
    }
    if (mem.state !== mem.blockStart) {
      const at = { blockNumber: block.number, blockHash: block.hash };
      await db
        .insert(mirrorCursor)
        .values({ exchange: this.x.id, ...at })
        .onConflictDoUpdate(at);
      mem.cursor = { number: block.number, hash: block.hash };
      if (mem.snapshot === null || block.number - mem.snapshot >= SNAPSHOT_EVERY) {
        const values = {
          ...at,
          state: encodeState({ state: mem.state, accountIds: mem.accountIds }),
        };
        await db
          .insert(mirrorState)
          .values({ exchange: this.x.id, ...values })
          .onConflictDoUpdate(values);
        mem.snapshot = block.number;
      }
    }
    mem.blockStart = mem.state;
    mem.txStart = mem.state;
    mem.current = { number: block.number, hash: block.hash };
    mem.lastLog = Number.MAX_SAFE_INTEGER;
  }

  /** The memory, valid for `block`: kept within a block; across blocks only if the cursor agrees. */
  private async memory(db: Db, block: BlockRef): Promise<Memory> {
    const mem = this.mem;
    if (
      mem !== null &&
      mem.current?.hash === block.hash &&
      mem.lastLog !== Number.MAX_SAFE_INTEGER
    ) {
      return mem;
    }
    const cursor = await db.find(mirrorCursor, { exchange: this.x.id });
    if (mem !== null && sameBlock(mem.cursor, cursor) && mem.current?.hash !== block.hash) {
      mem.current = null;
      mem.lastLog = -1;
      return mem;
    }
    this.mem = await this.load(
      db,
      cursor ? { number: cursor.blockNumber, hash: cursor.blockHash } : null,
    );
    return this.mem;
  }

  /** The state as the tables have it: the last snapshot, then the journal after it. */
  private async load(db: Db, cursor: BlockRef | null): Promise<Memory> {
    const row = await db.find(mirrorState, { exchange: this.x.id });
    const loaded: Persisted = row
      ? decodeState<Persisted>(row.state)
      : {
          state: createCurieState(await readDeploymentParams(this.x)),
          accountIds: new Map(),
        };
    const after = row?.blockNumber ?? -1n;
    const journal = await db.sql
      .select()
      .from(mirrorJournal)
      .where(and(eq(mirrorJournal.exchange, this.x.id), gt(mirrorJournal.blockNumber, after)))
      .orderBy(asc(mirrorJournal.blockNumber), asc(mirrorJournal.logIndex));
    const mem: Memory = {
      ...loaded,
      cursor,
      snapshot: row?.blockNumber ?? null,
      blockStart: loaded.state,
      txStart: loaded.state,
      current: null,
      lastLog: -1,
      tx: [],
      blockEvents: [],
    };
    let replayed = 0;
    for (const r of journal) {
      for (const ev of decodeState<IndexedEvent[]>(r.event)) {
        try {
          mem.state = applyEvent(mem.state, ev);
        } catch {
          // Recorded in mirror_check when it was first indexed.
        }
        this.number(mem, ev);
        replayed++;
      }
      mem.state = closeQuietly(mem.state);
    }
    mem.state = closeQuietly(mem.state);
    mem.blockStart = mem.state;
    mem.txStart = mem.state;
    logger.info(
      {
        exchange: this.x.id,
        snapshot: row ? Number(row.blockNumber) : null,
        cursor: cursor ? Number(cursor.number) : null,
        journal: replayed,
      },
      "curie mirror reloaded",
    );
    return mem;
  }

  /** Numbers every new trader (not the insurance fund) in order of first appearance. */
  private number(mem: Memory, ev: IndexedEvent): void {
    const args = ev.args as Record<string, unknown>;
    const trader = (args.trader ?? args.maker) as string | undefined;
    if (trader === undefined || trader === this.x.addresses.insuranceFund) return;
    if (!mem.accountIds.has(trader)) mem.accountIds.set(trader, BigInt(mem.accountIds.size + 1));
  }

  private async endTransaction(db: Db, mem: Memory): Promise<void> {
    const events = mem.tx;
    mem.tx = [];
    await recordTransaction(db, events, this.lookup(mem, events[0]!.block.timestamp));
    mem.txStart = mem.state;
  }

  private lookup(mem: Memory, now: bigint): HistoryLookup {
    const s = mem.state;
    const healthAt = (state: CurieState, trader: Address) => {
      try {
        return {
          equity: getAccountValue(state, trader, now),
          maintenanceMargin: getMarginRequirementForLiquidation(state, trader, now),
        };
      } catch {
        return { equity: 0n, maintenanceMargin: 0n };
      }
    };
    return {
      exchange: this.x.id,
      accountId: (t) => mem.accountIds.get(t) ?? 0n,
      marketId: (b) => this.marketIds.get(b) ?? 0n,
      takerSize: (t, b) => takerPositionSize(s, t, b),
      collateral: (t) =>
        parseSettlementToken(accountOf(s, t).balance, s.settlementTokenDecimals) +
        accountOf(s, t).owedRealizedPnl,
      healthBefore: (t) => healthAt(mem.txStart, t),
      toD18: (v) => parseSettlementToken(v, s.settlementTokenDecimals),
      insuranceFund: this.x.addresses.insuranceFund!,
      insuranceFundBalance: () => safe(() => getInsuranceFundCapacity(s, now), 0n),
      aggregatorMarket: (a) => {
        const base = this.aggregators.get(a);
        const feed = base ? s.markets[base]?.feed : undefined;
        return base && feed ? { baseToken: base, decimals: feed.decimals } : undefined;
      },
    };
  }

  private async check(db: Db, ev: IndexedEvent, err: unknown): Promise<void> {
    const m = err instanceof MirrorMismatch ? err : null;
    logger.warn({ exchange: this.x.id, event: ev.id, err: String(err) }, "curie mirror check");
    await db.insert(mirrorCheck).values({
      exchange: this.x.id,
      id: `${this.x.id}:${ev.id}:${m?.field ?? "error"}`,
      eventId: ev.id,
      eventName: `${ev.contract}.${ev.name}`,
      blockNumber: ev.block.number,
      logIndex: ev.logIndex,
      txHash: ev.txHash,
      field: m?.field ?? "error",
      chainValue: m ? String(m.actual) : "",
      mirrorValue: m ? String(m.expected) : String((err as Error)?.message ?? err).slice(0, 500),
    });
  }

  private async checkAt(db: Db, id: string, name: string, block: BlockRef, err: unknown) {
    logger.warn(
      { exchange: this.x.id, block: block.number, err: String(err) },
      "curie mirror check",
    );
    await db.insert(mirrorCheck).values({
      exchange: this.x.id,
      id: `${this.x.id}:${id}`,
      eventId: id,
      eventName: name,
      blockNumber: block.number,
      logIndex: -1,
      txHash: block.hash,
      field: "error",
      chainValue: "",
      mirrorValue: String((err as Error)?.message ?? err).slice(0, 500),
    });
  }

  /** Accounts whose engine state changed in the block, and every account with orders. */
  private async writeAccounts(db: Db, mem: Memory, block: BlockRef & { timestamp: bigint }) {
    const s = mem.state;
    for (const [trader, accountId] of mem.accountIds) {
      const t = trader as Address;
      const changed = s.accounts[t] !== mem.blockStart.accounts[t];
      if (!changed && !hasOrders(s, t)) continue;
      const rows = safe(() => accountRows(s, t, block.timestamp), null);
      if (rows === null) continue;
      let openMarkets = 0n;
      for (const [base, p] of rows.positions) {
        const marketId = this.marketIds.get(base) ?? 0n;
        if (p.size !== 0n) openMarkets |= 1n << (marketId - 1n);
        const values = { ...p, lastFundingIndex: 0n, updatedBlock: block.number };
        await db
          .insert(positionTable)
          .values({ exchange: this.x.id, accountId, marketId, ...values })
          .onConflictDoUpdate(values);
      }
      const closed =
        mem.blockStart.accounts[t]?.baseTokens.filter((b) => !rows.positions.has(b)) ?? [];
      for (const base of closed) {
        const values = {
          size: 0n,
          quoteBalance: 0n,
          lastPrice: 0n,
          fundingGrowth: null,
          updatedBlock: block.number,
        };
        await db
          .update(positionTable, {
            exchange: this.x.id,
            accountId,
            marketId: this.marketIds.get(base) ?? 0n,
          })
          .set(values);
      }
      const values = {
        owner: t,
        collateral: rows.collateral,
        openMarkets,
        updatedBlock: block.number,
      };
      await db
        .insert(accountTable)
        .values({ exchange: this.x.id, accountId, ...values, createdBlock: block.number })
        .onConflictDoUpdate(values);
    }
  }

  /** Markets, their mark prices and the exchange row: every block (prices move with time). */
  private async writeMarkets(db: Db, mem: Memory, block: BlockRef & { timestamp: bigint }) {
    const s = mem.state;
    const x = this.x.id;
    for (const [symbolBase, marketId] of this.marketIds) {
      const base = symbolBase as Address;
      const m = s.markets[base];
      if (m?.poolState === undefined) continue;
      const r = safe(() => marketRows(s, base, block.timestamp), null);
      if (r === null) continue;
      const price = {
        price: r.markPrice,
        publishTime: block.timestamp,
        updatedBlock: block.number,
      };
      await db
        .insert(oraclePriceTable)
        .values({ exchange: x, marketId, ...price })
        .onConflictDoUpdate(price);
      const values = {
        symbol: this.symbolOf(base),
        ...marketParams(s, base),
        price: r.markPrice,
        priceTime: block.timestamp,
        skew: r.sizeLong - r.sizeShort,
        sizeLong: r.sizeLong,
        sizeShort: r.sizeShort,
        fundingRate: r.fundingRate,
        fundingVelocity: 0n,
        fundingIndex: r.fundingIndex,
        fundingTime: block.timestamp,
        fundingGrowth: r.fundingGrowth,
        liquidity: curveText(m.poolState),
        badDebt: 0n,
        updatedBlock: block.number,
      };
      await db
        .insert(marketTable)
        .values({ exchange: x, marketId, ...values, createdBlock: block.number })
        .onConflictDoUpdate(values);
    }
    const feedTimeout = Object.values(s.markets)[0]?.feed.timeout ?? 0n;
    const values = {
      maxPriceAge: feedTimeout,
      insuranceFund: safe(() => getInsuranceFundCapacity(s, block.timestamp), 0n),
      accountCount: BigInt(mem.accountIds.size),
      marketCount: BigInt(this.marketIds.size),
      updatedBlock: block.number,
    };
    await db
      .insert(exchangeTable)
      .values({
        id: x,
        protocol: this.x.protocol,
        chainId: this.x.chain.id,
        address: this.x.addresses.clearingHouse!,
        ...values,
      })
      .onConflictDoUpdate(values);
  }

  private symbolOf(base: Address): string {
    for (const [k, v] of Object.entries(this.x.addresses)) {
      if (k.endsWith(".baseToken") && v === base) return k.slice(0, -".baseToken".length);
    }
    return base;
  }
}

/** The market's rules as the book's D18 parameters (see riskModel.ts `ratiosOf`). */
function marketParams(s: CurieState, base: Address) {
  const c = s.config;
  const m = s.markets[base]!;
  const d18 = (ratio: bigint) => ratio * 10n ** 12n;
  return {
    // No skew-dependent margin in Curie: a scale no size reaches keeps the normalized
    // formula's size term at zero (imrScalar is 0 anyway).
    skewScale: 10n ** 36n,
    maxFundingVelocity: 0n,
    imrScalar: 0n,
    imrMin: d18(c.imRatio),
    mmScalar: (c.mmRatio * 10n ** 18n) / c.imRatio,
    minPositionMargin: 0n,
    takerFee: d18(m.exchangeFeeRatio),
    keeperRewardRatio: d18(c.liquidationPenaltyRatio) / 2n,
    maxKeeperReward: 0n,
    liquidationPenaltyRatio: d18(c.liquidationPenaltyRatio),
    maxOpenInterest: 0n,
  };
}

function closeQuietly(s: CurieState): CurieState {
  try {
    return closeTransaction(s);
  } catch {
    return { ...s, pending: undefined };
  }
}

function hasPools(s: CurieState): boolean {
  for (const k in s.markets) if (s.markets[k as Address]?.poolState !== undefined) return true;
  return false;
}

function sameBlock(a: BlockRef | null, row: { blockHash: string } | undefined | null): boolean {
  return a === null ? !row : row?.blockHash === a.hash;
}

function safe<T, F>(f: () => T, fallback: F): T | F {
  try {
    return f();
  } catch {
    return fallback;
  }
}
