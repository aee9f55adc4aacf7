/** applyEvent's bookkeeping that needs no chain: deposits, and a transaction left unexplained. */
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import type { CurieEvent } from "./events.js";
import { accountOf, applyEvent, closeTransaction, createCurieState } from "./state.js";

const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as Address;
const A = {
  clearingHouse: addr(1),
  clearingHouseConfig: addr(2),
  accountBalance: addr(3),
  exchange: addr(4),
  orderBook: addr(5),
  vault: addr(6),
  insuranceFund: addr(7),
  collateralManager: addr(8),
  marketRegistry: addr(9),
  quoteToken: addr(10),
  settlementToken: addr(11),
};
const trader = addr(100);
const at = (logIndex: number, transactionIndex = 0) => ({
  block: { number: 5n, timestamp: 1000n },
  transactionIndex,
  logIndex,
});

describe("applyEvent", () => {
  const s0 = createCurieState({ addresses: A, settlementTokenDecimals: 18, markets: [] });

  it("credits a deposit to the trader's Vault balance, immutably", () => {
    const e = {
      contract: "Vault",
      name: "Deposited",
      args: { collateralToken: A.settlementToken, trader, amount: 5n },
      address: A.vault,
      ...at(0),
    } as CurieEvent;
    const s1 = closeTransaction(applyEvent(s0, e));
    expect(accountOf(s1, trader).balance).toBe(5n);
    expect(accountOf(s0, trader).balance).toBe(0n);
  });

  it("refuses a transaction that ends with a PositionChanged nothing explained", () => {
    const e = {
      contract: "ClearingHouse",
      name: "PositionChanged",
      args: {
        trader,
        baseToken: addr(200),
        exchangedPositionSize: 1n,
        exchangedPositionNotional: -1n,
        fee: 0n,
        openNotional: -1n,
        realizedPnl: 0n,
        sqrtPriceAfterX96: 1n,
      },
      address: A.clearingHouse,
      ...at(0),
    } as CurieEvent;
    const s1 = applyEvent(s0, e);
    expect(() => closeTransaction(s1)).toThrow(/left events unexplained/);
    const next = { ...e, ...at(1, 1) } as CurieEvent;
    expect(() => applyEvent(s1, next)).toThrow(/left events unexplained/);
  });
});
