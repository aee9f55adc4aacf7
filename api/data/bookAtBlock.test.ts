import { describe, expect, it } from "vitest";
import type { Account, Market } from "../../engine/risk/book.js";
import { bookAtBlock } from "./bookAtBlock.js";
import { decodeCheckpoint } from "./ponderReader.js";
import type { LoggedChange, ReorgLog } from "./reorgLog.js";
import type { AccountRow, BookRows, MarketRow } from "./rows.js";

const E18 = 10n ** 18n;
/** Ponder's checkpoint of a block: timestamp, chain id, block number, then the block's end. */
const cp = (block: bigint) =>
  `${(1000n + block).toString().padStart(10, "0")}${"31337".padStart(16, "0")}${block.toString().padStart(16, "0")}${"9".repeat(33)}`;

function market(id: bigint, skew: bigint): MarketRow {
  const m = { marketId: id, symbol: `M${id}`, params: {}, state: { skew } } as unknown as Market;
  return { market: m, price: 0n, priceTime: 0n, createdBlock: 1n, updatedBlock: 1n };
}

function account(id: bigint, collateral: bigint, positions: Account["positions"] = {}): AccountRow {
  const owner = `0x${id.toString().padStart(40, "0")}` as const;
  const a = { accountId: id, owner, collateral, openMarkets: 0n, positions, adlRecords: {} };
  return { account: a, createdBlock: 1n, updatedBlock: 1n };
}

const pos = (size: bigint) => ({ size, lastPrice: 100n * E18, lastFundingIndex: 0n });
let op = 0;
function change<R>(block: bigint, operation: 0 | 1 | 2, key: string, row: R): LoggedChange<R> {
  return { operationId: ++op, operation, checkpoint: cp(block), key, row };
}
const positionChange = (block: bigint, o: 0 | 1, a: bigint, m: bigint, size: bigint) =>
  change(block, o, `${a}/${m}`, { accountId: a, marketId: m, position: pos(size) });

// Block 11: account 2's collateral 200 → 250 and its market-2 position closed. Block 12: its
// collateral 250 → 300, account 4 opens (with a position), market 1's price 10 → 15, account 5
// is deleted. Block 13: market 1's skew 1 → 5. `latest` is the book at 13.
const log: ReorgLog = {
  exchange: [],
  cursor: [change(12n, 1, "cursor", { block: 11n, hash: "0xb11" })],
  accounts: [
    change(11n, 1, "2", account(2n, 200n)),
    change(12n, 1, "2", account(2n, 250n)),
    change(12n, 0, "4", account(4n, 0n)),
    change(12n, 2, "5", account(5n, 500n)),
  ],
  positions: [positionChange(11n, 1, 2n, 2n, -3n), positionChange(12n, 0, 4n, 1n, 7n)],
  prices: [change(12n, 1, "1", { marketId: 1n, price: 10n, publishTime: 1n })],
  markets: [change(13n, 1, "1", market(1n, 1n))],
  blocks: [cp(11n), cp(12n), cp(13n)],
  finalized: cp(5n),
};

const latest: BookRows = {
  at: { checkpoint: cp(13n), block: 13n, timestamp: 1013n },
  cursor: { block: 13n, hash: "0xb13" },
  exchange: null,
  markets: [market(1n, 5n), market(2n, 2n)],
  prices: { "1": { price: 15n, publishTime: 2n }, "2": { price: 20n, publishTime: 1n } },
  accounts: [
    account(1n, 100n, { "1": pos(1n) }),
    account(2n, 300n, { "1": pos(2n) }),
    account(4n, 0n, { "1": pos(7n) }),
  ],
};

const summary = (b: BookRows) => ({
  block: b.at.block,
  timestamp: b.at.timestamp,
  cursor: b.cursor?.block,
  skews: b.markets.map((m) => m.market.state.skew),
  prices: Object.fromEntries(Object.entries(b.prices).map(([k, p]) => [k, p.price])),
  accounts: b.accounts.map((a) => [
    a.account.accountId,
    a.account.collateral,
    Object.fromEntries(Object.entries(a.account.positions).map(([m, p]) => [m, p.size])),
  ]),
});

describe("bookAtBlock", () => {
  it("rewinds every row changed after the block to its image before the first change", () => {
    const before = JSON.stringify(summary(latest), (_, v) => (typeof v === "bigint" ? `${v}` : v));
    expect(summary(bookAtBlock(latest, log, cp(12n)))).toEqual({
      ...summary(latest),
      block: 12n,
      timestamp: 1012n,
      skews: [1n, 2n],
    });
    expect(summary(bookAtBlock(latest, log, cp(11n)))).toEqual({
      block: 11n,
      timestamp: 1011n,
      cursor: 11n,
      skews: [1n, 2n],
      prices: { "1": 10n, "2": 20n },
      accounts: [
        [1n, 100n, { "1": 1n }],
        [2n, 250n, { "1": 2n }],
        [5n, 500n, {}],
      ],
    });
    expect(summary(bookAtBlock(latest, log, cp(10n))).accounts).toEqual([
      [1n, 100n, { "1": 1n }],
      [2n, 200n, { "1": 2n, "2": -3n }],
      [5n, 500n, {}],
    ]);
    // The later book is shared, never changed.
    expect(JSON.stringify(summary(latest), (_, v) => (typeof v === "bigint" ? `${v}` : v))).toBe(
      before,
    );
  });

  it("shares the rows nothing changed after the block", () => {
    const at12 = bookAtBlock(latest, log, cp(12n));
    expect(at12.accounts[0]).toBe(latest.accounts[0]);
    expect(at12.markets[1]).toBe(latest.markets[1]);
    expect(decodeCheckpoint(at12.at.checkpoint).block).toBe(12n);
  });
});
