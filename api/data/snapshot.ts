/**
 * One indexed block, in memory: the book read from the tables and everything the exact engine
 * says about it at that block's time — each account's equity and margins, each market's
 * funding — computed once, on first use, and shared by every request served from this block.
 *
 * Why: the tables hold each account's health as of its last touch, but prices and funding move
 * every block, and "equals the contract's views at the stated block" means computing them at
 * the block being served, with `engine/exact`, exactly as the contract's views would. A block's
 * per-market marks are computed once (`marketMarks`) and every account's health from them
 * (`healthWithMarks`), the engine's fast path that gives the view's numbers to the wei.
 */
import {
  type Account,
  type ExchangeState,
  fixedPoint,
  fundingNow,
  fundingVelocity,
  type Health,
  healthWithMarks,
  isLiquidatable,
  type MarketMarks,
  marginRatio,
  marketMarks,
  positionMargins,
  ZERO_ADDRESS,
} from "../../protocols/reference/engine/index.js";
import {
  type AccountFacts,
  type AccountOrder,
  type SortedAccounts,
  sortAccounts,
} from "../accounts/accountQuery.js";
import { apiError, ErrorCode } from "../errors.js";
import type { AccountRow, BookRows, ExchangeRow, IndexedBlock, MarketRow } from "./rows.js";

const MAX_MEMO = 256;

export interface AccountHealthAt {
  health: Health;
  marginRatio: bigint | null;
  liquidatable: boolean;
}

export interface PositionAt {
  marketId: bigint;
  size: bigint;
  entryPrice: bigint;
  entryFundingIndex: bigint;
  price: bigint;
  fundingIndex: bigint;
  notional: bigint;
  unrealizedPnl: bigint;
  unrealizedFunding: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
}

export interface FundingAt {
  /** Daily rate at the block's time (the `currentFundingRate` view). */
  rate: bigint;
  /** Index at the block's time (the `fundingIndex` view). */
  index: bigint;
  /** From the current skew (the `fundingVelocity` view). */
  velocity: bigint;
  /** Daily rate one hour later if the skew stays. */
  rateInOneHour: bigint;
}

export class Snapshot {
  readonly at: IndexedBlock;
  /** The rows this snapshot was built from (the next block's snapshot starts from them). */
  readonly rows: BookRows;
  readonly exchangeRow: ExchangeRow | null;
  readonly markets: readonly MarketRow[];
  readonly accounts: readonly AccountRow[];
  readonly state: ExchangeState;
  /** Milliseconds it took to read the tables (for logs). */
  readonly loadMs: number;
  private readonly accountIndex = new Map<string, AccountRow>();
  private marksMemo: MarketMarks | undefined;
  private readonly healthMemo = new Map<string, AccountHealthAt>();
  private readonly positionsMemo = new Map<string, PositionAt[]>();
  private readonly fundingMemo = new Map<string, FundingAt>();
  private factsMemo: AccountFacts[] | undefined;
  private readonly sortedMemo = new Map<AccountOrder, SortedAccounts>();
  /** Per-snapshot caches of derived results (analytics), keyed by their arguments. */
  readonly memo = new Map<string, unknown>();

  constructor(rows: BookRows, loadMs = 0) {
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
    this.state = {
      address: (rows.exchange?.address ?? ZERO_ADDRESS) as ExchangeState["address"],
      owner: ZERO_ADDRESS,
      maxPriceAge: rows.exchange?.maxPriceAge ?? 0n,
      insuranceFund: rows.exchange?.insuranceFund ?? 0n,
      accountCount: rows.exchange?.accountCount ?? 0n,
      markets: rows.markets.map((m) => m.market),
      accounts,
      oracle: { owner: ZERO_ADDRESS, updaters: {}, prices: rows.prices },
      tokenBalance: 0n,
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
    return this.state.oracle.prices[marketId.toString()]?.price ?? 0n;
  }

  publishTime(marketId: bigint): bigint {
    return this.state.oracle.prices[marketId.toString()]?.publishTime ?? 0n;
  }

  private marks(): MarketMarks {
    this.marksMemo ??= marketMarks(this.state, this.timestamp);
    return this.marksMemo;
  }

  /** Equity and margins at this block (the `accountHealth` view), margin ratio, liquidatable. */
  health(row: AccountRow): AccountHealthAt {
    const key = row.account.accountId.toString();
    let h = this.healthMemo.get(key);
    if (!h) {
      const r = healthWithMarks(this.marks(), row.account);
      if (!r.ok) {
        throw new Error(`account ${key}: health at block ${this.block} failed: ${r.error.message}`);
      }
      h = {
        health: r.value,
        marginRatio: marginRatio(r.value),
        liquidatable: isLiquidatable(r.value),
      };
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
    const out: PositionAt[] = [];
    const marks = this.marks();
    const ids = Object.keys(row.account.positions)
      .map(BigInt)
      .sort((a, b) => (a < b ? -1 : 1));
    for (const id of ids) {
      const p = row.account.positions[id.toString()]!;
      const mark = marks[Number(id) - 1];
      const m = this.market(id);
      if (!mark || "error" in mark || !m) {
        throw new Error(`account ${row.account.accountId}: no mark for market ${id}`);
      }
      const mg = positionMargins(m.market.params, p.size, mark.px);
      out.push({
        marketId: id,
        size: p.size,
        entryPrice: p.lastPrice,
        entryFundingIndex: p.lastFundingIndex,
        price: mark.px,
        fundingIndex: mark.index,
        notional: mg.notional,
        unrealizedPnl: fixedPoint.mulD(p.size, fixedPoint.sub(mark.px, p.lastPrice)),
        unrealizedFunding: fixedPoint.mulD(p.size, fixedPoint.sub(mark.index, p.lastFundingIndex)),
        initialMargin: mg.initialMargin,
        maintenanceMargin: mg.maintenanceMargin,
      });
    }
    return out;
  }

  /** Funding of a market at this block's time, as the contract's views give it. */
  funding(row: MarketRow): FundingAt {
    const key = row.market.marketId.toString();
    let f = this.fundingMemo.get(key);
    if (!f) {
      const { state, params } = row.market;
      const price = this.price(row.market.marketId);
      const now = fundingNow(state, params, price, this.timestamp);
      f = {
        rate: now.rate,
        index: now.index,
        velocity: fundingVelocity(state.skew, params),
        rateInOneHour: fundingNow(state, params, price, this.timestamp + 3600n).rate,
      };
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
