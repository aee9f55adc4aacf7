/**
 * One indexed block, in memory: the book read from the tables and everything the exact engine
 * says about it at that block's time — each account's equity and margins, each market's
 * funding — computed once, on first use, and shared by every request served from this block.
 *
 * Why: the tables hold each account's health as of its last touch, but prices and funding move
 * every block, and "equals the contract's views at the stated block" means computing them at
 * the block being served, with the protocol's risk model (its exact engine), exactly as the
 * contract's views would. A block's per-market marks are computed once (`model.marks`) and
 * every account's health from them, the fast path that gives the view's numbers to the wei.
 */
import type { Account, Book } from "../../engine/risk/book.js";
import type {
  AccountHealthAt,
  FundingAt,
  PositionAt,
  RiskModel,
} from "../../engine/risk/riskModel.js";
import {
  type AccountFacts,
  type AccountOrder,
  type SortedAccounts,
  sortAccounts,
} from "../accounts/accountQuery.js";
import { apiError, ErrorCode } from "../errors.js";
import type { AccountRow, BookRows, ExchangeRow, IndexedBlock, MarketRow } from "./rows.js";

export type { AccountHealthAt, FundingAt, PositionAt };

const MAX_MEMO = 256;

export class Snapshot {
  readonly at: IndexedBlock;
  /** The rows this snapshot was built from (the next block's snapshot starts from them). */
  readonly rows: BookRows;
  readonly exchangeRow: ExchangeRow | null;
  readonly markets: readonly MarketRow[];
  readonly accounts: readonly AccountRow[];
  /** The book at this block, as the risk model reads it. */
  readonly book: Book;
  /** Milliseconds it took to read the tables (for logs). */
  readonly loadMs: number;
  private readonly accountIndex = new Map<string, AccountRow>();
  private marksMemo: unknown;
  private readonly healthMemo = new Map<string, AccountHealthAt>();
  private readonly positionsMemo = new Map<string, PositionAt[]>();
  private readonly fundingMemo = new Map<string, FundingAt>();
  private factsMemo: AccountFacts[] | undefined;
  private readonly sortedMemo = new Map<AccountOrder, SortedAccounts>();
  /** Per-snapshot caches of derived results (analytics), keyed by their arguments. */
  readonly memo = new Map<string, unknown>();

  constructor(
    rows: BookRows,
    readonly model: RiskModel,
    loadMs = 0,
    /** The configured id of the exchange this is a block of. */
    readonly exchangeId = rows.exchange?.id ?? "",
  ) {
    this.rows = rows;
    this.at = rows.at;
    this.exchangeRow = rows.exchange;
    this.markets = rows.markets;
    this.accounts = rows.accounts;
    this.loadMs = loadMs;
    const accounts: Record<string, Account> = {};
    for (const a of rows.accounts) {
      const key = a.account.accountId.toString();
      this.accountIndex.set(key, a);
      accounts[key] = a.account;
    }
    this.book = {
      markets: rows.markets.map((m) => m.market),
      accounts,
      prices: rows.prices,
      insuranceFund: rows.exchange?.insuranceFund ?? 0n,
      maxPriceAge: rows.exchange?.maxPriceAge ?? 0n,
      accountCount: rows.exchange?.accountCount ?? 0n,
    };
  }

  get block(): bigint {
    return this.at.block;
  }

  get timestamp(): bigint {
    return this.at.timestamp;
  }

  /** The exchange row; NOT_READY before the indexer has seen the deployment. */
  get exchange(): ExchangeRow {
    if (!this.exchangeRow) {
      throw apiError(
        ErrorCode.NOT_READY,
        `the indexer has not indexed the exchange yet (at block ${this.block}); try again shortly`,
      );
    }
    return this.exchangeRow;
  }

  market(id: bigint): MarketRow | undefined {
    return id >= 1n && id <= BigInt(this.markets.length) ? this.markets[Number(id) - 1] : undefined;
  }

  account(id: bigint): AccountRow | undefined {
    return this.accountIndex.get(id.toString());
  }

  /** The oracle price of a market (0 before its first price). */
  price(marketId: bigint): bigint {
    return this.book.prices[marketId.toString()]?.price ?? 0n;
  }

  publishTime(marketId: bigint): bigint {
    return this.book.prices[marketId.toString()]?.publishTime ?? 0n;
  }

  private marks(): unknown {
    this.marksMemo ??= this.model.marks(this.book, this.timestamp);
    return this.marksMemo;
  }

  /** Equity and margins at this block (the `accountHealth` view), margin ratio, liquidatable. */
  health(row: AccountRow): AccountHealthAt {
    const key = row.account.accountId.toString();
    let h = this.healthMemo.get(key);
    if (!h) {
      try {
        h = this.model.accountHealth(this.marks(), row.account);
      } catch (e) {
        throw new Error(`at block ${this.block}: ${(e as Error).message}`);
      }
      this.healthMemo.set(key, h);
    }
    return h;
  }

  /** Each open position's terms at this block, by market id. */
  positions(row: AccountRow): PositionAt[] {
    const key = row.account.accountId.toString();
    let out = this.positionsMemo.get(key);
    if (!out) {
      out = this.computePositions(row);
      this.positionsMemo.set(key, out);
    }
    return out;
  }

  private computePositions(row: AccountRow): PositionAt[] {
    return this.model.positions(this.marks(), this.book, row.account);
  }

  /** Funding of a market at this block's time, as the contract's views give it. */
  funding(row: MarketRow): FundingAt {
    const key = row.market.marketId.toString();
    let f = this.fundingMemo.get(key);
    if (!f) {
      f = this.model.funding(row.market, this.price(row.market.marketId), this.timestamp);
      this.fundingMemo.set(key, f);
    }
    return f;
  }

  /** Per account: what filters and orders need (health at this block for all accounts). */
  facts(): AccountFacts[] {
    if (!this.factsMemo) {
      this.factsMemo = this.accounts.map((row) => {
        const h = this.health(row);
        return {
          id: row.account.accountId,
          owner: row.account.owner,
          equity: h.health.equity,
          maintenanceMargin: h.health.maintenanceMargin,
          notional: h.health.notional,
          liquidatable: h.liquidatable,
          openMarkets: row.account.openMarkets,
        };
      });
    }
    return this.factsMemo;
  }

  sorted(order: AccountOrder): SortedAccounts {
    let s = this.sortedMemo.get(order);
    if (!s) {
      s = sortAccounts(this.facts(), order);
      this.sortedMemo.set(order, s);
    }
    return s;
  }

  /**
   * A derived value computed once per snapshot and key (analytics results). At most
   * `MAX_MEMO` keys are kept; the oldest goes first.
   */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = compute();
    if (this.memo.size >= MAX_MEMO) {
      const oldest = this.memo.keys().next().value;
      if (oldest !== undefined) this.memo.delete(oldest);
    }
    this.memo.set(key, v);
    return v;
  }
}
