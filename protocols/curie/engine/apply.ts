/**
 * `applyEvent(state, event)`: the engine's one entry point, pure (every handler returns a new
 * state sharing what it did not touch).
 *
 * Why a pending transaction: Curie reports a call through several events, and the one that
 * says what happened comes last — the pool's Swap precedes the PositionChanged that tells whose
 * trade it was, a Mint or Burn precedes LiquidityChanged, a liquidation's two PositionChanged
 * precede PositionLiquidated. Those are held in `state.pending` until the closing event, which
 * is then replayed with the contracts' own logic and checked against every figure the events
 * give (MirrorMismatch). A transaction that ends with something unexplained is an error too.
 * PnlRealized is not applied: owed realized PnL is recomputed from the trade, funding,
 * liquidity and liquidation events whose own figures are checked.
 */
import type { Address } from "viem";
import { withAccount } from "./accountBalance.js";
import type { CurieEvent, CurieEventNamed, CurieEventOf } from "./events.js";
import { applyLiquidation, modifyPositionAndRealizePnl } from "./liquidation.js";
import { applyAddLiquidity, applyRemoveLiquidity, type RemovalDelta } from "./liquidity.js";
import { settleMarketFunding } from "./marketFunding.js";
import { formatSettlementToken, parseSettlementToken } from "./math.js";
import {
  applySwapEvent,
  burn,
  increaseObservationCardinalityNext,
  initializePool,
  mint,
  tickInfo,
} from "./pool/index.js";
import { onChainlinkPriceUpdated } from "./priceFeed.js";
import { settleFunding } from "./settleFunding.js";
import {
  accountOf,
  type CurieConfig,
  type CurieMarketState,
  type CurieState,
  MirrorMismatch,
  marketOf,
  type PendingTx,
  poolOf,
} from "./state.js";
import { applyTakerTrade } from "./takerTrade.js";
import { getAllPendingFundingPayment, getPnlAndPendingFee } from "./views.js";

const unsupported = (e: CurieEvent, why: string): never => {
  throw new Error(
    `curie engine: ${e.contract}.${e.name} at block ${e.block.number} is not mirrored: ${why}`,
  );
};

function withMarket(
  s: CurieState,
  base: Address,
  f: (m: CurieMarketState) => CurieMarketState,
): CurieState {
  return { ...s, markets: { ...s.markets, [base]: f(marketOf(s, base)) } };
}

function baseOfRole(s: CurieState, e: CurieEvent): Address {
  const base = s.roles[e.address.toLowerCase()]?.baseToken;
  if (!base)
    throw new Error(
      `curie engine: ${e.contract} ${e.address} belongs to no market of this deployment`,
    );
  return base;
}

function isEmpty(p: PendingTx): boolean {
  return (
    Object.keys(p.swaps).length === 0 &&
    Object.values(p.mints).every((x) => x.length === 0) &&
    Object.values(p.burns).every((x) => x.length === 0) &&
    p.positionChanges.length === 0 &&
    Object.keys(p.removals).length === 0
  );
}

/**
 * Ends the transaction being replayed: throws if one of its events was never explained
 * (e.g. a Swap without PositionChanged). Call after a block's last event, before reading views.
 */
export function closeTransaction(s: CurieState): CurieState {
  if (!s.pending) return s;
  if (!isEmpty(s.pending)) {
    throw new Error(
      `curie engine: transaction ${s.pending.transactionIndex} of block ${s.pending.block} left events unexplained: ` +
        JSON.stringify({
          swaps: Object.keys(s.pending.swaps),
          positionChanges: s.pending.positionChanges.map((e) => e.logIndex),
          removals: Object.keys(s.pending.removals),
          mints: Object.values(s.pending.mints).flat().length,
          burns: Object.values(s.pending.burns).flat().length,
        }),
    );
  }
  return { ...s, pending: undefined };
}

function pendingFor(s: CurieState, e: CurieEvent): [CurieState, PendingTx] {
  let n = s;
  if (
    n.pending &&
    (n.pending.block !== e.block.number || n.pending.transactionIndex !== e.transactionIndex)
  ) {
    n = closeTransaction(n);
  }
  const p: PendingTx = n.pending ?? {
    block: e.block.number,
    transactionIndex: e.transactionIndex,
    swaps: {},
    mints: {},
    burns: {},
    positionChanges: [],
    removals: {},
  };
  return [n, p];
}

