/**
 * AccountBalance's and OrderBook's per-account bookkeeping as state transitions: owed realized
 * PnL, taker balances, base-token registration (with its dust rule), the PnL a reducing trade
 * realizes (Exchange._getPnlToBeRealized), and order debts. Each function returns a new state.
 */
import type { Address } from "viem";
import { abs, mulDiv, mulDivU, ONE } from "./math.js";
import {
  type AccountMarket,
  accountMarketOf,
  accountOf,
  type CurieAccount,
  type CurieState,
  EMPTY_ACCOUNT_MARKET,
} from "./state.js";

/** AccountBalance._DUST. */
export const DUST = 10n;

export function withAccount(
  s: CurieState,
  trader: Address,
  f: (a: CurieAccount) => CurieAccount,
): CurieState {
  return { ...s, accounts: { ...s.accounts, [trader]: f(accountOf(s, trader)) } };
}

export function withAccountMarket(
  s: CurieState,
  trader: Address,
  base: Address,
  f: (m: AccountMarket) => AccountMarket,
): CurieState {
  return withAccount(s, trader, (a) => ({
    ...a,
    markets: { ...a.markets, [base]: f(a.markets[base] ?? EMPTY_ACCOUNT_MARKET) },
  }));
}

/** AccountBalance._modifyOwedRealizedPnl. */
export function modifyOwedRealizedPnl(s: CurieState, trader: Address, amount: bigint): CurieState {
  if (amount === 0n) return s;
  return withAccount(s, trader, (a) => ({ ...a, owedRealizedPnl: a.owedRealizedPnl + amount }));
}

/** AccountBalance.registerBaseToken (AB_MNE past maxMarketsPerAccount). */
export function registerBaseToken(s: CurieState, trader: Address, base: Address): CurieState {
  const a = accountOf(s, trader);
  if (a.baseTokens.includes(base)) return s;
  if (a.baseTokens.length + 1 > s.config.maxMarketsPerAccount) {
    throw new Error(`curie engine: registerBaseToken would revert AB_MNE for ${trader}`);
  }
  return withAccount(s, trader, (x) => ({ ...x, baseTokens: [...x.baseTokens, base] }));
}

/** AccountBalance._deleteBaseToken: the swap-and-pop removal the contract does. */
export function deleteBaseToken(s: CurieState, trader: Address, base: Address): CurieState {
  return withAccount(s, trader, (a) => {
    const tokens = a.baseTokens.slice();
    const i = tokens.indexOf(base);
    if (i >= 0) {
      tokens[i] = tokens[tokens.length - 1]!;
      tokens.pop();
    }
    const markets = { ...a.markets };
    delete markets[base];
    return { ...a, baseTokens: tokens, markets };
  });
}

/** AccountBalance._deregisterBaseToken. */
export function deregisterBaseToken(s: CurieState, trader: Address, base: Address): CurieState {
  const m = accountMarketOf(s, trader, base);
  if (abs(m.takerPositionSize) >= DUST || abs(m.takerOpenNotional) >= DUST) return s;
  if ((accountOf(s, trader).orderIds[base]?.length ?? 0) > 0) return s;
  return deleteBaseToken(s, trader, base);
}

/** AccountBalance.settleBalanceAndDeregister. */
export function settleBalanceAndDeregister(
  s: CurieState,
  trader: Address,
  base: Address,
  takerBase: bigint,
  takerQuote: bigint,
  realizedPnl: bigint,
  makerFee: bigint,
): CurieState {
  let n = withAccountMarket(s, trader, base, (m) => ({
    ...m,
    takerPositionSize: m.takerPositionSize + takerBase,
    takerOpenNotional: m.takerOpenNotional + takerQuote,
  }));
  n = modifyOwedRealizedPnl(n, trader, makerFee);
  if (realizedPnl !== 0n) {
    n = withAccountMarket(n, trader, base, (m) => ({
      ...m,
      takerOpenNotional: m.takerOpenNotional - realizedPnl,
    }));
    n = modifyOwedRealizedPnl(n, trader, realizedPnl);
  }
  return deregisterBaseToken(n, trader, base);
}

/** Exchange._getPnlToBeRealized. */
export function pnlToBeRealized(
  takerPositionSize: bigint,
  takerOpenNotional: bigint,
  base: bigint,
  quote: bigint,
): bigint {
  const closedRatio = mulDivU(abs(base), ONE, abs(takerPositionSize));
  if (closedRatio <= ONE) return quote + mulDiv(takerOpenNotional, closedRatio, ONE);
  return takerOpenNotional + mulDiv(quote, ONE, closedRatio);
}

/** Exchange.getPnlToBeRealized: only a trade against the position (raw size) realizes PnL. */
export function pnlToBeRealizedFor(
  s: CurieState,
  trader: Address,
  baseToken: Address,
  base: bigint,
  quote: bigint,
) {
  const m = accountMarketOf(s, trader, baseToken);
  const reducing = m.takerPositionSize === 0n ? false : m.takerPositionSize < 0n !== base < 0n;
  return reducing ? pnlToBeRealized(m.takerPositionSize, m.takerOpenNotional, base, quote) : 0n;
}

/** AccountBalance.getTakerPositionSize (dust reads as 0). */
export function takerPositionSize(s: CurieState, trader: Address, base: Address): bigint {
  const size = accountMarketOf(s, trader, base).takerPositionSize;
  return abs(size) < DUST ? 0n : size;
}

/** OrderBook.getTotalOrderDebt. */
export function totalOrderDebt(
  s: CurieState,
  trader: Address,
  base: Address,
  fetchBase: boolean,
): bigint {
  let total = 0n;
  for (const id of accountOf(s, trader).orderIds[base] ?? []) {
    const o = s.orders[id]!;
    total += fetchBase ? o.baseDebt : o.quoteDebt;
  }
  return total;
}

/** AccountBalance.getBase / getQuote. */
export function baseBalance(s: CurieState, trader: Address, base: Address): bigint {
  return accountMarketOf(s, trader, base).takerPositionSize - totalOrderDebt(s, trader, base, true);
}
export function quoteBalance(s: CurieState, trader: Address, base: Address): bigint {
  return (
    accountMarketOf(s, trader, base).takerOpenNotional - totalOrderDebt(s, trader, base, false)
  );
}
