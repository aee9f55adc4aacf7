/**
 * Reads the indexer's tables through Ponder's read-only `db` (a drizzle instance): the current
 * state in one consistent read, and pages of history bounded by the block being served.
 *
 * Why a consistent read: the current state spans five tables and the indexer commits a block
 * at a time while the API reads (see `book` for how a read knows it saw exactly one block).
 * History is append-only; pages of it are bounded by the snapshot's block so that a response
 * never mixes two blocks, nor shows rows of a block still being written.
 *
 * Why scoped to one exchange: one Perpwatch indexes several exchanges (on several chains) into
 * one set of tables, every row naming its exchange (`exchanges[].id` of the configuration); a
 * reader serves one of them, so every query filters on that id (the tables' keys and indexes
 * lead with it), and the indexed block is that exchange's chain's checkpoint.
 *
 * Why some raw SQL: per-account pages for many accounts at once (a DataLoader's batch) need a
 * window function, and funding history needs `DISTINCT ON` buckets; drizzle's builder (the part
 * Ponder re-exports) does not express either. Table names always come from the schema objects,
 * which carry Ponder's database schema: unqualified names could resolve to Ponder's temporary
 * tables of the same name on PGlite's single session.
 */
import { and, asc, desc, eq, gt, gte, lt, lte, ne, or, type ReadonlyDrizzle, sql } from "ponder";
import type { Position } from "../../engine/risk/book.js";
import type * as ponderSchema from "../../ponder.schema.js";
import type { EventCursor } from "../pagination/cursor.js";
import { type ReorgLog, readReorgLog } from "./reorgLog.js";
import { accountRowOf, exchangeRowOf, marketRowOf, positionRowOf } from "./rowMapping.js";
import type {
  AccountRow,
  AdlRow,
  BookChanges,
  BookRows,
  DivergenceRow,
  ExchangeRow,
  FundingPointRow,
  IndexedBlock,
  LedgerRow,
  LiquidationRow,
  MarketRow,
  MirrorCursor,
  Page,
  TradeRow,
} from "./rows.js";

export type Tables = typeof ponderSchema;
export type Db = ReadonlyDrizzle<Tables>;

/** Ponder's name for the first exchange's chain (indexer/config.ts `DEFAULT_CHAIN_NAME`). */
const DEFAULT_CHAIN_NAME = "perpwatch";
const MAX_CONSISTENT_READ_TRIES = 8;

type RawRow = Record<string, unknown>;
type SqlFragment = ReturnType<typeof sql>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const big = (v: unknown): bigint => BigInt(v as string | number | bigint);
const str = (v: unknown): string => String(v);

/**
 * Where Ponder's checkpoint string (timestamp 10 digits, chain id 16, block number 16, …) holds
 * the block number: `digits` zero-padded digits from index `start`.
 */
export const CHECKPOINT_BLOCK = { start: 26, digits: 16 } as const;

const BLOCK_END = CHECKPOINT_BLOCK.start + CHECKPOINT_BLOCK.digits;

/** Decodes Ponder's checkpoint string (see `CHECKPOINT_BLOCK`). */
export function decodeCheckpoint(cp: string): { timestamp: bigint; block: bigint } {
  return {
    timestamp: BigInt(cp.slice(0, 10)),
    block: BigInt(cp.slice(CHECKPOINT_BLOCK.start, BLOCK_END)),
  };
}

/**
 * The greatest checkpoint of the block `cp` is in: the same block (timestamp, chain id, block
 * number), every later position within it. Every checkpoint of a later block is greater.
 */
export function blockEnd(cp: string): string {
  return cp.slice(0, BLOCK_END).padEnd(75, "9");
}

function inList(values: readonly bigint[]): SqlFragment {
  return sql.join(
    values.map((v) => sql`${v.toString()}`),
    sql`, `,
  );
}

export class PonderReader {
  private readonly dbSchema: string | undefined;