/** Applies one decoded event; events must come in chain order. */
export function applyEvent(state: CurieState, e: CurieEvent): CurieState {
  if (e.block.timestamp < state.lastTimestamp) {
    throw new Error(
      `curie engine: event at ${e.block.timestamp} after one at ${state.lastTimestamp} (events out of order)`,
    );
  }
  const [s0, pending] = pendingFor(state, e);
  const s = { ...s0, pending: { ...pending }, lastTimestamp: e.block.timestamp };
  switch (e.contract) {
    case "ClearingHouseConfig":
      return onConfig(s, e);
    case "MarketRegistry":
      return onMarketRegistry(s, e);
    case "Exchange":
      return onExchange(s, e);
    case "Pool":
      return onPool(s, e);
    case "Aggregator": {
      const base = baseOfRole(s, e);
      const round = {
        roundId: e.args.roundId,
        answer: e.args.current,
        updatedAt: e.args.updatedAt,
      };
      return withMarket(s, base, (m) => ({ ...m, feed: { ...m.feed, latestRound: round } }));
    }
    case "PriceFeed": {
      const base = baseOfRole(s, e);
      const a = e.args;
      return withMarket(s, base, (m) => ({
        ...m,
        feed: onChainlinkPriceUpdated(m.feed, a.price, a.timestamp, a.freezedReason),
      }));
    }
    case "PriceFeedDispatcher":
      return unsupported(e, "only the Chainlink feed of the dispatcher is mirrored");
    case "BaseToken":
      if (e.name === "StatusUpdated") {
        return e.args.status === 0
          ? s
          : unsupported(e, "paused and closed markets are not mirrored");
      }
      return unsupported(e, "the price feed is fixed at deployment");
    case "Vault":
      return onVault(s, e);
    case "ClearingHouse":
      return onClearingHouse(s, e);
    case "SettlementToken":
      return onSettlementTransfer(s, e);
    case "AccountBalance":
    case "InsuranceFund":
      // PnlRealized is recomputed (see above); FeeDistributed comes with the fund's Withdrawn.
      if (e.name === "Repaid") return unsupported(e, "InsuranceFund.repay is not mirrored");
      return s;
    case "CollateralManager":
      return unsupported(e, "non-settlement collateral is not mirrored");
  }
}

function onConfig(s: CurieState, e: CurieEventOf<"ClearingHouseConfig">): CurieState {
  const c: CurieConfig = { ...s.config };
  switch (e.name) {
    case "LiquidationPenaltyRatioChanged":
      c.liquidationPenaltyRatio = BigInt(e.args.liquidationPenaltyRatio);
      break;
    case "MarkPriceMarketTwapIntervalChanged":
      c.markPriceMarketTwapInterval = BigInt(e.args.twapInterval);
      break;
    case "MarkPricePremiumIntervalChanged":
      c.markPricePremiumInterval = BigInt(e.args.premiumInterval);
      break;
    case "MaxFundingRateChanged":
      c.maxFundingRate = BigInt(e.args.rate);
      break;
    case "MaxMarketsPerAccountChanged":
      c.maxMarketsPerAccount = e.args.maxMarketsPerAccount;
      break;
    case "PartialCloseRatioChanged":
      c.partialCloseRatio = BigInt(e.args.partialCloseRatio);
      break;
    case "SettlementTokenBalanceCapChanged":
      c.settlementTokenBalanceCap = e.args.cap;
      break;
    case "TwapIntervalChanged":
      c.twapInterval = e.args.twapInterval;
      break;
  }
  return { ...s, config: c };
}

