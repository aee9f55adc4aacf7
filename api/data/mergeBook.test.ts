import { describe, expect, it } from "vitest";
import type { Account, Market } from "../../engine/risk/book.js";
import { mergeBook } from "./mergeBook.js";
import type { AccountRow, BookChanges, BookRows, MarketRow } from "./rows.js";

const E18 = 10n ** 18n;
const at = (block: bigint) => ({ checkpoint: `cp${block}`, block, timestamp: 1000n + block });

function market(id: bigint, skew: bigint): MarketRow {
  const m = {
    marketId: id,
    symbol: `M${id}`,
    params: {} as Market["params"],
    state: { skew } as Market["state"],
  } as Market;
  return { market: m, price: 0n, priceTime: 0n, createdBlock: 1n, updatedBlock: 1n };
}

function account(id: bigint, collateral: bigint, positions: Account["positions"] = {}): AccountRow {
  return {
    account: {
      accountId: id,
      owner: `0x${id.toString().padStart(40, "0")}`,
      collateral,
      openMarkets: 0n,
      positions,
      adlRecords: {},
    },
    createdBlock: 1n,
    updatedBlock: 1n,
  };
}

const pos = (size: bigint) => ({ size, lastPrice: 100n * E18, lastFundingIndex: 0n });

const prev: BookRows = {
  at: at(10n),
  cursor: { block: 10n, hash: "0xa" },
  exchange: {
    id: "reference-31337",
    protocol: "reference",
    chainId: 31337,
    address: "0xe",
    maxPriceAge: 60n,
    insuranceFund: 5n,
    accountCount: 3n,
    marketCount: 2n,
  },
  markets: [market(1n, 1n), market(2n, 2n)],
  prices: { "1": { price: 10n, publishTime: 1n }, "2": { price: 20n, publishTime: 1n } },
  accounts: [
    account(1n, 100n, { "1": pos(1n) }),
    account(2n, 200n, { "1": pos(2n), "2": pos(-3n) }),
    account(3n, 300n),
  ],
};

describe("mergeBook", () => {
  const changes: BookChanges = {
    since: 10n,
    at: at(12n),
    cursor: { block: 12n, hash: "0xc" },
    exchange: null,
    markets: [market(2n, 7n)],
    prices: { "2": { price: 21n, publishTime: 12n } },
    accounts: [account(2n, 250n), account(4n, 400n)],
    positions: [
      { accountId: 2n, marketId: 2n, position: pos(0n) }, // closed
      { accountId: 2n, marketId: 1n, position: pos(5n) }, // changed
      { accountId: 4n, marketId: 2n, position: pos(9n) }, // new account, new position
    ],
  };
  const merged = mergeBook(prev, changes);

  it("applies changed markets, prices and accounts, keeps the rest", () => {
    expect(merged.at.block).toBe(12n);
    expect(merged.cursor).toEqual({ block: 12n, hash: "0xc" });
    expect(merged.exchange).toBe(prev.exchange);
    expect(merged.markets[0]).toBe(prev.markets[0]);
    expect(merged.markets[1]!.market.state.skew).toBe(7n);
    expect(merged.prices).toEqual({ "1": prev.prices["1"], "2": { price: 21n, publishTime: 12n } });
    expect(merged.accounts.map((a) => a.account.accountId)).toEqual([1n, 2n, 3n, 4n]);
    expect(merged.accounts[0]).toBe(prev.accounts[0]); // shared, not copied
    expect(merged.accounts[1]!.account.collateral).toBe(250n);
  });

  it("removes closed positions, updates changed ones and adds new ones", () => {
    expect(merged.accounts[1]!.account.positions).toEqual({ "1": pos(5n) });
    expect(merged.accounts[3]!.account.positions).toEqual({ "2": pos(9n) });
  });

  it("never mutates the previous book", () => {
    expect(prev.accounts[1]!.account.positions).toEqual({ "1": pos(2n), "2": pos(-3n) });
    expect(prev.accounts[1]!.account.collateral).toBe(200n);
    expect(prev.markets[1]!.market.state.skew).toBe(2n);
  });

  it("takes positions of an account whose row did not change", () => {
    const m = mergeBook(prev, {
      ...changes,
      markets: [],
      prices: {},
      accounts: [],
      positions: [{ accountId: 1n, marketId: 2n, position: pos(4n) }],
    });
    expect(m.accounts[0]!.account.positions).toEqual({ "1": pos(1n), "2": pos(4n) });
    expect(m.accounts[0]!.account.collateral).toBe(100n);
  });
});
