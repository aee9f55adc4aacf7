/**
 * A taker trade (ClearingHouse._openPosition → Exchange.swap), replayed from the pool's Swap
 * and the PositionChanged that follows it in the same call.
 *
 * The events do not carry the call's inputs (exact input or output, the amount, the price
 * limit), and Curie's fee depends on them: the replay (replaySwap.ts) runs with the user's
 * amount and Curie's fee ratio, not the pool's. Two hypotheses cover every call:
 * (A) the pool's own path — exact output, or stopped by a price limit — replayed to the
 * Swap's final price; (B) quote-to-base exact input, whose amount is `fee − notional` by
 * Exchange._swap's own formula. The first whose size, notional, fee and tick reproduce
 * the events is applied; if none does, the mirror is wrong and says so.
 */
import type { Address } from "viem";
import {
  modifyOwedRealizedPnl,
  pnlToBeRealized,
  registerBaseToken,
  settleBalanceAndDeregister,
  takerPositionSize,
} from "./accountBalance.js";
import type { CurieEventNamed } from "./events.js";
import { abs, mulDivU, mulDivUp, RATIO_ONE } from "./math.js";
import type { PoolState, SwapEvent } from "./pool/index.js";
import { type ReplaySwapResult, replaySwap } from "./replaySwap.js";
import { settleFunding } from "./settleFunding.js";
import { accountMarketOf, type CurieState, MirrorMismatch, marketOf } from "./state.js";

export interface PendingSwap {
  before: PoolState;
  after: PoolState;
  event: SwapEvent;
}

interface Hypothesis {
  replay: ReplaySwapResult;
  exchangedPositionSize: bigint;
  exchangedPositionNotional: bigint;
}

function hypotheses(
  s: CurieState,
  base: Address,
  sw: PendingSwap,
  pc: PositionChangedArgs,
): Hypothesis[] {
  const m = marketOf(s, base);
  const u = m.uniswapFeeRatio;
  const e = m.exchangeFeeRatio;
  const common = {
    exchangeFeeRatio: e,
    uniswapFeeRatio: u,
    insuranceFundFeeRatio: m.insuranceFundFeeRatio,
    globalFundingGrowth: m.globalFundingGrowth,
  };
  const run = (isBaseToQuote: boolean, amount: bigint, limit: bigint) =>
    replaySwap(sw.before, m.feeGrowthGlobalX128, m.growthOutside, {
      ...common,
      isBaseToQuote,
      amount,
      sqrtPriceLimitX96: limit,
    });
  const amount0 = abs(sw.event.amount0);
  const amount1 = abs(sw.event.amount1);
  if (sw.event.amount0 > 0n) {
    // Base to quote: the replay is the pool's own loop (same amount, the pool's fee ratio).
    return [
      {
        replay: run(true, UNBOUNDED, sw.event.sqrtPriceX96),
        exchangedPositionSize: -mulDivU(amount0, RATIO_ONE - u, RATIO_ONE),
        exchangedPositionNotional: amount1,
      },
    ];
  }
  const out: Hypothesis[] = [
    {
      replay: run(false, -UNBOUNDED, sw.event.sqrtPriceX96),
      exchangedPositionSize: amount0,
      exchangedPositionNotional: -mulDivU(amount1, RATIO_ONE - u, RATIO_ONE),
    },
  ];
  const amount = pc.fee - pc.exchangedPositionNotional;
  if (amount > 0n && mulDivUp(amount, RATIO_ONE - e, RATIO_ONE - u) === amount1) {
    const replay = run(false, amount, 0n);
    out.push({
      replay,
      exchangedPositionSize: amount0,
      exchangedPositionNotional: -(amount - replay.fee),
    });
  }
  return out;
}

/**
 * The amount hypothesis (A) replays with: more than any swap, so the replay stops only at the
 * Swap's final price. A swap that ran out of liquidity moved on to its price limit at no cost,
 * so replaying with the amount the pool consumed would stop early, at the edge of liquidity;
 * up to the final price the steps (and, for base to quote, Curie's fee from the output) do not
 * depend on the amount.
 */
const UNBOUNDED = 1n << 200n;

type PositionChangedArgs = CurieEventNamed<"ClearingHouse", "PositionChanged">["args"];

