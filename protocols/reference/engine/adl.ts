/**
 * Auto-deleveraging: absorbing a bankrupt account's bad debt by closing profitable
 * opposite-side positions at the bankruptcy price, and ranking who goes first.
 *
 * Why: ADL is the last step of the loss waterfall — what the insurance fund could not cover
 * is taken from the traders who profited from the other side. Records are kept per
 * (account, market, side), so bankruptcies on opposite sides of one market never net. The
 * contract checks each named counterparty is opposite-side and in profit, realizes its
 * position at the oracle price and then charges its pro-rata share of the debt
 * (`debt·q/|recordSize|`, the whole remaining debt for the last slice), which is closing it
 * at `price + debt/recordSize` without rounding dust — but never more than its profit: a
 * counterparty whose profit falls short pays all of it and closes only
 * `profit·|recordSize|/debt`, and the rest waits for the next one in the list. Who to name is
 * decided off chain; `rankAdlCounterparties` ranks them as Hyperliquid does, by profit factor
 * times leverage.
 */
import { requireAccount } from "./account.js";
import { errors, Revert, revert } from "./errors.js";
import { type Draft, readView, transact } from "./exchangeState.js";
import {
  abs,
  add,
  div,
  divD,
  min,
  mul,
  mulD,
  neg,
  sub,
  toInt256,
  toUint256,
  usub,
} from "./fixedPoint.js";
import { checkpoint, emitFunding, fundingNow } from "./funding.js";
import * as input from "./input.js";
import { healthOf } from "./margin.js";
import { requireMarket } from "./market.js";
import { freshPrice, oraclePrice } from "./oracle.js";
import { moveOpenInterest, positionOf, setPosition } from "./position.js";
import {
  type Account,
  type AdlRecord,
  type AutoDeleverageInput,
  type Context,
  type ExchangeState,
  type OpResult,
  PositionChange,
  type ViewResult,
} from "./types.js";

const ZERO_RECORD: AdlRecord = { size: 0n, debt: 0n };

/** The key of the ADL record of (market, side) in `Account.adlRecords`. */
export function adlKey(marketId: bigint, isLong: boolean): string {
  return `${marketId}:${isLong ? "long" : "short"}`;
}

/** The market and side an `Account.adlRecords` key names. */
export function parseAdlKey(key: string): { marketId: bigint; isLong: boolean } {
  const [market, side] = key.split(":");
  if (!market || !/^[0-9]+$/.test(market) || (side !== "long" && side !== "short")) {
    throw new Error(`ADL record key "${key}": expected "<market id>:long" or "<market id>:short"`);
  }
  return { marketId: BigInt(market), isLong: side === "long" };
}

/** The account's ADL record on side `isLong` of `marketId` (zeros when there is none). */
export function adlRecordOf(
  account: Account | undefined,
  marketId: bigint,
  isLong: boolean,
): AdlRecord {
  return account?.adlRecords[adlKey(marketId, isLong)] ?? ZERO_RECORD;
}

/** Stores an ADL record (a zero record is deleted, as the contract's zero struct reads). */
export function setAdlRecord(
  d: Draft,
  accountId: bigint,
  marketId: bigint,
  isLong: boolean,
  r: AdlRecord,
): void {
  const a = d.account(accountId)!;
  const adlRecords = { ...a.adlRecords };
  const key = adlKey(marketId, isLong);
  if (r.size === 0n && r.debt === 0n) delete adlRecords[key];
  else adlRecords[key] = r;
  d.putAccount({ ...a, adlRecords });
}

/** Whether `autoDeleverage(accountId, marketId, …)` would find debt to absorb. */
export function hasPendingBadDebt(r: AdlRecord): boolean {
  return r.debt !== 0n || r.size !== 0n;
}

/** `_deleverageOne`: one counterparty, charged its share of the debt or at most its profit. */
function deleverageOne(
  d: Draft,
  bankruptAccountId: bigint,
  marketId: bigint,
  isLong: boolean,
  cpId: bigint,
  price: bigint,
): void {
  let c = requireAccount(d, cpId);
  const r = adlRecordOf(d.account(bankruptAccountId), marketId, isLong);
  const p = positionOf(c, marketId);
  const size = p.size;
  if (size === 0n || size > 0n === isLong) revert(errors.notOppositeSide(cpId));
  const px = toInt256(price);
  let m = d.market(marketId)!;
  const index = m.state.lastFundingIndex;
  const pricePnl = mulD(size, sub(px, p.lastPrice));
  const realizedFunding = mulD(size, sub(index, p.lastFundingIndex));
  if (add(pricePnl, realizedFunding) <= 0n) {
    revert(errors.notInProfit(cpId, add(pricePnl, realizedFunding)));
  }

  const recordAbs = abs(r.size);
  let q = min(abs(size), recordAbs);
  let loss = q === recordAbs ? toInt256(r.debt) : div(mul(toInt256(r.debt), q), recordAbs);
  const profit = add(pricePnl, realizedFunding);
  if (loss > profit) {
    loss = profit;
    q = div(mul(loss, recordAbs), toInt256(r.debt));
  }
  const bankruptcyPrice = add(px, divD(toInt256(r.debt), r.size));
  const sizeDelta = size > 0n ? neg(q) : q;
  const newSize = add(size, sizeDelta);

  c = { ...c, collateral: add(c.collateral, sub(add(pricePnl, realizedFunding), loss)) };
  d.putAccount(c);
  m = moveOpenInterest(d, m, size, newSize, false);
  c = setPosition(d, c, marketId, newSize, px, index);
  const rNow = adlRecordOf(d.account(bankruptAccountId), marketId, isLong);
  setAdlRecord(d, bankruptAccountId, marketId, isLong, {
    size: add(rNow.size, rNow.size > 0n ? neg(q) : q),
    debt: usub(rNow.debt, toUint256(loss)),
  });
  d.putMarket({ ...m, state: { ...m.state, badDebt: usub(m.state.badDebt, toUint256(loss)) } });

  d.emit({
    name: "PositionModified",
    args: {
      accountId: cpId,
      marketId,
      kind: PositionChange.Adl,
      sizeDelta,
      newSize,
      fillPrice: bankruptcyPrice,
      realizedPnl: sub(pricePnl, loss),
      realizedFunding,
      fee: 0n,
      newCollateral: c.collateral,
    },
  });
  d.emit({
    name: "PositionAutoDeleveraged",
    args: {
      bankruptAccountId,
      counterpartyAccountId: cpId,
      marketId,
      sizeDelta,
      bankruptcyPrice,
      lossAbsorbed: loss,
      isLong,
    },
  });
}