  /**
   * @param exchange the configured id of the exchange read (`exchanges[].id`): every query
   *   filters on it.
   * @param chainName Ponder's name of the chain the exchange lives on, whose checkpoint is the
   *   indexed block.
   */
  constructor(
    private readonly db: Db,
    private readonly t: Tables,
    readonly exchange: string,
    readonly chainName: string = DEFAULT_CHAIN_NAME,
  ) {
    // Ponder builds every onchain table in its database schema; its own bookkeeping tables
    // (_ponder_checkpoint, _ponder_meta) live beside them.
    const s = (t.account as unknown as Record<symbol, unknown>)[Symbol.for("drizzle:Schema")];
    this.dbSchema = typeof s === "string" ? s : undefined;
  }

  private ponderTable(name: string): SqlFragment {
    return this.dbSchema
      ? sql`${sql.identifier(this.dbSchema)}.${sql.identifier(name)}`
      : sql`${sql.identifier(name)}`;
  }

  private async raw(query: SqlFragment): Promise<RawRow[]> {
    const res = (await this.db.execute(query)) as unknown as { rows: RawRow[] };
    return res.rows;
  }

  /**
   * The latest block Ponder has finished (its checkpoint), or null before the first one, and
   * whether a block is being written right now on this session (see `book`).
   */
  private async position(withWrites = false): Promise<{
    at: IndexedBlock | null;
    busy: boolean;
    lastWrite: bigint;
    cursor: MirrorCursor | null;
  }> {
    const t = this.t;
    const ex = this.exchange;
    const maxUpdated = (table: SqlFragment) =>
      sql`(SELECT max(updated_block) FROM ${table} WHERE exchange = ${ex})`;
    const lastWrite = withWrites
      ? sql`GREATEST(
          (SELECT max(updated_block) FROM ${t.exchange} WHERE id = ${ex}),
          ${maxUpdated(sql`${t.market}`)}, ${maxUpdated(sql`${t.oraclePrice}`)},
          ${maxUpdated(sql`${t.account}`)}, ${maxUpdated(sql`${t.position}`)},
          ${maxUpdated(sql`${t.badDebt}`)})`
      : sql`NULL`;
    const rows = await this.raw(sql`SELECT
        (SELECT latest_checkpoint FROM ${this.ponderTable("_ponder_checkpoint")}
          WHERE chain_name = ${this.chainName}) AS checkpoint,
        txid_current_if_assigned() IS NOT NULL AS busy,
        ${lastWrite} AS last_write,
        (SELECT block_number FROM ${t.mirrorCursor} WHERE exchange = ${ex}) AS cursor_block,
        (SELECT block_hash FROM ${t.mirrorCursor} WHERE exchange = ${ex}) AS cursor_hash`);
    const r = rows[0];
    const cp = r?.checkpoint;
    const busy = r?.busy === true;
    const last = r?.last_write === null || r?.last_write === undefined ? -1n : big(r.last_write);
    const cursor =
      r?.cursor_block === null || r?.cursor_block === undefined
        ? null
        : { block: big(r.cursor_block), hash: str(r.cursor_hash) };
    if (typeof cp !== "string") return { at: null, busy, lastWrite: last, cursor };
    const { block, timestamp } = decodeCheckpoint(cp);
    return { at: { checkpoint: cp, block, timestamp }, busy, lastWrite: last, cursor };
  }

  /** The latest fully indexed block, or null before the first one. */
  async indexedBlock(): Promise<IndexedBlock | null> {
    for (let attempt = 0; ; attempt++) {
      const p = await this.position();
      if (!p.busy || attempt >= MAX_CONSISTENT_READ_TRIES) return p.at;
      await sleep(attempt + 1);
    }
  }

