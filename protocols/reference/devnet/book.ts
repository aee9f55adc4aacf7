/**
 * The whole order book as the chain sees it at one block, read through PerpLens in a few
 * eth_calls: every account's collateral, health and position sizes and entries. Traders and
 * keepers decide from this snapshot only, so their decisions are a function of chain state.
 */
import type { Address } from "viem";
import type { ChainClient } from "../../../devnet/chain.js";
import { perpLensAbi } from "../contracts/generated/index.js";

export interface Book {
  blockNumber: bigint;
  accountCount: number;
  marketCount: number;
  collateral: bigint[];
  equity: bigint[];
  initialMargin: bigint[];
  maintenanceMargin: bigint[];
  notional: bigint[];
  /** sizes[(accountId - 1) * marketCount + (marketId - 1)] */
  sizes: bigint[];
  entries: bigint[];
}

const CHUNK = 250;

export async function readBook(
  client: ChainClient,
  lens: Address,
  accountCount: number,
  marketCount: number,
): Promise<Book> {
  const blockNumber = await client.public.getBlockNumber();
  const chunks: number[] = [];
  for (let from = 1; from <= accountCount; from += CHUNK) chunks.push(from);
  const parts = await Promise.all(
    chunks.map(async (from) => {
      const args = [BigInt(from), BigInt(CHUNK)] as const;
      const [snap, entries] = await Promise.all([
        client.public.readContract({
          address: lens,
          abi: perpLensAbi,
          functionName: "snapshot",
          args,
          blockNumber,
        }),
        client.public.readContract({
          address: lens,
          abi: perpLensAbi,
          functionName: "entryPrices",
          args,
          blockNumber,
        }),
      ]);
      return { snap, entries };
    }),
  );
  const book: Book = {
    blockNumber,
    accountCount,
    marketCount,
    collateral: [],
    equity: [],
    initialMargin: [],
    maintenanceMargin: [],
    notional: [],
    sizes: [],
    entries: [],
  };
  for (const { snap, entries } of parts) {
    const [collateral, equity, im, mm, notional, sizes] = snap;
    book.collateral.push(...collateral);
    book.equity.push(...equity);
    book.initialMargin.push(...im);
    book.maintenanceMargin.push(...mm);
    book.notional.push(...notional);
    book.sizes.push(...sizes);
    book.entries.push(...entries);
  }
  return book;
}

export function positionSize(book: Book, accountId: number, marketId: number): bigint {
  return book.sizes[(accountId - 1) * book.marketCount + (marketId - 1)] ?? 0n;
}

export function entryPrice(book: Book, accountId: number, marketId: number): bigint {
  return book.entries[(accountId - 1) * book.marketCount + (marketId - 1)] ?? 0n;
}

export function isLiquidatable(book: Book, accountId: number): boolean {
  const mm = book.maintenanceMargin[accountId - 1] ?? 0n;
  const equity = book.equity[accountId - 1] ?? 0n;
  return mm > 0n && equity < mm;
}
