/**
 * The skew-premium fill price and the taker fee.
 *
 * Why: every trade fills at the average of the premium-adjusted price before and after it,
 * `price·(1 + skew/skewScale)` and `price·(1 + (skew + sizeDelta)/skewScale)`, so trades that
 * grow the skew pay for it and trades that shrink it are paid. The fee is charged on that fill
 * notional and goes to the insurance fund. Both are exactly `_fillPrice` and the fee line of
 * `modifyPosition`, including the `InvalidFillPrice` revert when the premium drives the fill
 * to zero or below (a huge short into a short skew).
 */
import { errors, revert } from "./errors.js";
import { type Draft, readView } from "./exchangeState.js";
import { abs, add, div, divD, mulD, ONE, toInt256 } from "./fixedPoint.js";
import * as input from "./input.js";
import { requireMarket } from "./market.js";
import { oraclePrice } from "./oracle.js";
import type { ExchangeState, ViewResult } from "./types.js";

/** `_fillPrice(skew, skewScale, price, sizeDelta)`; `price` is the uint256 oracle price. */
export function fillPrice(
  skew: bigint,
  skewScale: bigint,
  price: bigint,
  sizeDelta: bigint,
): bigint {
  const p = toInt256(price);
  const scale = toInt256(skewScale);
  const before = mulD(p, add(ONE, divD(skew, scale)));
  const afterTrade = mulD(p, add(ONE, divD(add(skew, sizeDelta), scale)));
  const fill = div(add(before, afterTrade), 2n);
  if (fill <= 0n) revert(errors.invalidFillPrice(fill));
  return fill;
}

/** The taker fee of a trade: `|sizeDelta| * fill * takerFee`. */
export function takerFee(sizeDelta: bigint, fill: bigint, takerFeeRatio: bigint): bigint {
  return mulD(mulD(abs(sizeDelta), fill), toInt256(takerFeeRatio));
}

/** The `fillPrice(marketId, sizeDelta)` view: at the stored oracle price, fresh or not. */
export function fillPriceView(
  state: ExchangeState,
  marketId: bigint,
  sizeDelta: bigint,
  timestamp: bigint,
): ViewResult<bigint> {
  return readView(state, timestamp, (d: Draft) => {
    const id = input.uint256(marketId, "marketId");
    const delta = input.int256(sizeDelta, "sizeDelta");
    const m = requireMarket(d, id);
    return fillPrice(m.state.skew, m.params.skewScale, oraclePrice(d, id), delta);
  });
}