function onMarketRegistry(s: CurieState, e: CurieEventOf<"MarketRegistry">): CurieState {
  switch (e.name) {
    case "PoolAdded": {
      const m = marketOf(s, e.args.baseToken);
      if (m.pool.toLowerCase() !== e.args.pool.toLowerCase()) {
        throw new MirrorMismatch("PoolAdded", "pool", m.pool, e.args.pool);
      }
      const fee = BigInt(e.args.feeRatio);
      return withMarket(s, e.args.baseToken, (x) => ({
        ...x,
        uniswapFeeRatio: fee,
        exchangeFeeRatio: fee,
      }));
    }
    case "FeeRatioChanged":
      return withMarket(s, e.args.baseToken, (m) => ({
        ...m,
        exchangeFeeRatio: BigInt(e.args.feeRatio),
      }));
    case "InsuranceFundFeeRatioChanged":
      return withMarket(s, e.args.baseToken, (m) => ({
        ...m,
        insuranceFundFeeRatio: BigInt(e.args.feeRatio),
      }));
    case "MarketMaxPriceSpreadRatioChanged":
      return withMarket(s, e.args.baseToken, (m) => ({
        ...m,
        maxPriceSpreadRatio: BigInt(e.args.spreadRatio),
      }));
    case "MaxOrdersPerMarketChanged":
      return { ...s, config: { ...s.config, maxOrdersPerMarket: e.args.maxOrdersPerMarket } };
    case "FeeDiscountRatioChanged":
      return e.args.discountRatio === 0
        ? s
        : unsupported(e, "per-trader fee discounts are not mirrored");
  }
}

function onExchange(s: CurieState, e: CurieEventOf<"Exchange">): CurieState {
  if (e.name === "MaxTickCrossedWithinBlockChanged") {
    const v = BigInt(e.args.maxTickCrossedWithinBlock);
    return withMarket(s, e.args.baseToken, (m) => ({ ...m, maxTickCrossedWithinBlock: v }));
  }
  // FundingUpdated: the market's first settleFunding at this block time.
  const base = e.args.baseToken;
  const r = settleMarketFunding(s, base, e.block.timestamp);
  const where = `FundingUpdated(${base}) at block ${e.block.number}`;
  if (!r.twaps)
    throw new Error(`curie engine: ${where} but the market was already settled at this time`);
  if (r.twaps.marketTwap !== e.args.marketTwap)
    throw new MirrorMismatch(where, "marketTwap", r.twaps.marketTwap, e.args.marketTwap);
  if (r.twaps.indexTwap !== e.args.indexTwap)
    throw new MirrorMismatch(where, "indexTwap", r.twaps.indexTwap, e.args.indexTwap);
  return r.state;
}

function onPool(s: CurieState, e: CurieEventOf<"Pool">): CurieState {
  const base = baseOfRole(s, e);
  const m = marketOf(s, base);
  const time = Number(e.block.timestamp);
  const where = `Pool.${e.name} of ${base} at block ${e.block.number}`;
  switch (e.name) {
    case "Initialize": {
      const poolState = initializePool({
        sqrtPriceX96: e.args.sqrtPriceX96,
        fee: Number(m.uniswapFeeRatio),
        tickSpacing: m.tickSpacing,
        time,
      });
      return withMarket(s, base, (x) => ({ ...x, poolState }));
    }
    case "IncreaseObservationCardinalityNext": {
      const poolState = increaseObservationCardinalityNext(
        poolOf(m),
        e.args.observationCardinalityNextNew,
      );
      return withMarket(s, base, (x) => ({ ...x, poolState }));
    }
    case "Mint": {
      const before = poolOf(m);
      const a = e.args;
      const r = mint(before, {
        tickLower: a.tickLower,
        tickUpper: a.tickUpper,
        liquidity: a.amount,
        time,
      });
      if (r.amount0 !== a.amount0 || r.amount1 !== a.amount1) {
        throw new MirrorMismatch(
          where,
          "amounts",
          `${r.amount0}/${r.amount1}`,
          `${a.amount0}/${a.amount1}`,
        );
      }
      const p = s.pending!;
      const entry = {
        tickLower: a.tickLower,
        tickUpper: a.tickUpper,
        liquidity: a.amount,
        amount0: a.amount0,
        amount1: a.amount1,
        lowerInitializedBefore: tickInfo(before, a.tickLower).initialized,
        upperInitializedBefore: tickInfo(before, a.tickUpper).initialized,
      };
      const pending = { ...p, mints: { ...p.mints, [base]: [...(p.mints[base] ?? []), entry] } };
      return withMarket({ ...s, pending }, base, (x) => ({ ...x, poolState: r.state }));
    }
    case "Burn": {
      const a = e.args;
      const r = burn(poolOf(m), {
        tickLower: a.tickLower,
        tickUpper: a.tickUpper,
        liquidity: a.amount,
        time,
      });
      if (r.amount0 !== a.amount0 || r.amount1 !== a.amount1) {
        throw new MirrorMismatch(
          where,
          "amounts",
          `${r.amount0}/${r.amount1}`,
          `${a.amount0}/${a.amount1}`,
        );
      }
      const p = s.pending!;
      const entry = {
        tickLower: a.tickLower,
        tickUpper: a.tickUpper,
        liquidity: a.amount,
        amount0: a.amount0,
        amount1: a.amount1,
      };
      const pending = { ...p, burns: { ...p.burns, [base]: [...(p.burns[base] ?? []), entry] } };
      return withMarket({ ...s, pending }, base, (x) => ({ ...x, poolState: r.state }));
    }
    case "Swap": {
      const p = s.pending!;
      if (p.swaps[base])
        throw new Error(
          `curie engine: ${where}: a second Swap before the first one's PositionChanged`,
        );
      const before = poolOf(m);
      const event = {
        amount0: e.args.amount0,
        amount1: e.args.amount1,
        sqrtPriceX96: e.args.sqrtPriceX96,
        liquidity: e.args.liquidity,
        tick: e.args.tick,
      };
      const after = applySwapEvent(before, event, time).state;
      const pending = { ...p, swaps: { ...p.swaps, [base]: { before, after, event } } };
      return withMarket({ ...s, pending }, base, (x) => ({ ...x, poolState: after }));
    }
  }
}

