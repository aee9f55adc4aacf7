/**
 * Keeper policies: which accounts to liquidate and which counterparties to auto-deleverage.
 * Liquidation follows the book (equity < maintenance margin). ADL ranks profitable
 * opposite-side positions as Hyperliquid does — (mark/entry for longs, entry/mark for shorts)
 * × leverage (notional / equity) — and takes them in order until the bankrupt size is covered.
 */
import { fromD18 } from "../../../engine/analytics/d18.js";
import { type Book, entryPrice, isLiquidatable, positionSize } from "./book.js";

/** Bad debt waiting for ADL, from the exchange's BadDebtRecorded events (one per side). */
export interface PendingAdl {
  bankruptAccountId: number;
  marketId: number;
  /** The bankrupt side of the record. */
  isLong: boolean;
  size: bigint;
  debt: bigint;
}

export function liquidationCandidates(book: Book, limit: number): number[] {
  const ids: number[] = [];
  for (let id = 1; id <= book.accountCount && ids.length < limit; id++) {
    if (isLiquidatable(book, id)) ids.push(id);
  }
  return ids;
}

/** Counterparties for one pending ADL record, best-ranked first, covering its size. */
export function adlCounterparties(
  book: Book,
  pending: PendingAdl,
  markPrice: number,
  exclude: ReadonlySet<number>,
  maxCount: number,
): number[] {
  const side = pending.isLong ? 1 : -1;
  const ranked: { id: number; score: number; size: number }[] = [];
  for (let id = 1; id <= book.accountCount; id++) {
    if (exclude.has(id) || id === pending.bankruptAccountId) continue;
    const size = fromD18(positionSize(book, id, pending.marketId));
    if (size === 0 || Math.sign(size) === side) continue;
    const entry = fromD18(entryPrice(book, id, pending.marketId));
    const equity = fromD18(book.equity[id - 1] ?? 0n);
    if (entry <= 0 || equity <= 0) continue;
    const pnlPerUnit = size > 0 ? markPrice - entry : entry - markPrice;
    // Demand a clear profit so funding since the last touch cannot flip it.
    if (pnlPerUnit <= entry * 0.002) continue;
    const ratio = size > 0 ? markPrice / entry : entry / markPrice;
    const notional = Math.abs(size) * markPrice;
    ranked.push({ id, score: ratio * (notional / equity), size: Math.abs(size) });
  }
  ranked.sort((a, b) => b.score - a.score || a.id - b.id);
  const chosen: number[] = [];
  let covered = 0;
  const need = Math.abs(fromD18(pending.size));
  for (const r of ranked) {
    if (covered >= need || chosen.length >= maxCount) break;
    chosen.push(r.id);
    covered += r.size;
  }
  return chosen;
}
