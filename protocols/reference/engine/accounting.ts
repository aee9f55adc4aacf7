/**
 * The accounting invariant: every unit of the collateral token the exchange holds is
 * accounted for, to the wei.
 *
 * Why: each of the exchange's loss paths (a trade, a liquidation, the insurance fund, ADL)
 * moves value between accounts, the fund and the exchange itself; a path that drops a loss
 * on the floor shows up here as tokens nobody can claim or claims no token backs. The
 * exchange is the counterparty of every trade, so it holds the opposite of the net skew: the
 * PnL and funding traders realize is its own position's loss. With
 *
 *   buffer     tokens the exchange received outside its functions (the deployment's vault);
 *   traderPnl  Σ PnL + funding every position realized (trades, liquidation closes, ADL fills
 *              before their charge: `realizedPnl + realizedFunding` of each PositionModified,
 *              plus `lossAbsorbed` of each ADL fill, which its realizedPnl already nets out);
 *   badDebt    Σ markets' bad debt: losses of bankrupt accounts the exchange fronted and ADL
 *              has not yet taken back from counterparties (a claim, not tokens);
 *
 * the balance sheet is
 *
 *   tokenBalance + Σ badDebt = Σ collateral + insuranceFund + (buffer − traderPnl)
 *
 * and three structural rules keep every loss reachable: no account without positions holds
 * negative collateral; each market's bad debt is the sum of its ADL records' debt; and every
 * record with debt has a size on its own side left to close.
 */
import { parseAdlKey } from "./adl.js";
import type { Account, ExchangeEvent } from "./types.js";

/**
 * The parts of the exchange the invariant reads (an `ExchangeState` is one; so are the
 * indexer's tables, read back into these shapes).
 */
export interface BalanceSheet {
  tokenBalance: bigint;
  insuranceFund: bigint;
  accounts: Readonly<
    Record<string, Pick<Account, "accountId" | "collateral" | "openMarkets" | "adlRecords">>
  >;
  markets: readonly { marketId: bigint; state: { badDebt: bigint } }[];
}

/** What the state alone does not hold: the buffer and the PnL traders realized so far. */
export interface Ledger {
  buffer: bigint;
  traderPnl: bigint;
}

const sum = (xs: Iterable<bigint>): bigint => {
  let t = 0n;
  for (const x of xs) t += x;
  return t;
};

/** Σ collateral + insurance fund − Σ bad debt − token balance: what the balance sheet needs. */
function liabilitiesOverTokens(s: BalanceSheet): bigint {
  const collateral = sum(Object.values(s.accounts).map((a) => a.collateral));
  const badDebt = sum(s.markets.map((m) => m.state.badDebt));
  return collateral + s.insuranceFund - badDebt - s.tokenBalance;
}

/** The ledger of a state no position has realized anything in yet (e.g. right after deployment). */
export function openingLedger(s: BalanceSheet): Ledger {
  return { buffer: -liabilitiesOverTokens(s), traderPnl: 0n };
}

/** The ledger after an operation's events. */
export function ledgerAfter(l: Ledger, events: readonly ExchangeEvent[]): Ledger {
  let traderPnl = l.traderPnl;
  for (const e of events) {
    if (e.name === "PositionModified") traderPnl += e.args.realizedPnl + e.args.realizedFunding;
    if (e.name === "PositionAutoDeleveraged") traderPnl += e.args.lossAbsorbed;
  }
  return traderPnl === l.traderPnl ? l : { buffer: l.buffer, traderPnl };
}

/** Every way `s` breaks the invariant, one line each; empty when every token is accounted for. */
export function accountingBreaks(s: BalanceSheet, l: Ledger): string[] {
  const out: string[] = [];
  const gap = l.buffer - l.traderPnl + liabilitiesOverTokens(s);
  if (gap !== 0n) {
    out.push(
      `token balance ${s.tokenBalance} + bad debt ≠ collateral + fund + buffer ${l.buffer} − trader PnL ${l.traderPnl}: off by ${gap}`,
    );
  }
  const recordDebt = new Map<bigint, bigint>();
  for (const a of Object.values(s.accounts)) {
    if (a.openMarkets === 0n && a.collateral < 0n) {
      out.push(`account ${a.accountId} has no position and negative collateral ${a.collateral}`);
    }
    for (const [key, r] of Object.entries(a.adlRecords)) {
      const { marketId, isLong } = parseAdlKey(key);
      recordDebt.set(marketId, (recordDebt.get(marketId) ?? 0n) + r.debt);
      if (r.size === 0n ? r.debt !== 0n : r.size > 0n !== isLong) {
        out.push(
          `account ${a.accountId} record ${key}: size ${r.size} cannot carry debt ${r.debt}`,
        );
      }
    }
  }
  for (const m of s.markets) {
    const records = recordDebt.get(m.marketId) ?? 0n;
    if (records !== m.state.badDebt) {
      out.push(`market ${m.marketId}: bad debt ${m.state.badDebt} ≠ its records' debt ${records}`);
    }
  }
  return out;
}