function onClearingHouse(s: CurieState, e: CurieEventOf<"ClearingHouse">): CurieState {
  const p = s.pending!;
  switch (e.name) {
    case "FundingPaymentSettled": {
      const { trader, baseToken } = e.args;
      const tick = poolOf(marketOf(s, baseToken)).tick;
      const r = settleFunding(s, trader, baseToken, tick, e.block.timestamp);
      if (r.payment !== e.args.fundingPayment) {
        throw new MirrorMismatch(
          `FundingPaymentSettled(${trader}, ${baseToken}) at block ${e.block.number}`,
          "fundingPayment",
          r.payment,
          e.args.fundingPayment,
        );
      }
      return r.state;
    }
    case "PositionChanged": {
      const { trader, baseToken } = e.args;
      const sw = p.swaps[baseToken];
      if (sw) {
        const swaps = { ...p.swaps };
        delete swaps[baseToken];
        return applyTakerTrade({ ...s, pending: { ...p, swaps } }, e, sw);
      }
      const key = `${trader}:${baseToken}`;
      const removal = p.removals[key];
      if (removal) {
        const removals = { ...p.removals };
        delete removals[key];
        const n = { ...s, pending: { ...p, removals } };
        return modifyPositionAndRealizePnl(
          n,
          trader,
          baseToken,
          removal.takerBase,
          removal.takerQuote,
          removal.fee,
          e,
        );
      }
      return { ...s, pending: { ...p, positionChanges: [...p.positionChanges, e] } };
    }
    case "LiquidityChanged":
      return onLiquidityChanged(s, e);
    case "PositionLiquidated": {
      const [traderChange, liquidatorChange] = p.positionChanges.slice(-2);
      if (!traderChange || !liquidatorChange) {
        throw new Error(
          `curie engine: PositionLiquidated at block ${e.block.number} without its two PositionChanged`,
        );
      }
      const n = { ...s, pending: { ...p, positionChanges: p.positionChanges.slice(0, -2) } };
      return applyLiquidation(n, e, traderChange, liquidatorChange);
    }
    case "PositionClosed":
      return unsupported(e, "closed markets are not mirrored");
    case "ReferredPositionChanged":
      return s;
  }
}

