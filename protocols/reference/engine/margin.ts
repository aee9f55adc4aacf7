/**
 * Position and account health: PnL, accrued funding, notional, initial and maintenance margin,
 * equity, liquidatability and margin ratio.
 *
 * Why: this is the question the whole monitor asks of every account at every block — how far
 * is it from liquidation — and the contract's answer (`_health`) is the only one that counts.
 * `healthOf` is `_health` line for line: markets in ascending id, the price read fresh or not,
 * funding as of now per market, then `imr = imrMin + |size|/skewScale·imrScalar`,
 * `IM = notional·imr + minPositionMargin`, `MM = notional·imr·mmScalar + minPositionMargin`.
 * `marketMarks` + `healthWithMarks` give the same numbers faster when many accounts are
 * evaluated at one block: the per-market price and funding index are computed once instead of
 * once per position (they cannot differ — `_fundingNow` depends on the market only).
 */

import { errors, Revert } from "./errors.js";
import { type Draft, readView } from "./exchangeState.js";
import { abs, add, divD, mulD, sub, toInt256 } from "./fixedPoint.js";
import { fundingNow } from "./funding.js";
import { freshPrice, oraclePrice } from "./oracle.js";
import type {
  Account,
  EngineError,
  ExchangeState,
  Health,
  MarketParams,
  Position,
  ViewResult,
} from "./types.js";

/** One position's contribution to its account's health. */
export interface PositionHealth {
  marketId: bigint;
  size: bigint;
  price: bigint;
  fundingIndex: bigint;
  /** `size·(price − lastPrice)`. */
  pnl: bigint;
  /** `size·(fundingIndex − lastFundingIndex)` (negative: the position pays). */
  accruedFunding: bigint;
  notional: bigint;
  /** The size-scaled initial margin ratio `imrMin + |size|/skewScale·imrScalar`. */
  imr: bigint;
  initialMargin: bigint;
  maintenanceMargin: bigint;
}

/** The margin numbers of a position of `size` at int price `px` (as `_health` computes them). */
export function positionMargins(
  params: MarketParams,
  size: bigint,
  px: bigint,
): { notional: bigint; imr: bigint; initialMargin: bigint; maintenanceMargin: bigint } {
  const absSize = abs(size);
  const notional = mulD(absSize, px);
  const imr = add(
    toInt256(params.imrMin),
    mulD(divD(absSize, toInt256(params.skewScale)), toInt256(params.imrScalar)),
  );
  const mpm = toInt256(params.minPositionMargin);
  return {
    notional,
    imr,
    initialMargin: add(mulD(notional, imr), mpm),
    maintenanceMargin: add(mulD(notional, mulD(imr, toInt256(params.mmScalar))), mpm),
  };
}

/** `_maintenanceMarginOf(marketId, size, price)`: the bad-debt split's weights. */
export function maintenanceMarginOf(params: MarketParams, size: bigint, price: bigint): bigint {
  return positionMargins(params, size, toInt256(price)).maintenanceMargin;
}

/** A position's PnL and funding terms (each a separate `mulD`, as `_health` sums them). */
export function positionPnl(
  p: Position,
  px: bigint,
  index: bigint,
): { pnl: bigint; funding: bigint } {
  return {
    pnl: mulD(p.size, sub(px, p.lastPrice)),
    funding: mulD(p.size, sub(index, p.lastFundingIndex)),
  };
}

/** Market ids whose bit is set in `mask`, ascending, up to `marketCount`. */
export function maskIds(mask: bigint, marketCount: bigint): bigint[] {
  const ids: bigint[] = [];
  for (let id = 1n; id <= marketCount && mask >> (id - 1n) !== 0n; id++) {
    if ((mask >> (id - 1n)) & 1n) ids.push(id);
  }
  return ids;
}

/** `_health(accountId, requireFresh)` inside an operation; `details` collects per-position terms. */
export function healthOf(
  d: Draft,
  account: Account | undefined,
  requireFresh: boolean,
  details?: PositionHealth[],
): Health {
  const h: Health = {
    equity: account?.collateral ?? 0n,
    initialMargin: 0n,
    maintenanceMargin: 0n,
    notional: 0n,
  };
  if (!account || account.openMarkets === 0n) return h;
  for (const id of maskIds(account.openMarkets, d.marketCount)) {
    const price = requireFresh ? freshPrice(d, id) : oraclePrice(d, id);
    const m = d.market(id)!;
    const { index } = fundingNow(m.state, m.params, price, d.now);
    const p = account.positions[id.toString()]!;
    const px = toInt256(price);
    const { pnl, funding } = positionPnl(p, px, index);
    h.equity = add(h.equity, add(pnl, funding));
    const mg = positionMargins(m.params, p.size, px);
    h.initialMargin = add(h.initialMargin, mg.initialMargin);
    h.maintenanceMargin = add(h.maintenanceMargin, mg.maintenanceMargin);
    h.notional = add(h.notional, mg.notional);
    details?.push({
      marketId: id,
      size: p.size,
      price,
      fundingIndex: index,
      pnl,
      accruedFunding: funding,
      ...mg,
    });
  }
  return h;
}

