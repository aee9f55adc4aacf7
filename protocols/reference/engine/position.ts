/**
 * Position bookkeeping: storing a position (and the account's open-market bitmap with it) and
 * moving a market's skew and per-side open interest when a position changes size.
 *
 * Why: trades, liquidations and ADL all change positions through the same two internal
 * functions of the contract, `_setPosition` and `_moveOpenInterest`; only trades enforce the
 * open-interest cap, and only for a side that grows. Keeping both here means the three
 * operations cannot drift apart.
 */
import { errors, revert } from "./errors.js";
import type { Draft } from "./exchangeState.js";
import { add, max, neg, sub, toUint256, uadd, usub } from "./fixedPoint.js";
import type { Account, Market, Position } from "./types.js";

const ZERO_POSITION: Position = { size: 0n, lastPrice: 0n, lastFundingIndex: 0n };

/** The stored position (zeros when there is none). */
export function positionOf(account: Account | undefined, marketId: bigint): Position {
  return account?.positions[marketId.toString()] ?? ZERO_POSITION;
}

/** `_setPosition`: stores or deletes the position and updates the open-market bitmap. */
export function setPosition(
  d: Draft,
  account: Account,
  marketId: bigint,
  size: bigint,
  lastPrice: bigint,
  index: bigint,
): Account {
  const key = marketId.toString();
  const bit = 1n << (marketId - 1n);
  const positions = { ...account.positions };
  let openMarkets: bigint;
  if (size === 0n) {
    delete positions[key];
    openMarkets = account.openMarkets & ~bit;
  } else {
    positions[key] = { size, lastPrice, lastFundingIndex: index };
    openMarkets = account.openMarkets | bit;
  }
  const next = { ...account, positions, openMarkets };
  d.putAccount(next);
  return next;
}

/**
 * `_moveOpenInterest`: moves skew and open interest from `oldSize` to `newSize`; with
 * `enforceCap`, a side that grows past maxOpenInterest reverts.
 */
export function moveOpenInterest(
  d: Draft,
  market: Market,
  oldSize: bigint,
  newSize: bigint,
  enforceCap: boolean,
): Market {
  const s = market.state;
  const newLong = uadd(usub(s.sizeLong, toUint256(max(oldSize, 0n))), toUint256(max(newSize, 0n)));
  const newShort = uadd(
    usub(s.sizeShort, toUint256(max(neg(oldSize), 0n))),
    toUint256(max(neg(newSize), 0n)),
  );
  if (
    enforceCap &&
    ((newLong > s.sizeLong && newLong > market.params.maxOpenInterest) ||
      (newShort > s.sizeShort && newShort > market.params.maxOpenInterest))
  ) {
    revert(errors.maxOpenInterestExceeded(market.marketId, newLong, newShort));
  }
  const next = {
    ...market,
    state: {
      ...s,
      sizeLong: newLong,
      sizeShort: newShort,
      skew: add(s.skew, sub(newSize, oldSize)),
    },
  };
  d.putMarket(next);
  return next;
}

/** Market ids of the account's open positions, ascending (the contract's bitmap order). */
export function openMarketIds(account: Account): bigint[] {
  // Integer-like keys enumerate in ascending numeric order; the bitmap mirrors the keys.
  return Object.keys(account.positions).map(BigInt);
}