  /**
   * Ponder's reorg log of the current-state tables, blocks after `afterBlock` up to checkpoint
   * `upTo` (reorgLog.ts): how to rebuild the book at a block between them.
   */
  reorgLog(afterBlock: bigint, upTo: string): Promise<ReorgLog> {
    const t = this.t;
    return readReorgLog(
      {
        raw: (q) => this.raw(q),
        ponderTable: (name) => this.ponderTable(name),
        tables: {
          exchange: t.exchange,
          market: t.market,
          oraclePrice: t.oraclePrice,
          account: t.account,
          position: t.position,
          mirrorCursor: t.mirrorCursor,
        },
        exchange: this.exchange,
        chainName: this.chainName,
      },
      afterBlock,
      upTo,
    );
  }

  /** Whether Ponder finished its historical backfill (what `/ready` answers). */
  async isReady(): Promise<boolean> {
    const rows = await this.raw(
      sql`SELECT value FROM ${this.ponderTable("_ponder_meta")} WHERE key = 'app'`,
    );
    const v = rows[0]?.value as { is_ready?: number } | string | undefined;
    const parsed = typeof v === "string" ? (JSON.parse(v) as { is_ready?: number }) : v;
    return parsed?.is_ready === 1;
  }

  /**
   * The whole current state at one indexed block — or, with `since`, only what changed after
   * block `since` (rows whose `updated_block` is later). On PostgreSQL the API has its own
   * connections and sees only committed blocks, but each statement sees the latest commit: the
   * checkpoint is read before and after, and the read repeated if a block was committed in
   * between. On PGlite there is one session, and the API's statements can run between the
   * statements of Ponder's open block transaction, seeing half a block: a read that starts or
   * ends while the session's transaction has written (it has an xid) is repeated too. And no
   * current-state row may carry a later block than the checkpoint: Ponder can make some of a
   * block's rows visible before its checkpoint moves, and those rows would mix two blocks.
   * After a few tries: "busy" (the caller keeps serving the previous block), or "none" before
   * the first block.
   */
  async book(patienceMs = 100): Promise<BookRows | "none" | "busy"> {
    const r = await this.consistentRead(patienceMs, undefined);
    if (typeof r === "string") return r;
    const positions = new Map<string, Record<string, Position>>();
    for (const p of r.positions) {
      const key = p.accountId.toString();
      let ps = positions.get(key);
      if (!ps) {
        ps = {};
        positions.set(key, ps);
      }
      ps[p.marketId.toString()] = p.position;
    }
    for (const a of r.accounts) {
      a.account = { ...a.account, positions: positions.get(a.account.accountId.toString()) ?? {} };
    }
    const { since: _since, positions: _positions, ...rows } = r;
    return rows;
  }

  /** What changed after block `since`, as of the newest consistent block (see `book`). */
  async changesSince(since: bigint, patienceMs = 100): Promise<BookChanges | "none" | "busy"> {
    return this.consistentRead(patienceMs, since);
  }

  private async consistentRead(
    patienceMs: number,
    since: bigint | undefined,
  ): Promise<BookChanges | "none" | "busy"> {
    const deadline = performance.now() + patienceMs;
    for (let attempt = 0; attempt === 0 || performance.now() < deadline; attempt++) {
      if (attempt > 0) await sleep(Math.min(5 * attempt, 50));
      // Checked before reading too, so that a block being written costs one small query, not a
      // read of the whole book that would be thrown away.
      const start = await this.position(true);
      if (start.at === null) return "none";
      if (start.busy || start.lastWrite > start.at.block) continue;
      const before = start.at;
      const rows = await this.readRows(since);
      const end = await this.position(true);
      if (end.busy || end.at?.checkpoint !== before.checkpoint) continue;
      // Rows of a later block than the checkpoint: that block is being written (or committed
      // ahead of its checkpoint); this is not the state at `before`.
      if (end.lastWrite > before.block) continue;
      return { since: since ?? -1n, at: before, cursor: end.cursor, ...rows };
    }
    return "busy";
  }

