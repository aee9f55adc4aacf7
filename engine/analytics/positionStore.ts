/**
 * PositionStore: the whole book as float64 columns — positions in CSR layout by account, one
 * row of margin parameters per market — built from the exact engine's plain data.
 *
 * Why: ladders, cascades, stress grids and Monte-Carlo touch every position many times; as
 * bigint objects that is hours, as typed arrays walked account by account (the positions of an
 * account are contiguous, so per-account sums stream through memory) it is milliseconds. Every
 * D18 value is converted once, here. The store keeps what the contract's `_health` reads, with
 * the same definitions, and precomputes the per-position coefficients that make every health
 * quantity an affine function of the market's price `P`:
 *
 *   index(P)   = fundingIndexBase + fundingPerPrice·P     (`_fundingNow` is affine in P)
 *   equity     = collateral + Σ (equityPerPrice·P + equityConst)
 *   MM         = Σ (mmPerPrice·P + minPositionMargin)   with mmPerPrice = |size|·imr·mmScalar
 *   IM         = Σ (imPerPrice·P + minPositionMargin)   with imPerPrice = |size|·imr
 *   notional   = Σ |size|·P
 *
 * (`imr = imrMin + |size|/skewScale·imrScalar` depends on size only, never on price.)
 */

import type { Account, Market, OraclePrice } from "../risk/book.js";
import type { LiquidityCurve } from "../risk/liquidityCurve.js";
import type { RiskModel } from "../risk/riskModel.js";
import { fromD18 } from "./d18.js";

const ONE = 10n ** 18n;

/** The plain data a store is built from: what the exact engine holds, at one block time. */
export interface BookInput {
  /** `markets[i]` is market id `i + 1`, as in `ExchangeState.markets`. */
  markets: readonly Market[];
  /** Accounts (a record keyed by id, as in `ExchangeState.accounts`, or any iterable). */
  accounts: Readonly<Record<string, Account>> | Iterable<Account>;
  /** Oracle prices keyed by decimal market id, as in `ExchangeState.oracle.prices`. */
  prices: Readonly<Record<string, OraclePrice>>;
  /** Block time funding is accrued to (`_fundingNow`'s `block.timestamp`). */
  timestamp: bigint;
  /** The protocol's risk model: how a market's funding index moves with its price. */
  model: Pick<RiskModel, "fundingIndexAffine">;
}

/** The parts of an exchange's state a store is built from (an exact engine's state, a book). */
export interface BookSource {
  markets: readonly Market[];
  accounts: Readonly<Record<string, Account>>;
  oracle: { prices: Readonly<Record<string, OraclePrice>> };
}

/** The book input of an exchange state at block time `timestamp`, under a risk model. */
export function bookOf(
  state: BookSource,
  timestamp: bigint,
  model: Pick<RiskModel, "fundingIndexAffine">,
): BookInput {
  return {
    markets: state.markets,
    accounts: state.accounts,
    prices: state.oracle.prices,
    timestamp,
    model,
  };
}

export interface PositionStore {
  readonly marketCount: number;
  readonly accountCount: number;
  readonly positionCount: number;

  // ---- per market (index m = marketId − 1)
  readonly marketIds: readonly bigint[];
  readonly symbols: readonly string[];
  /** Oracle price (the mark every move is relative to). */
  readonly price: Float64Array;
  /** Funding index now, at the mark. */
  readonly fundingIndex: Float64Array;
  /** `fundingIndex(P) = fundingIndexBase + fundingPerPrice·P`. */
  readonly fundingIndexBase: Float64Array;
  readonly fundingPerPrice: Float64Array;
  readonly imrMin: Float64Array;
  readonly imrScalar: Float64Array;
  readonly skewScale: Float64Array;
  readonly mmScalar: Float64Array;
  readonly minPositionMargin: Float64Array;
  readonly keeperRewardRatio: Float64Array;
  readonly maxKeeperReward: Float64Array;
  readonly liquidationPenaltyRatio: Float64Array;
  readonly maxOpenInterest: Float64Array;
  /** The pool each market's liquidations trade against, when it has one (null: none). */
  readonly venues: readonly (LiquidityCurve | null)[];

