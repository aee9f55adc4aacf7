import { describe, expect, test } from "vitest";
import { ALICE, BOB, LIQUIDATOR, market2, must, prices, T0, usd } from "../test/fixtures.js";
import { accountingBreaks, ledgerAfter, openingLedger } from "./accounting.js";
import { adlKey } from "./adl.js";
import type { ExchangeState, Operation } from "./types.js";

/** ALICE long 1 BTC and BOB short 2 BTC (the exchange long 1), then a crash that bankrupts ALICE. */
function run(): { s: ExchangeState; ledger: ReturnType<typeof openingLedger> } {
  let s = market2({ traders: [ALICE, BOB], collateral: usd(10_000) });
  let ledger = openingLedger(s);
  const step = (op: Operation, sender = ALICE) => {
    const r = must(s, op, sender, T0);
    s = r.state;
    ledger = ledgerAfter(ledger, r.events);
    expect(accountingBreaks(s, ledger)).toEqual([]);
  };
  step({ kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(1) });
  step({ kind: "modifyPosition", accountId: 2n, marketId: 1n, sizeDelta: -usd(2) }, BOB);
  s = prices(s, T0, usd(80_000), usd(3_400));
  step({ kind: "liquidate", accountId: 1n }, LIQUIDATOR);
  step(
    {
      kind: "autoDeleverage",
      bankruptAccountId: 1n,
      marketId: 1n,
      isLong: true,
      counterparties: [2n],
    },
    LIQUIDATOR,
  );
  step({ kind: "modifyCollateral", accountId: 2n, amountDelta: -usd(1_000) }, BOB);
  return { s, ledger };
}

describe("accounting invariant", () => {
  test("holds to the wei through trades, a bankruptcy, ADL and a withdrawal", () => {
    const { s, ledger } = run();
    expect(ledger.traderPnl).not.toBe(0n);
    expect(accountingBreaks(s, ledger)).toEqual([]);
  });

  test("a token nobody accounts for is reported with the gap", () => {
    const { s, ledger } = run();
    const breaks = accountingBreaks({ ...s, tokenBalance: s.tokenBalance - 7n }, ledger);
    expect(breaks).toHaveLength(1);
    expect(breaks[0]).toMatch(/off by 7$/);
  });

  test("negative collateral on a flat account is reported (a loss liquidation cannot reach)", () => {
    const { s, ledger } = run();
    const a = s.accounts["1"]!;
    const t: ExchangeState = {
      ...s,
      tokenBalance: s.tokenBalance - 5n,
      accounts: { ...s.accounts, "1": { ...a, collateral: -5n } },
    };
    expect(accountingBreaks(t, ledger)).toEqual([
      "account 1 has no position and negative collateral -5",
    ]);
  });

  test("debt on a record with no size left, or on the wrong side, is reported (ADL cannot reach it)", () => {
    const { s, ledger } = run();
    const a = s.accounts["1"]!;
    const m = s.markets[0]!;
    const t: ExchangeState = {
      ...s,
      tokenBalance: s.tokenBalance - 9n,
      markets: [{ ...m, state: { ...m.state, badDebt: 9n } }, ...s.markets.slice(1)],
      accounts: {
        ...s.accounts,
        "1": { ...a, adlRecords: { [adlKey(1n, true)]: { size: 0n, debt: 9n } } },
      },
    };
    expect(accountingBreaks(t, ledger)).toEqual([
      "account 1 record 1:long: size 0 cannot carry debt 9",
    ]);
    const wrongSide: ExchangeState = {
      ...t,
      accounts: {
        ...s.accounts,
        "1": { ...a, adlRecords: { [adlKey(1n, true)]: { size: -usd(1), debt: 9n } } },
      },
    };
    expect(accountingBreaks(wrongSide, ledger)).toHaveLength(1);
  });

  test("a market's bad debt that no record carries is reported", () => {
    const { s, ledger } = run();
    const m = s.markets[1]!;
    const t: ExchangeState = {
      ...s,
      tokenBalance: s.tokenBalance - 3n,
      markets: [s.markets[0]!, { ...m, state: { ...m.state, badDebt: 3n } }],
    };
    expect(accountingBreaks(t, ledger)).toEqual(["market 2: bad debt 3 ≠ its records' debt 0"]);
  });
});
