/**
 * Trades: `modifyPosition` — the fill, the fee, realizing PnL and funding, the open-interest
 * cap, and the margin check.
 *
 * Why: a trade is where an account takes on risk, and where the exchange refuses it. The
 * contract's order is the order here: account and owner, zero size, market, fresh price,
 * funding checkpoint, fill price (may revert `InvalidFillPrice`), fee, realized PnL and funding
 * (the whole position is realized at the fill and its entry reset), the open-interest cap,
 * collateral, then the margin check with every open market's price fresh: `equity ≥ IM`, or
 * `equity ≥ 0` for a trade that only reduces the position (an underwater account cannot close
 * itself; it must be liquidated so its loss goes through the waterfall). The fee goes to the
 * insurance fund after the position event.
 */
import { requireOwnedAccount } from "./account.js";
import { errors, revert } from "./errors.js";
import { transact } from "./exchangeState.js";
import { fillPrice, takerFee } from "./fillPrice.js";
import { add, mulD, sub, toUint256 } from "./fixedPoint.js";
import { checkpoint, emitFunding } from "./funding.js";
import * as input from "./input.js";
import { creditInsurance } from "./insuranceFund.js";
import { healthOf } from "./margin.js";
import { requireMarket } from "./market.js";
import { freshPrice } from "./oracle.js";
import { moveOpenInterest, positionOf, setPosition } from "./position.js";
import {
  type Context,
  type ExchangeState,
  InsuranceReason,
  type ModifyPositionInput,
  type OpResult,
  PositionChange,
} from "./types.js";

/** Whether moving from `oldSize` to `newSize` only reduces the position (needs equity ≥ 0, not IM). */
export function isReducing(oldSize: bigint, newSize: bigint): boolean {
  return (
    newSize === 0n ||
    (oldSize > 0n && newSize > 0n && newSize < oldSize) ||
    (oldSize < 0n && newSize < 0n && newSize > oldSize)
  );
}

/** `modifyPosition(accountId, marketId, sizeDelta)`. */
export function modifyPosition(
  state: ExchangeState,
  args: ModifyPositionInput,
  ctx: Context,
): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const accountId = input.uint256(o.accountId, "accountId");
    const marketId = input.uint256(o.marketId, "marketId");
    const sizeDelta = input.int256(o.sizeDelta, "sizeDelta");

    requireOwnedAccount(d, accountId);
    if (sizeDelta === 0n) revert(errors.zeroSizeDelta());
    requireMarket(d, marketId);
    const price = freshPrice(d, marketId);
    let m = checkpoint(d, requireMarket(d, marketId), price);

    let a = d.account(accountId)!;
    const p = positionOf(a, marketId);
    const oldSize = p.size;
    const fill = fillPrice(m.state.skew, m.params.skewScale, price, sizeDelta);
    const fee = takerFee(sizeDelta, fill, m.params.takerFee);
    const realizedPnl = mulD(oldSize, sub(fill, p.lastPrice));
    const realizedFunding = mulD(oldSize, sub(m.state.lastFundingIndex, p.lastFundingIndex));
    const newSize = add(oldSize, sizeDelta);

    m = moveOpenInterest(d, m, oldSize, newSize, true);

    a = { ...a, collateral: add(a.collateral, sub(add(realizedPnl, realizedFunding), fee)) };
    d.putAccount(a);
    a = setPosition(d, a, marketId, newSize, fill, m.state.lastFundingIndex);

    const h = healthOf(d, a, true);
    const required = isReducing(oldSize, newSize) ? 0n : h.initialMargin;
    if (h.equity < required) revert(errors.insufficientMargin(h.equity, required));

    d.emit({
      name: "PositionModified",
      args: {
        accountId,
        marketId,
        kind: PositionChange.Trade,
        sizeDelta,
        newSize,
        fillPrice: fill,
        realizedPnl,
        realizedFunding,
        fee,
        newCollateral: a.collateral,
      },
    });
    if (fee > 0n) creditInsurance(d, toUint256(fee), InsuranceReason.Fee);
    emitFunding(d, marketId, price);
  });
}