  /** Current-state rows (all, or changed after `since`), mapped to the engine's shapes. */
  private async readRows(since: bigint | undefined) {
    const t = this.t;
    const ex = this.exchange;
    const after = (col: Parameters<typeof gt>[0]) =>
      since === undefined ? undefined : sql`${col} > ${since.toString()}`;
    const [exchangeRows, marketRows, priceRows, accountRows, positionRows] = await Promise.all([
      this.db
        .select()
        .from(t.exchange)
        .where(and(eq(t.exchange.id, ex), after(t.exchange.updatedBlock))),
      this.db
        .select()
        .from(t.market)
        .where(and(eq(t.market.exchange, ex), after(t.market.updatedBlock)))
        .orderBy(asc(t.market.marketId)),
      this.db
        .select()
        .from(t.oraclePrice)
        .where(and(eq(t.oraclePrice.exchange, ex), after(t.oraclePrice.updatedBlock))),
      this.db
        .select({
          accountId: t.account.accountId,
          owner: t.account.owner,
          collateral: t.account.collateral,
          openMarkets: t.account.openMarkets,
          createdBlock: t.account.createdBlock,
          updatedBlock: t.account.updatedBlock,
        })
        .from(t.account)
        .where(and(eq(t.account.exchange, ex), after(t.account.updatedBlock)))
        .orderBy(asc(t.account.accountId)),
      this.db
        .select()
        .from(t.position)
        .where(
          and(
            eq(t.position.exchange, ex),
            since === undefined ? ne(t.position.size, 0n) : after(t.position.updatedBlock),
          ),
        ),
    ]);
    const e = exchangeRows[0];
    const exchange: ExchangeRow | null = e ? exchangeRowOf(e) : null;
    const markets: MarketRow[] = marketRows.map(marketRowOf);
    const prices: BookRows["prices"] = {};
    for (const p of priceRows) {
      prices[p.marketId.toString()] = { price: p.price, publishTime: p.publishTime };
    }
    const accounts: AccountRow[] = accountRows.map(accountRowOf);
    const positions = positionRows.map(positionRowOf);
    return { exchange, markets, prices, accounts, positions };
  }

  // ------------------------------------------------------------------ history pages

  /** `(block, logIndex, id)` strictly before the cursor, newest first. */
  private before(
    cols: { blockNumber: unknown; logIndex: unknown; id: unknown },
    c: EventCursor,
  ): SqlFragment {
    const b = cols.blockNumber as typeof this.t.liquidation.blockNumber;
    const l = cols.logIndex as typeof this.t.liquidation.logIndex;
    const i = cols.id as typeof this.t.liquidation.id;
    return or(
      lt(b, c.block),
      and(eq(b, c.block), lt(l, c.logIndex)),
      and(eq(b, c.block), eq(l, c.logIndex), lt(i, c.id)),
    )!;
  }

  /** This exchange's rows of a history table, in blocks up to `maxBlock` (and the range). */
  private blockRange(
    table: { exchange: unknown; blockNumber: unknown },
    maxBlock: bigint,
    fromBlock?: bigint,
    toBlock?: bigint,
  ): SqlFragment[] {
    const col = table.blockNumber as typeof this.t.liquidation.blockNumber;
    const out = [eq(table.exchange as typeof this.t.liquidation.exchange, this.exchange)];
    out.push(lte(col, maxBlock));
    if (fromBlock !== undefined) out.push(gte(col, fromBlock));
    if (toBlock !== undefined) out.push(lte(col, toBlock));
    return out;
  }

  async liquidations(q: {
    maxBlock: bigint;
    accountId?: bigint;
    fromBlock?: bigint;
    toBlock?: bigint;
    after?: EventCursor;
    limit: number;
  }): Promise<Page<LiquidationRow>> {
    const t = this.t.liquidation;
    const where = this.blockRange(t, q.maxBlock, q.fromBlock, q.toBlock);
    if (q.accountId !== undefined) where.push(eq(t.accountId, q.accountId));
    if (q.after) where.push(this.before(t, q.after));
    const rows = await this.db
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(desc(t.blockNumber), desc(t.logIndex), desc(t.id))
      .limit(q.limit + 1);
    return page(rows, q.limit);
  }