function onLiquidityChanged(
  s: CurieState,
  e: CurieEventNamed<"ClearingHouse", "LiquidityChanged">,
): CurieState {
  const p = s.pending!;
  const base = e.args.baseToken;
  if (e.args.liquidity > 0n) {
    const [mintEntry, ...rest] = p.mints[base] ?? [];
    if (!mintEntry)
      throw new Error(`curie engine: LiquidityChanged at block ${e.block.number} without its Mint`);
    return applyAddLiquidity(
      { ...s, pending: { ...p, mints: { ...p.mints, [base]: rest } } },
      e,
      mintEntry,
    );
  }
  const [burnEntry, ...rest] = p.burns[base] ?? [];
  if (!burnEntry)
    throw new Error(`curie engine: LiquidityChanged at block ${e.block.number} without its Burn`);
  const r = applyRemoveLiquidity(
    { ...s, pending: { ...p, burns: { ...p.burns, [base]: rest } } },
    e,
    burnEntry,
  );
  const p2 = r.state.pending!;
  const maker = e.args.maker;
  const i = p2.positionChanges.findIndex(
    (x) => x.args.trader === maker && x.args.baseToken === base,
  );
  if (i >= 0) {
    // removeLiquidity: its PositionChanged came first.
    const pc = p2.positionChanges[i]!;
    const positionChanges = p2.positionChanges.filter((_, j) => j !== i);
    const n = { ...r.state, pending: { ...p2, positionChanges } };
    return modifyPositionAndRealizePnl(
      n,
      maker,
      base,
      r.delta.takerBase,
      r.delta.takerQuote,
      r.delta.fee,
      pc,
    );
  }
  // cancelExcessOrders: one PositionChanged for all the orders follows.
  const key = `${maker}:${base}`;
  const prev: RemovalDelta = p2.removals[key] ?? { takerBase: 0n, takerQuote: 0n, fee: 0n };
  const sum = {
    takerBase: prev.takerBase + r.delta.takerBase,
    takerQuote: prev.takerQuote + r.delta.takerQuote,
    fee: prev.fee + r.delta.fee,
  };
  return { ...r.state, pending: { ...p2, removals: { ...p2.removals, [key]: sum } } };
}

function onVault(s: CurieState, e: CurieEventOf<"Vault">): CurieState {
  const token = s.addresses.settlementToken.toLowerCase();
  switch (e.name) {
    case "Deposited": {
      if (e.args.collateralToken.toLowerCase() !== token)
        return unsupported(e, "non-settlement collateral");
      const amount = e.args.amount;
      return withAccount(s, e.args.trader, (a) => ({ ...a, balance: a.balance + amount }));
    }
    case "Withdrawn": {
      if (e.args.collateralToken.toLowerCase() !== token)
        return unsupported(e, "non-settlement collateral");
      const trader = e.args.trader;
      let n = s;
      for (const base of accountOf(n, trader).baseTokens) {
        n = settleFunding(n, trader, base, poolOf(marketOf(n, base)).tick, e.block.timestamp).state;
      }
      const owed = formatSettlementToken(
        accountOf(n, trader).owedRealizedPnl,
        n.settlementTokenDecimals,
      );
      const amount = e.args.amount;
      return withAccount(n, trader, (a) => ({
        ...a,
        owedRealizedPnl: 0n,
        balance: a.balance + owed - amount,
      }));
    }
    case "BadDebtSettled": {
      const trader = e.args.trader;
      const now = e.block.timestamp;
      const [owed, , pendingFee] = getPnlAndPendingFee(s, trader, now);
      const funding = getAllPendingFundingPayment(s, trader, now);
      const valueX18 =
        parseSettlementToken(accountOf(s, trader).balance, s.settlementTokenDecimals) +
        pendingFee -
        funding +
        owed;
      const value = formatSettlementToken(valueX18, s.settlementTokenDecimals);
      if (accountOf(s, trader).baseTokens.length !== 0 || -value !== e.args.amount) {
        throw new MirrorMismatch(
          `BadDebtSettled(${trader}) at block ${e.block.number}`,
          "amount",
          -value,
          e.args.amount,
        );
      }
      const n = withAccount(s, s.addresses.insuranceFund, (a) => ({
        ...a,
        balance: a.balance + value,
      }));
      return withAccount(n, trader, (a) => ({ ...a, balance: a.balance - value }));
    }
    case "CollateralLiquidated":
      return unsupported(e, "non-settlement collateral is not mirrored");
  }
}

function onSettlementTransfer(
  s: CurieState,
  e: CurieEventNamed<"SettlementToken", "Transfer">,
): CurieState {
  const tracked = [s.addresses.insuranceFund, s.addresses.vault].map((a) => a.toLowerCase());
  const wallets = { ...s.wallets };
  const from = e.args.from.toLowerCase();
  const to = e.args.to.toLowerCase();
  if (tracked.includes(from)) wallets[from] = (wallets[from] ?? 0n) - e.args.value;
  if (tracked.includes(to)) wallets[to] = (wallets[to] ?? 0n) + e.args.value;
  return { ...s, wallets };
}
