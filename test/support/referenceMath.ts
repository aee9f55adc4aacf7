/**
 * REFERENCE-MODEL.md's arithmetic written out independently in bigint, for the contract
 * tests' expected values: D18 fixed point (truncating toward zero, as Solidity and bigint
 * both do), position margins and the liquidation waterfall. Funding is deliberately not here:
 * the funding test writes its formula out itself.
 */
import type { MarketParams } from "../../protocols/reference/devnet/markets.js";

export const ONE = 10n ** 18n;

export const mulD = (a: bigint, b: bigint): bigint => (a * b) / ONE;
export const divD = (a: bigint, b: bigint): bigint => (a * ONE) / b;
export const abs = (a: bigint): bigint => (a < 0n ? -a : a);
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** The skew-premium fill price of a trade of `sizeDelta` when the market skew is `skew`. */
export function fillPrice(skew: bigint, skewScale: bigint, price: bigint, sizeDelta: bigint) {
  const before = mulD(price, ONE + divD(skew, skewScale));
  const after = mulD(price, ONE + divD(skew + sizeDelta, skewScale));
  return (before + after) / 2n;
}

/** Notional, initial and maintenance margin of one position at `price`. */
export function positionMargins(params: MarketParams, size: bigint, price: bigint) {
  const notional = mulD(abs(size), price);
  const imr = params.imrMin + mulD(divD(abs(size), params.skewScale), params.imrScalar);
  return {
    notional,
    initialMargin: mulD(notional, imr) + params.minPositionMargin,
    maintenanceMargin: mulD(notional, mulD(imr, params.mmScalar)) + params.minPositionMargin,
  };
}

/** One open position of an account being liquidated, with its market's values at that block. */
export interface LiquidatedPosition {
  params: MarketParams;
  size: bigint;
  lastPrice: bigint;
  lastFundingIndex: bigint;
  /** Oracle price at the liquidation. */
  price: bigint;
  /** Market funding index at the liquidation (after its checkpoint). */
  fundingIndex: bigint;
}

/**
 * The liquidation waterfall of REFERENCE-MODEL.md for an account with `collateral` and
 * `positions` (in ascending market id), given the insurance fund before it.
 */
export function liquidationWaterfall(
  collateral: bigint,
  positions: readonly LiquidatedPosition[],
  insuranceFund: bigint,
) {
  let equity = collateral;
  let maintenanceMargin = 0n;
  let notional = 0n;
  let keeperReward = 0n;
  let penaltyCap = 0n;
  const mm: bigint[] = [];
  for (const p of positions) {
    equity +=
      mulD(p.size, p.price - p.lastPrice) + mulD(p.size, p.fundingIndex - p.lastFundingIndex);
    const m = positionMargins(p.params, p.size, p.price);
    mm.push(m.maintenanceMargin);
    maintenanceMargin += m.maintenanceMargin;
    notional += m.notional;
    keeperReward += min(mulD(m.notional, p.params.keeperRewardRatio), p.params.maxKeeperReward);
    penaltyCap += mulD(m.notional, p.params.liquidationPenaltyRatio);
  }
  const rest = equity - keeperReward;
  let penalty = 0n;
  let insuranceCovered = 0n;
  let badDebt = 0n;
  let collateralAfter = 0n;
  if (rest >= 0n) {
    penalty = min(rest, penaltyCap);
    collateralAfter = rest - penalty;
  } else {
    insuranceCovered = min(-rest, insuranceFund);
    badDebt = -rest - insuranceCovered;
  }
  // Bad debt split by maintenance margin; the last market takes the remainder.
  const badDebtShares: bigint[] = [];
  let assigned = 0n;
  mm.forEach((m, i) => {
    const share = i === mm.length - 1 ? badDebt - assigned : (badDebt * m) / maintenanceMargin;
    assigned += share;
    badDebtShares.push(share);
  });
  return {
    equity,
    maintenanceMargin,
    notional,
    keeperReward,
    penaltyCap,
    penalty,
    insuranceCovered,
    badDebt,
    badDebtShares,
    collateralAfter,
    insuranceFundAfter: insuranceFund + penalty - insuranceCovered,
  };
}