  /** Liquidations in blocks (fromExclusive, toInclusive], oldest first (subscriptions). */
  async liquidationsBetween(fromExclusive: bigint, toInclusive: bigint): Promise<LiquidationRow[]> {
    const t = this.t.liquidation;
    return this.db
      .select()
      .from(t)
      .where(
        and(
          eq(t.exchange, this.exchange),
          gt(t.blockNumber, fromExclusive),
          lte(t.blockNumber, toInclusive),
        ),
      )
      .orderBy(asc(t.blockNumber), asc(t.logIndex), asc(t.id));
  }

  async adlEvents(q: {
    maxBlock: bigint;
    marketId?: bigint;
    bankruptAccountId?: bigint;
    counterpartyAccountId?: bigint;
    fromBlock?: bigint;
    toBlock?: bigint;
    after?: EventCursor;
    limit: number;
  }): Promise<Page<AdlRow>> {
    const t = this.t.adlEvent;
    const where = this.blockRange(t, q.maxBlock, q.fromBlock, q.toBlock);
    if (q.marketId !== undefined) where.push(eq(t.marketId, q.marketId));
    if (q.bankruptAccountId !== undefined) where.push(eq(t.bankruptAccountId, q.bankruptAccountId));
    if (q.counterpartyAccountId !== undefined) {
      where.push(eq(t.counterpartyAccountId, q.counterpartyAccountId));
    }
    if (q.after) where.push(this.before(t, q.after));
    const rows = await this.db
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(desc(t.blockNumber), desc(t.logIndex), desc(t.id))
      .limit(q.limit + 1);
    return page(rows, q.limit);
  }

  async ledger(q: {
    maxBlock: bigint;
    after?: EventCursor;
    limit: number;
  }): Promise<Page<LedgerRow>> {
    const t = this.t.insuranceFundUpdate;
    const where = this.blockRange(t, q.maxBlock);
    if (q.after) where.push(this.before(t, q.after));
    const rows = await this.db
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(desc(t.blockNumber), desc(t.logIndex), desc(t.id))
      .limit(q.limit + 1);
    return page(rows, q.limit);
  }

  async divergences(q: {
    maxBlock: bigint;
    after?: EventCursor;
    limit: number;
  }): Promise<Page<DivergenceRow>> {
    const t = this.t.mirrorCheck;
    const where = this.blockRange(t, q.maxBlock);
    if (q.after) where.push(this.before(t, q.after));
    const rows = await this.db
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(desc(t.blockNumber), desc(t.logIndex), desc(t.id))
      .limit(q.limit + 1);
    return page(rows, q.limit);
  }

  /**
   * The mirror's record at a block: divergences found, the history rows it checked (every
   * state-changing event is stored in one of these tables and checked field by field), and
   * the last block it applied.
   */
  async mirrorSummary(maxBlock: bigint): Promise<{
    divergences: bigint;
    eventsChecked: bigint;
    checkedThroughBlock: bigint | null;
  }> {
    const t = this.t;
    const ex = this.exchange;
    const count = (table: SqlFragment) =>
      sql`(SELECT count(*) FROM ${table}
        WHERE exchange = ${ex} AND block_number <= ${maxBlock.toString()})`;
    const rows = await this.raw(sql`SELECT
      ${count(sql`${t.mirrorCheck}`)} AS divergences,
      ${count(sql`${t.priceUpdate}`)} + ${count(sql`${t.fundingUpdate}`)}
        + ${count(sql`${t.positionChange}`)} + ${count(sql`${t.collateralChange}`)}
        + ${count(sql`${t.liquidation}`)} + ${count(sql`${t.adlEvent}`)}
        + ${count(sql`${t.badDebtUpdate}`)} + ${count(sql`${t.insuranceFundUpdate}`)} AS checked,
      (SELECT block_number FROM ${t.mirrorCursor} WHERE exchange = ${ex}) AS cursor`);
    const r = rows[0] ?? {};
    return {
      divergences: big(r.divergences ?? 0),
      eventsChecked: big(r.checked ?? 0),
      checkedThroughBlock: r.cursor === null || r.cursor === undefined ? null : big(r.cursor),
    };
  }

