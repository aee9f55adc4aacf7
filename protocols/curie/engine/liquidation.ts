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

/** What a liquidation did, for its events' checks and for predictions. */
export interface LiquidationResult {
  state: CurieState;
  accountValueBefore: bigint;
  liquidatedSize: bigint;
  liquidatedNotional: bigint;
  penalty: bigint;
  toLiquidator: bigint;
}

/**
 * ClearingHouse._liquidate(trader, base, 0) after its checks, at block time `now`: funding of
 * both settled, the liquidatable size taken at the mark price, the penalty split. The two
 * position changes are checked against `changes` when given (replay), else computed (prediction).
 */
export function executeLiquidation(
  s0: CurieState,
  trader: Address,
  base: Address,
  liquidator: Address,
  now: bigint,
  changes?: [PositionChanged, PositionChanged],
): LiquidationResult {
  const tick = poolOf(marketOf(s0, base)).tick;
  let s = registerBaseToken(s0, liquidator, base);
  s = settleFunding(s, trader, base, tick, now).state;
  s = settleFunding(s, liquidator, base, tick, now).state;
  const accountValue = getAccountValue(s, trader, now);
  const toLiquidate = getLiquidatablePositionSize(s, trader, base, accountValue, now);
  const liquidatedSize = -toLiquidate;
  const liquidatedNotional = mulDiv(toLiquidate, getMarkPrice(s, base, now), ONE);
  const change = (who: Address, size: bigint, notional: bigint, pc?: PositionChanged) =>
    pc
      ? modifyPositionAndRealizePnl(s, who, base, size, notional, 0n, pc)
      : settleBalanceAndDeregister(
          s,
          who,
          base,
          size,
          notional,
          size !== 0n ? pnlToBeRealizedFor(s, who, base, size, notional) : 0n,
          0n,
        );
  s = change(trader, liquidatedSize, liquidatedNotional, changes?.[0]);
  const penalty = mulRatioU(abs(liquidatedNotional), s.config.liquidationPenaltyRatio);
  s = modifyOwedRealizedPnl(s, trader, -penalty);
  let toLiquidator = penalty / 2n;
  if (accountValue < 0n) toLiquidator = penalty;
  else s = modifyOwedRealizedPnl(s, s.addresses.insuranceFund, penalty - toLiquidator);
  s = change(liquidator, -liquidatedSize, -liquidatedNotional + toLiquidator, changes?.[1]);
  return {
    state: s,
    accountValueBefore: accountValue,
    liquidatedSize,
    liquidatedNotional,
    penalty,
    toLiquidator,
  };
}

/** ClearingHouse._liquidate(trader, base, 0), from its two PositionChanged and PositionLiquidated. */
export function applyLiquidation(
  s0: CurieState,
  e: CurieEventNamed<"ClearingHouse", "PositionLiquidated">,
  traderChange: PositionChanged,
  liquidatorChange: PositionChanged,
): CurieState {
  const { trader, baseToken: base, liquidator } = e.args;
  const r = executeLiquidation(s0, trader, base, liquidator, e.block.timestamp, [
    traderChange,
    liquidatorChange,
  ]);
  const where = `PositionLiquidated(${trader}, ${base}) at block ${e.block.number}`;
  const pairs: [string, unknown, unknown][] = [
    ["positionNotional", abs(r.liquidatedNotional), e.args.positionNotional],
    ["positionSize", abs(r.liquidatedSize), e.args.positionSize],
    ["liquidationFee", r.penalty, e.args.liquidationFee],
  ];
  for (const [field, mine, theirs] of pairs)
    if (mine !== theirs) throw new MirrorMismatch(where, field, mine, theirs);
  return r.state;
}
