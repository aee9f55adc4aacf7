/**
 * The table rows of a synthetic book (engine/analytics `syntheticBook`) at one block, as the
 * Ponder reader would return them: for tests of what the API computes from a snapshot, on a
 * seeded book of any size without indexing a chain.
 */
import type { syntheticBook } from "../../engine/analytics/index.js";
import type { BookRows } from "../data/rows.js";

export function syntheticRows(book: ReturnType<typeof syntheticBook>, block = 1234n): BookRows {
  const { state, timestamp } = book;
  return {
    at: { checkpoint: `synthetic-${block}`, block, timestamp },
    cursor: null,
    exchange: {
      id: "synthetic",
      protocol: "reference",
      chainId: 31337,
      address: state.address,
      maxPriceAge: state.maxPriceAge,
      insuranceFund: state.insuranceFund,
      accountCount: state.accountCount,
      marketCount: BigInt(state.markets.length),
    },
    markets: state.markets.map((market) => ({
      market,
      price: state.oracle.prices[market.marketId.toString()]!.price,
      priceTime: 0n,
      createdBlock: 1n,
      updatedBlock: 1n,
    })),
    prices: state.oracle.prices,
    accounts: Object.values(state.accounts)
      .sort((a, b) => (a.accountId < b.accountId ? -1 : 1))
      .map((account) => ({ account, createdBlock: 1n, updatedBlock: 1n })),
  };
}