  /**
   * Per account, its newest position changes (trades, liquidation closes, ADL fills) up to
   * `maxBlock`: one query for many accounts, at most `limit + 1` rows each.
   */
  async tradesByAccount(q: {
    accountIds: readonly bigint[];
    maxBlock: bigint;
    after?: EventCursor;
    limit: number;
  }): Promise<Map<string, Page<TradeRow>>> {
    const rows = await this.perAccount(sql`${this.t.positionChange}`, q);
    return groupPages(q.accountIds, rows.map(tradeRow), q.limit);
  }

  async liquidationsByAccount(q: {
    accountIds: readonly bigint[];
    maxBlock: bigint;
    after?: EventCursor;
    limit: number;
  }): Promise<Map<string, Page<LiquidationRow>>> {
    const rows = await this.perAccount(sql`${this.t.liquidation}`, q);
    return groupPages(q.accountIds, rows.map(liquidationRow), q.limit);
  }

  private perAccount(
    table: SqlFragment,
    q: { accountIds: readonly bigint[]; maxBlock: bigint; after?: EventCursor; limit: number },
  ): Promise<RawRow[]> {
    if (q.accountIds.length === 0) return Promise.resolve([]);
    const c = q.after;
    const keyset = c
      ? sql`AND (t.block_number < ${c.block.toString()}
          OR (t.block_number = ${c.block.toString()} AND t.log_index < ${c.logIndex})
          OR (t.block_number = ${c.block.toString()} AND t.log_index = ${c.logIndex} AND t.id < ${c.id}))`
      : sql``;
    return this.raw(sql`SELECT * FROM (
        SELECT t.*, row_number() OVER (
          PARTITION BY t.account_id ORDER BY t.block_number DESC, t.log_index DESC, t.id DESC) AS rn
        FROM ${table} t
        WHERE t.exchange = ${this.exchange} AND t.account_id IN (${inList(q.accountIds)})
          AND t.block_number <= ${q.maxBlock.toString()} ${keyset}
      ) s WHERE s.rn <= ${q.limit + 1}
      ORDER BY s.account_id, s.rn`);
  }

