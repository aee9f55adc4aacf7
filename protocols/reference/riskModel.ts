/**
 * The reference exchange's risk model (engine/risk/riskModel.ts): every figure the API, the
 * analytics and the exporter read, computed by its exact engine exactly as the contract's
 * views would at the block (`accountHealth`, `fundingIndex`, `currentFundingRate`, …).
 *
 * Why a thin adapter: the engine already works on the normalized book's shapes (the
 * reference was designed on them); this file only fixes which engine function answers which
 * question, so that no code outside this folder calls the engine.
 */
import type { Account, Book, Market } from "../../engine/risk/book.js";
import type { RiskModel } from "../../engine/risk/riskModel.js";
import {
  type ExchangeState,
  fixedPoint,
  fundingNow,
  fundingVelocity,
  healthWithMarks,
  isLiquidatable,
  type MarketMarks,
  marginRatio,
  marketMarks,
  positionMargins,
  ZERO_ADDRESS,
} from "./engine/index.js";

const ONE = 10n ** 18n;

/** The book as the engine's exchange state (authorisation fields are not mirrored). */
export function stateOf(book: Book): ExchangeState {
  return {
    address: ZERO_ADDRESS,
    owner: ZERO_ADDRESS,
    maxPriceAge: book.maxPriceAge,
    insuranceFund: book.insuranceFund,
    accountCount: book.accountCount,
    markets: book.markets,
    accounts: book.accounts,
    oracle: { owner: ZERO_ADDRESS, updaters: {}, prices: book.prices },
    tokenBalance: 0n,
  };
}

export const referenceRiskModel: RiskModel<MarketMarks> = {
  mechanics: { executesAt: "oracle", adlSupported: true },

  marks: (book, timestamp) => marketMarks(stateOf(book), timestamp),

  accountHealth(marks, account: Account) {
    const r = healthWithMarks(marks, account);
    if (!r.ok) throw new Error(`account ${account.accountId}: health failed: ${r.error.message}`);
    return {
      health: r.value,
      marginRatio: marginRatio(r.value),
      liquidatable: isLiquidatable(r.value),
    };
  },

  positions(marks, book, account) {
    const ids = Object.keys(account.positions)
      .map(BigInt)
      .sort((a, b) => (a < b ? -1 : 1));
    return ids.map((id) => {
      const p = account.positions[id.toString()]!;
      const mark = marks[Number(id) - 1];
      const m = book.markets[Number(id) - 1];
      if (!mark || "error" in mark || !m) {
        throw new Error(`account ${account.accountId}: no mark for market ${id}`);
      }
      const mg = positionMargins(m.params, p.size, mark.px);
      return {
        marketId: id,
        size: p.size,
        entryPrice: p.lastPrice,
        entryFundingIndex: p.lastFundingIndex,
        price: mark.px,
        fundingIndex: mark.index,
        notional: mg.notional,
        unrealizedPnl: fixedPoint.mulD(p.size, fixedPoint.sub(mark.px, p.lastPrice)),
        unrealizedFunding: fixedPoint.mulD(p.size, fixedPoint.sub(mark.index, p.lastFundingIndex)),
        initialMargin: mg.initialMargin,
        maintenanceMargin: mg.maintenanceMargin,
      };
    });
  },

  funding(market: Market, price, timestamp) {
    const { state, params } = market;
    const now = fundingNow(state, params, price, timestamp);
    return {
      rate: now.rate,
      index: now.index,
      velocity: fundingVelocity(state.skew, params),
      rateInOneHour: fundingNow(state, params, price, timestamp + 3600n).rate,
    };
  },

  fundingIndexAffine(market, timestamp) {
    // _fundingNow's index is lastFundingIndex + mulD(k, price): at price 1e18 it is k itself.
    const base = market.state.lastFundingIndex;
    const perPrice = fundingNow(market.state, market.params, ONE, timestamp).index - base;
    return { base, perPrice };
  },
};
