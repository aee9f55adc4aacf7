/**
 * Liquidation: closing a whole account at oracle prices and running the loss waterfall.
 *
 * Why: this is the event a risk monitor exists to foresee, and its outcome is a chain of
 * small roundings that must agree with the contract to the wei: every open market is
 * checkpointed at a fresh price, health is taken (`MM > 0 && equity < MM` or
 * `NotLiquidatable`), the keeper reward (`min(N·ratio, max)` per market) and the penalty cap
 * are summed, every position is closed at the oracle price, then: `rest = equity − keeper`;
 * if `rest ≥ 0` the penalty `min(rest, cap)` goes to the insurance fund and the remainder
 * stays as collateral; otherwise the fund covers what it can and the rest is bad debt, split
 * across the account's markets in proportion to their maintenance margin (the last market
 * takes the remainder) into ADL records, one per (market, side closed). The keeper is paid in
 * tokens last.
 */
import { requireAccount } from "./account.js";
import { adlRecordOf, setAdlRecord } from "./adl.js";
import { errors, revert } from "./errors.js";
import { type Draft, transact } from "./exchangeState.js";
import {
  abs,
  add,
  min,
  mulD,
  neg,
  sub,
  toInt256,
  toUint256,
  uadd,
  udiv,
  umul,
  usub,
} from "./fixedPoint.js";
import { checkpoint, emitFunding } from "./funding.js";
import * as input from "./input.js";
import { debitInsurance, payTokens } from "./insuranceFund.js";
import { healthOf, isLiquidatable, maintenanceMarginOf, maskIds } from "./margin.js";
import { freshPrice, oraclePrice } from "./oracle.js";
import { moveOpenInterest, positionOf, setPosition } from "./position.js";
import {
  type Context,
  type ExchangeState,
  InsuranceReason,
  type LiquidateInput,
  type OpResult,
  PositionChange,
} from "./types.js";

/** `_closeAtOracle`: realizes the position at the oracle price and removes it; its size. */
function closeAtOracle(d: Draft, accountId: bigint, marketId: bigint): bigint {
  let a = d.account(accountId)!;
  const p = positionOf(a, marketId);
  const size = p.size;
  const px = toInt256(oraclePrice(d, marketId));
  const m = d.market(marketId)!;
  const index = m.state.lastFundingIndex;
  const realizedPnl = mulD(size, sub(px, p.lastPrice));
  const realizedFunding = mulD(size, sub(index, p.lastFundingIndex));
  a = { ...a, collateral: add(a.collateral, add(realizedPnl, realizedFunding)) };
  d.putAccount(a);
  moveOpenInterest(d, m, size, 0n, false);
  a = setPosition(d, a, marketId, 0n, 0n, 0n);
  d.emit({
    name: "PositionModified",
    args: {
      accountId,
      marketId,
      kind: PositionChange.Liquidation,
      sizeDelta: neg(size),
      newSize: 0n,
      fillPrice: px,
      realizedPnl,
      realizedFunding,
      fee: 0n,
      newCollateral: a.collateral,
    },
  });
  return size;
}

/** `_recordBadDebt`: splits `badDebt` across `ids` by maintenance margin into per-side ADL records. */
function recordBadDebt(
  d: Draft,
  accountId: bigint,
  ids: readonly bigint[],
  closedSize: ReadonlyMap<bigint, bigint>,
  badDebt: bigint,
  totalMm: bigint,
): void {
  let assigned = 0n;
  ids.forEach((id, i) => {
    const size = closedSize.get(id) ?? 0n;
    let share: bigint;
    if (i === ids.length - 1) {
      share = usub(badDebt, assigned);
    } else {
      const m = d.market(id)!;
      const mm = maintenanceMarginOf(m.params, size, oraclePrice(d, id));
      share = udiv(umul(badDebt, toUint256(mm)), toUint256(totalMm));
    }
    assigned = uadd(assigned, share);
    const isLong = size > 0n;
    const r = adlRecordOf(d.account(accountId), id, isLong);
    const next = { size: add(r.size, size), debt: uadd(r.debt, share) };
    setAdlRecord(d, accountId, id, isLong, next);
    const m = d.market(id)!;
    const marketBadDebt = uadd(m.state.badDebt, share);
    d.putMarket({ ...m, state: { ...m.state, badDebt: marketBadDebt } });
    d.emit({
      name: "BadDebtRecorded",
      args: {
        accountId,
        marketId: id,
        recordSize: next.size,
        recordDebt: next.debt,
        marketBadDebt,
        isLong,
      },
    });
  });
}