  // ---- per account (index a); positions of a are [accountStart[a], accountStart[a + 1])
  readonly accountIds: readonly bigint[];
  readonly accountStart: Int32Array;
  readonly collateral: Float64Array;

  // ---- per position (index i)
  readonly positionAccount: Int32Array;
  readonly positionMarket: Int32Array;
  readonly size: Float64Array;
  readonly entryPrice: Float64Array;
  readonly entryFundingIndex: Float64Array;
  /** ∂equity/∂P: `size·(1 + fundingPerPrice)`. */
  readonly equityPerPrice: Float64Array;
  /** equity term at P = 0: `size·(fundingIndexBase − entryFundingIndex) − size·entryPrice`. */
  readonly equityConst: Float64Array;
  /** ∂MM/∂P: `|size|·imr·mmScalar`. */
  readonly mmPerPrice: Float64Array;
  /** ∂IM/∂P: `|size|·imr`. */
  readonly imPerPrice: Float64Array;
}

function isIterable(x: unknown): x is Iterable<Account> {
  return typeof x === "object" && x !== null && Symbol.iterator in x;
}

function accountList(accounts: BookInput["accounts"]): Account[] {
  if (isIterable(accounts)) return Array.from(accounts);
  const out: Account[] = [];
  for (const key in accounts) out.push(accounts[key]!);
  return out;
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Builds the column store. Throws a `RangeError` naming the account and market on bad input. */
export function buildPositionStore(book: BookInput): PositionStore {
  const nM = book.markets.length;
  const marketIds: bigint[] = [];
  const symbols: string[] = [];
  const col = () => new Float64Array(nM);
  const price = col();
  const fundingIndex = col();
  const fundingIndexBase = col();
  const fundingPerPrice = col();
  const imrMin = col();
  const imrScalar = col();
  const skewScale = col();
  const mmScalar = col();
  const minPositionMargin = col();
  const keeperRewardRatio = col();
  const maxKeeperReward = col();
  const liquidationPenaltyRatio = col();
  const maxOpenInterest = col();
  const venues: (LiquidityCurve | null)[] = [];
  for (let m = 0; m < nM; m++) {
    const mk = book.markets[m]!;
    venues.push(mk.venue ?? null);
    if (mk.marketId !== BigInt(m + 1)) {
      throw new RangeError(`markets[${m}]: marketId is ${mk.marketId}, expected ${m + 1}`);
    }
    marketIds.push(mk.marketId);
    symbols.push(mk.symbol);
    const p = book.prices[mk.marketId.toString()]?.price ?? 0n;
    price[m] = fromD18(p);
    try {
      // The index is affine in the price: base + perPrice·P/1e18, truncated as mulD is.
      const f = book.model.fundingIndexAffine(mk, book.timestamp);
      fundingIndex[m] = fromD18(f.base + (f.perPrice * p) / ONE);
      fundingIndexBase[m] = fromD18(f.base);
      fundingPerPrice[m] = fromD18(f.perPrice);
    } catch (e) {
      throw new RangeError(
        `market ${mk.marketId}: funding cannot be accrued to ${book.timestamp} (${(e as Error).message})`,
      );
    }
    const q = mk.params;
    imrMin[m] = fromD18(q.imrMin);
    imrScalar[m] = fromD18(q.imrScalar);
    skewScale[m] = fromD18(q.skewScale);
    mmScalar[m] = fromD18(q.mmScalar);
    minPositionMargin[m] = fromD18(q.minPositionMargin);
    keeperRewardRatio[m] = fromD18(q.keeperRewardRatio);
    maxKeeperReward[m] = fromD18(q.maxKeeperReward);
    liquidationPenaltyRatio[m] = fromD18(q.liquidationPenaltyRatio);
    maxOpenInterest[m] = fromD18(q.maxOpenInterest);
  }

  const accounts = accountList(book.accounts);
  const nA = accounts.length;
  const accountIds: bigint[] = new Array<bigint>(nA);
  const accountStart = new Int32Array(nA + 1);
  const collateral = new Float64Array(nA);
  // One pass over the objects (the expensive part is reading them): position columns start at
  // 4 per account and grow; they are trimmed to size at the end.
  let cap = Math.max(16, 4 * nA);
  let positionAccount = new Int32Array(cap);
  let positionMarket = new Int32Array(cap);
  let size = new Float64Array(cap);
  let entryPrice = new Float64Array(cap);
  let entryFundingIndex = new Float64Array(cap);

  let i = 0;
  for (let a = 0; a < nA; a++) {
    const acc = accounts[a]!;
    accountIds[a] = acc.accountId;
    collateral[a] = fromD18(acc.collateral);
    accountStart[a] = i;
    const ps = acc.positions;
    for (const key in ps) {
      const p = ps[key]!;
      if (p.size === 0n) continue;
      const m = +key - 1;
      if (!(m >= 0 && m < nM && Number.isInteger(m))) {
        throw new RangeError(`account ${acc.accountId}: position in unknown market ${key}`);
      }
      if (!(price[m]! > 0)) {
        throw new RangeError(
          `account ${acc.accountId}: position in market ${key}, which has no oracle price`,
        );
      }
      if (i === cap) {
        cap *= 2;
        positionAccount = grow(positionAccount, new Int32Array(cap));
        positionMarket = grow(positionMarket, new Int32Array(cap));
        size = grow(size, new Float64Array(cap));
        entryPrice = grow(entryPrice, new Float64Array(cap));
        entryFundingIndex = grow(entryFundingIndex, new Float64Array(cap));
      }
      positionAccount[i] = a;
      positionMarket[i] = m;
      size[i] = fromD18(p.size);
      entryPrice[i] = fromD18(p.lastPrice);
      entryFundingIndex[i] = fromD18(p.lastFundingIndex);
      i++;
    }
  }
  accountStart[nA] = i;
  const nP = i;
  positionAccount = positionAccount.slice(0, nP);
  positionMarket = positionMarket.slice(0, nP);
  size = size.slice(0, nP);
  entryPrice = entryPrice.slice(0, nP);
  entryFundingIndex = entryFundingIndex.slice(0, nP);

  const equityPerPrice = new Float64Array(nP);
  const equityConst = new Float64Array(nP);
  const mmPerPrice = new Float64Array(nP);
  const imPerPrice = new Float64Array(nP);
  for (let j = 0; j < nP; j++) {
    const m = positionMarket[j]!;
    const s = size[j]!;
    const absS = s < 0 ? -s : s;
    const imr = imrMin[m]! + (absS / skewScale[m]!) * imrScalar[m]!;
    equityPerPrice[j] = s * (1 + fundingPerPrice[m]!);
    equityConst[j] = s * (fundingIndexBase[m]! - entryFundingIndex[j]!) - s * entryPrice[j]!;
    mmPerPrice[j] = absS * imr * mmScalar[m]!;
    imPerPrice[j] = absS * imr;
  }

  return {
    marketCount: nM,
    accountCount: nA,
    positionCount: nP,
    marketIds,
    symbols,
    price,
    fundingIndex,
    fundingIndexBase,
    fundingPerPrice,
    imrMin,
    imrScalar,
    skewScale,
    mmScalar,
    minPositionMargin,
    keeperRewardRatio,
    maxKeeperReward,
    liquidationPenaltyRatio,
    maxOpenInterest,
    venues,
    accountIds,
    accountStart,
    collateral,
    positionAccount,
    positionMarket,
    size,
    entryPrice,
    entryFundingIndex,
    equityPerPrice,
    equityConst,
    mmPerPrice,
    imPerPrice,
  };
}

/** The store's market index of `marketId` (throws when there is none). */
export function marketIndex(store: PositionStore, marketId: bigint): number {
  const m = Number(marketId) - 1;
  if (!(m >= 0 && m < store.marketCount)) {
    throw new RangeError(`marketId ${marketId} is not one of the ${store.marketCount} markets`);
  }
  return m;
}

/** Bytes held by the store's typed arrays (what memory the columns take). */
export function storeBytes(store: PositionStore): number {
  let n = 0;
  for (const v of Object.values(store)) {
    if (ArrayBuffer.isView(v)) n += v.byteLength;
  }
  return n;
}