/** `autoDeleverage(bankruptAccountId, marketId, isLong, counterparties)`. */
export function autoDeleverage(
  state: ExchangeState,
  args: AutoDeleverageInput,
  ctx: Context,
): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const bankruptAccountId = input.uint256(o.bankruptAccountId, "bankruptAccountId");
    const marketId = input.uint256(o.marketId, "marketId");
    const isLong = input.bool(o.isLong, "isLong");
    const counterparties = input.uint256Array(o.counterparties, "counterparties");

    requireMarket(d, marketId);
    const record = () => adlRecordOf(d.account(bankruptAccountId), marketId, isLong);
    if (!hasPendingBadDebt(record())) {
      revert(errors.noPendingBadDebt(bankruptAccountId, marketId, isLong));
    }
    const price = freshPrice(d, marketId);
    checkpoint(d, requireMarket(d, marketId), price);
    for (let i = 0; i < counterparties.length && record().size !== 0n; i++) {
      deleverageOne(d, bankruptAccountId, marketId, isLong, counterparties[i]!, price);
    }
    const r = record();
    d.emit({
      name: "BadDebtRecorded",
      args: {
        accountId: bankruptAccountId,
        marketId,
        recordSize: r.size,
        recordDebt: r.debt,
        marketBadDebt: d.market(marketId)!.state.badDebt,
        isLong,
      },
    });
    emitFunding(d, marketId, price);
  });
}

/** A candidate counterparty for ADL with the score it is ranked by. */
export interface AdlCandidate {
  accountId: bigint;
  size: bigint;
  /** PnL plus accrued funding at the oracle price and funding now (what the contract checks). */
  pnl: bigint;
  /** `profitFactor · leverage`, D18: mark/entry (entry/mark for shorts) × notional/equity. */
  score: bigint;
}

/**
 * Accounts that `autoDeleverage(bankruptAccountId, marketId, isLong, …)` would accept right
 * now — opposite the bankrupt side and in profit — ranked highest score first (ties: lower
 * id). Only accounts present in `state.accounts` are considered.
 */
export function rankAdlCounterparties(
  state: ExchangeState,
  bankruptAccountId: bigint,
  marketId: bigint,
  isLong: boolean,
  timestamp: bigint,
): ViewResult<AdlCandidate[]> {
  return readView(state, timestamp, (d) => {
    const record = adlRecordOf(d.account(bankruptAccountId), marketId, isLong);
    const m = d.market(marketId);
    if (!m || record.size === 0n) return [];
    const price = oraclePrice(d, marketId);
    const px = toInt256(price);
    const { index } = fundingNow(m.state, m.params, price, d.now);
    const out: AdlCandidate[] = [];
    for (const key in state.accounts) {
      const a = state.accounts[key]!;
      const p = a.positions[marketId.toString()];
      if (!p || p.size > 0n === isLong) continue;
      const pnl = add(
        mulD(p.size, sub(px, p.lastPrice)),
        mulD(p.size, sub(index, p.lastFundingIndex)),
      );
      if (pnl <= 0n) continue;
      let equity = 0n;
      try {
        equity = healthOf(d, a, false).equity;
      } catch (e) {
        if (!(e instanceof Revert)) throw e; // an account whose health reverts ranks last
      }
      const notional = mulD(abs(p.size), px);
      const factor = p.size > 0n ? divD(px, p.lastPrice) : divD(p.lastPrice, px);
      const score = equity > 0n ? mulD(factor, divD(notional, equity)) : 0n;
      out.push({ accountId: a.accountId, size: p.size, pnl, score });
    }
    out.sort((x, y) =>
      x.score === y.score ? (x.accountId < y.accountId ? -1 : 1) : x.score > y.score ? -1 : 1,
    );
    return out;
  });
}
