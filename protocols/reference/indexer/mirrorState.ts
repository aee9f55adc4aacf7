/**
 * The mirror's working copy of the exchange, in memory: what the tables hold, as the exact
 * engine's plain data, plus which rows exist.
 *
 * Why in memory: every call the mirror replays needs the markets, the oracle prices and the
 * accounts it touches. Reading them through Ponder's store costs a store call per row per
 * event — most of the indexer's time. The tables stay the truth: this copy is loaded from
 * them (at start, and whenever Ponder reverted or replayed blocks — see mirrorCursor in the
 * schema), only ever changed together with them, and dropped whenever the chain's values had
 * to be written over the mirror's.
 *
 * An operation never sees this object: it gets a slice (`slice`) holding the markets, prices
 * and only the accounts it touches, because the engine's copy-on-write state copies its
 * account map on every write, which must not grow with the number of accounts.
 */
import type { ExchangeKey } from "../../protocol.js";
import {
  type Account,
  type ExchangeState,
  type Market,
  type OraclePrice,
  ZERO_ADDRESS,
} from "../engine/index.js";

/** More collateral tokens than can exist: the mirror does not model the token's balance. */
const UNLIMITED_TOKENS = 2n ** 255n;

/** The exchange-wide rows as the tables hold them (see `MirrorState.written`). */
export interface WrittenRows {
  /** The `exchange` row's values (null: no row yet). */
  exchange: { maxPriceAge: bigint; insuranceFund: bigint; accountCount: bigint } | null;
  /** `markets[i]` as its `market` row holds it. */
  markets: readonly Market[];
  /** The `oracle_price` rows. */
  prices: Readonly<Record<string, OraclePrice>>;
}

export class MirrorState {
  maxPriceAge = 0n;
  insuranceFund = 0n;
  accountCount = 0n;
  /** `markets[i]` is market `i + 1`; each has a row. */
  markets: readonly Market[] = [];
  /** The oracle's latest price per market id (its `oracle_price` rows). */
  prices: Readonly<Record<string, OraclePrice>> = {};
  /** Accounts by decimal id, with their open positions and ADL records; each has a row. */
  readonly accounts = new Map<string, Account>();
  /** `"account:market"` of every `position` row (closed positions keep a row with size 0). */
  readonly positionRows = new Set<string>();
  /** `"account:market"` of every `bad_debt` row. */
  readonly badDebtRows = new Set<string>();
  /** The block whose logs were applied last (what the `mirror_cursor` row says). */
  block: { number: bigint; hash: `0x${string}` } | null = null;
  /** Ponder's id of the last log applied (ids order like the chain). */
  lastEventId = "";
  /**
   * The exchange, market and oracle-price rows as last written. These few rows change on
   * almost every call (fees, funding, open interest), so they are written once per block
   * from the difference between this and the memory (mirrorTables.ts `writeBlockRows`),
   * not once per call; accounts and positions, which a block rarely touches twice, are
   * written as each call changes them.
   */
  written: WrittenRows = { exchange: null, markets: [], prices: {} };

  constructor(readonly exchange: ExchangeKey) {}

  /**
   * The engine state for one operation: exchange scalars, all markets and prices, and the
   * accounts in `accountIds` that exist. Authorisation is not mirrored (the chain proved the
   * caller was allowed): owner, oracle owner and updater are the zero address.
   */
  slice(accountIds: readonly bigint[]): ExchangeState {
    const accounts: Record<string, Account> = {};
    for (const id of accountIds) {
      const a = this.accounts.get(id.toString());
      if (a) accounts[id.toString()] = a;
    }
    return {
      address: this.exchange.address,
      owner: ZERO_ADDRESS,
      maxPriceAge: this.maxPriceAge,
      insuranceFund: this.insuranceFund,
      accountCount: this.accountCount,
      markets: this.markets,
      accounts,
      oracle: { owner: ZERO_ADDRESS, updaters: { [ZERO_ADDRESS]: true }, prices: this.prices },
      tokenBalance: UNLIMITED_TOKENS,
    };
  }

  /**
   * Takes an operation's post-state back, after its changes were written to the tables
   * (which also records the rows it created, see mirrorTables.ts).
   */
  absorb(after: ExchangeState): void {
    this.maxPriceAge = after.maxPriceAge;
    this.insuranceFund = after.insuranceFund;
    this.accountCount = after.accountCount;
    this.markets = after.markets;
    this.prices = after.oracle.prices;
    for (const key in after.accounts) this.accounts.set(key, after.accounts[key]!);
  }
}
