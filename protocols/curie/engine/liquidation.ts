/**
 * Position changes without a swap: ClearingHouse._modifyPositionAndRealizePnl (a maker's
 * removed liquidity becoming taker position, a liquidation's transfer of position at the mark
 * price) and ClearingHouse._liquidate, replayed from the PositionChanged events that report
 * them and the PositionLiquidated that closes a liquidation. The liquidated size and notional
 * are recomputed from the mirror's own account value and mark price, then checked.
 */
import type { Address } from "viem";
import {
  modifyOwedRealizedPnl,
  pnlToBeRealizedFor,
  registerBaseToken,
  settleBalanceAndDeregister,
} from "./accountBalance.js";
import type { CurieEventNamed } from "./events.js";
import { abs, mulDiv, mulRatioU, ONE } from "./math.js";
import { settleFunding } from "./settleFunding.js";
import { accountMarketOf, type CurieState, MirrorMismatch, marketOf, poolOf } from "./state.js";
import { getAccountValue, getLiquidatablePositionSize, getMarkPrice } from "./views.js";

type PositionChanged = CurieEventNamed<"ClearingHouse", "PositionChanged">;

/** _modifyPositionAndRealizePnl, checked against the PositionChanged it emits. */
export function modifyPositionAndRealizePnl(
  s0: CurieState,
  trader: Address,
  base: Address,
  size: bigint,
  notional: bigint,
  makerFee: bigint,
  pc: PositionChanged,
): CurieState {
  const realizedPnl = size !== 0n ? pnlToBeRealizedFor(s0, trader, base, size, notional) : 0n;
  const s = settleBalanceAndDeregister(s0, trader, base, size, notional, realizedPnl, makerFee);
  const where = `PositionChanged(${trader}, ${base}) at block ${pc.block.number}`;
  const sqrtPrice = poolOf(marketOf(s, base)).sqrtPriceX96;
  const pairs: [string, unknown, unknown][] = [
    ["trader", trader, pc.args.trader],
    ["baseToken", base, pc.args.baseToken],
    ["exchangedPositionSize", size, pc.args.exchangedPositionSize],
    ["exchangedPositionNotional", notional, pc.args.exchangedPositionNotional],
    ["fee", 0n, pc.args.fee],
    ["openNotional", accountMarketOf(s, trader, base).takerOpenNotional, pc.args.openNotional],
    ["realizedPnl", realizedPnl, pc.args.realizedPnl],
    ["sqrtPriceAfterX96", sqrtPrice, pc.args.sqrtPriceAfterX96],
  ];
  for (const [field, mine, theirs] of pairs)
    if (mine !== theirs) throw new MirrorMismatch(where, field, mine, theirs);
  return s;
}

/** ClearingHouse._liquidate(trader, base, 0), from its two PositionChanged and PositionLiquidated. */
export function applyLiquidation(
  s0: CurieState,
  e: CurieEventNamed<"ClearingHouse", "PositionLiquidated">,
  traderChange: PositionChanged,
  liquidatorChange: PositionChanged,
): CurieState {
  const { trader, baseToken: base, liquidator } = e.args;
  const now = e.block.timestamp;
  const tick = poolOf(marketOf(s0, base)).tick;
  let s = registerBaseToken(s0, liquidator, base);
  s = settleFunding(s, trader, base, tick, now).state;
  s = settleFunding(s, liquidator, base, tick, now).state;
  const accountValue = getAccountValue(s, trader, now);
  const toLiquidate = getLiquidatablePositionSize(s, trader, base, accountValue, now);
  const liquidatedSize = -toLiquidate;
  const liquidatedNotional = mulDiv(toLiquidate, getMarkPrice(s, base, now), ONE);
  s = modifyPositionAndRealizePnl(
    s,
    trader,
    base,
    liquidatedSize,
    liquidatedNotional,
    0n,
    traderChange,
  );
  const penalty = mulRatioU(abs(liquidatedNotional), s.config.liquidationPenaltyRatio);
  s = modifyOwedRealizedPnl(s, trader, -penalty);
  let toLiquidator = penalty / 2n;
  if (accountValue < 0n) toLiquidator = penalty;
  else s = modifyOwedRealizedPnl(s, s.addresses.insuranceFund, penalty - toLiquidator);
  s = modifyPositionAndRealizePnl(
    s,
    liquidator,
    base,
    -liquidatedSize,
    -liquidatedNotional + toLiquidator,
    0n,
    liquidatorChange,
  );
  const where = `PositionLiquidated(${trader}, ${base}) at block ${e.block.number}`;
  const pairs: [string, unknown, unknown][] = [
    ["positionNotional", abs(liquidatedNotional), e.args.positionNotional],
    ["positionSize", abs(liquidatedSize), e.args.positionSize],
    ["liquidationFee", penalty, e.args.liquidationFee],
  ];
  for (const [field, mine, theirs] of pairs)
    if (mine !== theirs) throw new MirrorMismatch(where, field, mine, theirs);
  return s;
}