/** Applies a taker trade; `pc` is the PositionChanged event closing it. */
export function applyTakerTrade(
  s0: CurieState,
  pc: CurieEventNamed<"ClearingHouse", "PositionChanged">,
  sw: PendingSwap,
): CurieState {
  const { trader, baseToken } = pc.args;
  const now = pc.block.timestamp;
  let s = registerBaseToken(s0, trader, baseToken);
  s = settleFunding(s, trader, baseToken, sw.before.tick, now).state;
  const candidates = hypotheses(s, baseToken, sw, pc.args);
  const h =
    candidates.find(
      (c) =>
        c.replay.tick === sw.event.tick &&
        c.exchangedPositionSize === pc.args.exchangedPositionSize &&
        c.exchangedPositionNotional === pc.args.exchangedPositionNotional &&
        c.replay.fee === pc.args.fee,
    ) ?? candidates[0]!;
  const where = `PositionChanged(${trader}, ${baseToken}) at block ${pc.block.number}`;
  if (h.replay.tick !== sw.event.tick)
    throw new MirrorMismatch(where, "replayed tick", h.replay.tick, sw.event.tick);
  for (const [field, mine, theirs] of [
    ["exchangedPositionSize", h.exchangedPositionSize, pc.args.exchangedPositionSize],
    ["exchangedPositionNotional", h.exchangedPositionNotional, pc.args.exchangedPositionNotional],
    ["fee", h.replay.fee, pc.args.fee],
    ["sqrtPriceAfterX96", sw.after.sqrtPriceX96, pc.args.sqrtPriceAfterX96],
  ] as const) {
    if (mine !== theirs) throw new MirrorMismatch(where, field, mine, theirs);
  }
  const r = executeTakerTrade(
    s,
    trader,
    baseToken,
    sw,
    h.replay,
    h.exchangedPositionSize,
    h.exchangedPositionNotional,
    now,
  );
  if (r.realizedPnl !== pc.args.realizedPnl)
    throw new MirrorMismatch(where, "realizedPnl", r.realizedPnl, pc.args.realizedPnl);
  s = r.state;
  const openNotional = accountMarketOf(s, trader, baseToken).takerOpenNotional;
  if (openNotional !== pc.args.openNotional)
    throw new MirrorMismatch(where, "openNotional", openNotional, pc.args.openNotional);
  return s;
}

/**
 * Exchange.swap's bookkeeping after the swap and the replay, and ClearingHouse._openPosition's
 * settlement: realized PnL of a reducing trade, the replay's fee growth and crossed ticks, the
 * insurance fund's fee share, the trader's taker balances. Funding must already be settled.
 */
export function executeTakerTrade(
  s0: CurieState,
  trader: Address,
  baseToken: Address,
  sw: PendingSwap,
  replay: ReplaySwapResult,
  exchangedPositionSize: bigint,
  exchangedPositionNotional: bigint,
  now: bigint,
): { state: CurieState; realizedPnl: bigint } {
  const size = takerPositionSize(s0, trader, baseToken);
  const am = accountMarketOf(s0, trader, baseToken);
  const isBaseToQuote = sw.event.amount0 > 0n;
  const reducing = size === 0n ? false : size < 0n !== isBaseToQuote;
  const quote = exchangedPositionNotional - replay.fee;
  const realizedPnl = reducing
    ? pnlToBeRealized(size, am.takerOpenNotional, exchangedPositionSize, quote)
    : 0n;
  const m = marketOf(s0, baseToken);
  let s: CurieState = {
    ...s0,
    markets: {
      ...s0.markets,
      [baseToken]: {
        ...m,
        poolState: sw.after,
        feeGrowthGlobalX128: replay.feeGrowthGlobalX128,
        growthOutside: replay.growthOutside,
        firstTradedTimestamp: m.firstTradedTimestamp === 0n ? now : m.firstTradedTimestamp,
      },
    },
  };
  s = modifyOwedRealizedPnl(s, s.addresses.insuranceFund, replay.insuranceFundFee);
  s = settleBalanceAndDeregister(
    s,
    trader,
    baseToken,
    exchangedPositionSize,
    quote,
    realizedPnl,
    0n,
  );
  return { state: s, realizedPnl };
}