  /** Funding realized per account up to `maxBlock` (received when positive). */
  async realizedFunding(
    accountIds: readonly bigint[],
    maxBlock: bigint,
  ): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    if (accountIds.length === 0) return out;
    const rows = await this.raw(sql`SELECT account_id, sum(realized_funding) AS funding
      FROM ${this.t.positionChange}
      WHERE exchange = ${this.exchange} AND account_id IN (${inList(accountIds)})
        AND block_number <= ${maxBlock.toString()}
      GROUP BY account_id`);
    for (const r of rows) out.set(str(r.account_id), big(r.funding));
    return out;
  }

  /**
   * Funding history of several markets: per market, the last update in each `interval`-second
   * bucket, the newest `last` buckets, oldest first.
   */
  async fundingHistory(q: {
    marketIds: readonly bigint[];
    interval: number;
    from?: bigint;
    to?: bigint;
    last: number;
    maxBlock: bigint;
  }): Promise<Map<string, FundingPointRow[]>> {
    const out = new Map<string, FundingPointRow[]>();
    if (q.marketIds.length === 0) return out;
    if (!Number.isSafeInteger(q.interval) || q.interval < 1) {
      throw new RangeError(`interval: ${q.interval} is not a positive integer`);
    }
    // Inlined (a validated integer): DISTINCT ON must repeat the ORDER BY expression exactly.
    const bucket = sql.raw(`div(f.timestamp, ${q.interval})`);
    const from = q.from !== undefined ? sql`AND f.timestamp >= ${q.from.toString()}` : sql``;
    const to = q.to !== undefined ? sql`AND f.timestamp < ${q.to.toString()}` : sql``;
    const rows = await this.raw(sql`SELECT * FROM (
        SELECT b.*, row_number() OVER (PARTITION BY b.market_id ORDER BY b.bucket DESC) AS k
        FROM (
          SELECT DISTINCT ON (f.market_id, ${bucket}) ${bucket} AS bucket, f.market_id, f.price,
            f.skew, f.funding_rate, f.funding_velocity, f.funding_index, f.timestamp, f.block_number
          FROM ${this.t.fundingUpdate} f
          WHERE f.exchange = ${this.exchange} AND f.market_id IN (${inList(q.marketIds)})
            AND f.block_number <= ${q.maxBlock.toString()} ${from} ${to}
          ORDER BY f.market_id, ${bucket}, f.block_number DESC, f.log_index DESC
        ) b
      ) c WHERE c.k <= ${q.last}
      ORDER BY c.market_id, c.bucket`);
    const interval = BigInt(q.interval);
    for (const r of rows) {
      const key = str(r.market_id);
      let list = out.get(key);
      if (!list) {
        list = [];
        out.set(key, list);
      }
      list.push({
        marketId: big(r.market_id),
        bucketStart: big(r.bucket) * interval,
        price: big(r.price),
        skew: big(r.skew),
        fundingRate: big(r.funding_rate),
        fundingVelocity: big(r.funding_velocity),
        fundingIndex: big(r.funding_index),
        timestamp: big(r.timestamp),
        blockNumber: big(r.block_number),
      });
    }
    return out;
  }
}

function page<T>(rows: T[], limit: number): Page<T> {
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

function groupPages<T extends { accountId: bigint }>(
  ids: readonly bigint[],
  rows: T[],
  limit: number,
): Map<string, Page<T>> {
  const grouped = new Map<string, T[]>();
  for (const id of ids) grouped.set(id.toString(), []);
  for (const r of rows) grouped.get(r.accountId.toString())?.push(r);
  const out = new Map<string, Page<T>>();
  for (const [k, list] of grouped) out.set(k, page(list, limit));
  return out;
}

function tradeRow(r: RawRow): TradeRow {
  return {
    id: str(r.id),
    accountId: big(r.account_id),
    marketId: big(r.market_id),
    kind: str(r.kind),
    sizeDelta: big(r.size_delta),
    newSize: big(r.new_size),
    fillPrice: big(r.fill_price),
    realizedPnl: big(r.realized_pnl),
    realizedFunding: big(r.realized_funding),
    fee: big(r.fee),
    newCollateral: big(r.new_collateral),
    blockNumber: big(r.block_number),
    logIndex: Number(r.log_index),
    timestamp: big(r.timestamp),
    txHash: str(r.tx_hash),
  };
}

function liquidationRow(r: RawRow): LiquidationRow {
  return {
    id: str(r.id),
    accountId: big(r.account_id),
    liquidator: str(r.liquidator),
    equity: big(r.equity),
    maintenanceMargin: big(r.maintenance_margin),
    notional: big(r.notional),
    keeperReward: big(r.keeper_reward),
    penaltyToInsurance: big(r.penalty_to_insurance),
    insuranceCovered: big(r.insurance_covered),
    badDebt: big(r.bad_debt),
    blockNumber: big(r.block_number),
    logIndex: Number(r.log_index),
    timestamp: big(r.timestamp),
    txHash: str(r.tx_hash),
  };
}