/** The contract's liquidation condition: `MM > 0 && equity < MM`. */
export function isLiquidatable(h: Health): boolean {
  return h.maintenanceMargin > 0n && h.equity < h.maintenanceMargin;
}

/**
 * Maintenance margin over equity, D18 (`MM·1e18/equity`): at or above 1e18 the account can
 * be liquidated. `null` when equity is zero or negative (the account is underwater).
 */
export function marginRatio(h: Health): bigint | null {
  if (h.equity <= 0n) return null;
  return (h.maintenanceMargin * 10n ** 18n) / h.equity;
}

/** Account health as the `accountHealth(accountId)` view returns it at block time `timestamp`. */
export function accountHealth(
  state: ExchangeState,
  accountId: bigint,
  timestamp: bigint,
): ViewResult<Health> {
  return readView(state, timestamp, (d) => healthOf(d, d.account(accountId), false));
}

/** The `canLiquidate(accountId)` view. */
export function canLiquidate(
  state: ExchangeState,
  accountId: bigint,
  timestamp: bigint,
): ViewResult<boolean> {
  return readView(state, timestamp, (d) =>
    isLiquidatable(healthOf(d, d.account(accountId), false)),
  );
}

/** Health plus each position's terms, for an API; `requireFresh` as a trade would check. */
export function accountHealthDetails(
  state: ExchangeState,
  accountId: bigint,
  timestamp: bigint,
  requireFresh = false,
): ViewResult<{ health: Health; positions: PositionHealth[] }> {
  return readView(state, timestamp, (d) => {
    const positions: PositionHealth[] = [];
    const health = healthOf(d, d.account(accountId), requireFresh, positions);
    return { health, positions };
  });
}

// ------------------------------------------------------------------ many accounts, one block

/** A market's price and funding index at one block, precomputed for many health evaluations. */
export interface MarketMark {
  px: bigint;
  index: bigint;
  imrMin: bigint;
  skewScale: bigint;
  imrScalar: bigint;
  mmScalar: bigint;
  minPositionMargin: bigint;
}

/** Marks of every market at block time `timestamp` (`marks[marketId - 1]`); an error where the
 *  contract's `_fundingNow` for that market reverts. */
export type MarketMarks = readonly (MarketMark | { error: EngineError })[];

export function marketMarks(state: ExchangeState, timestamp: bigint): MarketMarks {
  return state.markets.map((m) => {
    try {
      const price = state.oracle.prices[m.marketId.toString()]?.price ?? 0n;
      const { index } = fundingNow(m.state, m.params, price, timestamp);
      return {
        px: toInt256(price),
        index,
        imrMin: toInt256(m.params.imrMin),
        skewScale: toInt256(m.params.skewScale),
        imrScalar: toInt256(m.params.imrScalar),
        mmScalar: toInt256(m.params.mmScalar),
        minPositionMargin: toInt256(m.params.minPositionMargin),
      };
    } catch (e) {
      if (e instanceof Revert) return { error: e.error };
      throw e;
    }
  });
}

/** `accountHealth` of `account` given the block's marks: the same numbers, computed faster. */
export function healthWithMarks(marks: MarketMarks, account: Account): ViewResult<Health> {
  let equity = account.collateral;
  let initialMargin = 0n;
  let maintenanceMargin = 0n;
  let notional = 0n;
  try {
    for (const key in account.positions) {
      const mark = marks[Number(key) - 1];
      if (mark === undefined) {
        return {
          ok: false,
          error: errors.invalidInput("account", `market ${key} is not in marks`),
        };
      }
      if ("error" in mark) return { ok: false, error: mark.error };
      const p = account.positions[key]!;
      const size = p.size;
      equity = add(
        equity,
        add(mulD(size, sub(mark.px, p.lastPrice)), mulD(size, sub(mark.index, p.lastFundingIndex))),
      );
      const absSize = abs(size);
      const n = mulD(absSize, mark.px);
      const imr = add(mark.imrMin, mulD(divD(absSize, mark.skewScale), mark.imrScalar));
      initialMargin = add(initialMargin, add(mulD(n, imr), mark.minPositionMargin));
      maintenanceMargin = add(
        maintenanceMargin,
        add(mulD(n, mulD(imr, mark.mmScalar)), mark.minPositionMargin),
      );
      notional = add(notional, n);
    }
  } catch (e) {
    if (e instanceof Revert) return { ok: false, error: e.error };
    throw e;
  }
  return { ok: true, value: { equity, initialMargin, maintenanceMargin, notional } };
}