/** `liquidate(accountId)`: anyone may call; the sender is the keeper paid the reward. */
export function liquidate(state: ExchangeState, args: LiquidateInput, ctx: Context): OpResult {
  return transact(state, ctx, (d) => {
    const o = input.inputObject(args);
    const accountId = input.uint256(o.accountId, "accountId");

    const a0 = requireAccount(d, accountId);
    const mask = a0.openMarkets;
    if (mask === 0n) revert(errors.notLiquidatable(a0.collateral, 0n));
    const ids = maskIds(mask, d.marketCount);
    for (const id of ids) {
      const price = freshPrice(d, id);
      checkpoint(d, d.market(id)!, price);
    }
    const h = healthOf(d, d.account(accountId), false);
    if (!isLiquidatable(h)) revert(errors.notLiquidatable(h.equity, h.maintenanceMargin));

    let keeper = 0n;
    let penaltyCap = 0n;
    for (const id of ids) {
      const m = d.market(id)!;
      const n = mulD(abs(positionOf(d.account(accountId), id).size), toInt256(oraclePrice(d, id)));
      keeper = add(
        keeper,
        min(mulD(n, toInt256(m.params.keeperRewardRatio)), toInt256(m.params.maxKeeperReward)),
      );
      penaltyCap = add(penaltyCap, mulD(n, toInt256(m.params.liquidationPenaltyRatio)));
    }

    const closedSize = new Map<bigint, bigint>();
    for (const id of ids) closedSize.set(id, closeAtOracle(d, accountId, id));

    const rest = sub(h.equity, keeper);
    let penalty = 0n;
    let covered = 0n;
    let badDebt = 0n;
    const a = d.account(accountId)!;
    if (rest >= 0n) {
      penalty = min(rest, penaltyCap);
      d.putAccount({ ...a, collateral: sub(rest, penalty) });
      d.insuranceFund = uadd(d.insuranceFund, toUint256(penalty));
    } else {
      covered = min(neg(rest), toInt256(d.insuranceFund));
      badDebt = sub(neg(rest), covered);
      debitInsurance(d, toUint256(covered));
      d.putAccount({ ...a, collateral: 0n });
    }
    if (keeper > 0n) payTokens(d, toUint256(keeper));

    d.emit({
      name: "AccountLiquidated",
      args: {
        accountId,
        liquidator: d.sender,
        equity: h.equity,
        maintenanceMargin: h.maintenanceMargin,
        notional: h.notional,
        keeperReward: keeper,
        penaltyToInsurance: penalty,
        insuranceCovered: covered,
        badDebt,
      },
    });
    if (penalty > 0n) {
      d.emit({
        name: "InsuranceFundUpdated",
        args: { delta: penalty, newBalance: d.insuranceFund, reason: InsuranceReason.Penalty },
      });
    }
    if (covered > 0n) {
      d.emit({
        name: "InsuranceFundUpdated",
        args: {
          delta: neg(covered),
          newBalance: d.insuranceFund,
          reason: InsuranceReason.BadDebtCover,
        },
      });
    }
    if (badDebt > 0n) {
      recordBadDebt(d, accountId, ids, closedSize, toUint256(badDebt), h.maintenanceMargin);
    }
    for (const id of ids) emitFunding(d, id, oraclePrice(d, id));
  });
}
