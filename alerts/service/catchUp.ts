/**
 * Catch-up after downtime, the pure part: which blocks a restarted worker missed, and what
 * each of them looked like, rebuilt from the API's history (`source/historySource.ts`).
 *
 * Why only some rules: the API serves its newest block's state alone, so a missed block's
 * book (cascades, margins, skew, funding, oracle prices) cannot be read back; what changed
 * between blocks is on record. The rules about what happened — liquidation bursts, bad debt
 * waiting for ADL, the fund's drawdown — are evaluated block by block from it; the others
 * keep their state until the head is evaluated (they see the state as it is now).
 *
 * Each missed block gets: its number; its time (a liquidation's, a fill's or a ledger entry's
 * when one is on it, else interpolated between the last evaluated block and the head); the
 * liquidations up to it; the fund's balance then (undoing the ledger entries after it); and
 * the bad debt waiting then (the head's, less the liquidations' bad debt after it, plus what
 * ADL absorbed after it).
 */
import type { Rule } from "../config/ruleSchema.js";
import type { RiskObservation } from "../observation.js";
import type { ChainHistory } from "../source/historySource.js";
import type { EvaluatedBlock } from "../store/alertStore.js";

/** Rule kinds whose inputs the history holds for any past block. */
export const REPLAYED_KINDS: ReadonlySet<Rule["kind"]> = new Set([
  "liquidation_burst",
  "adl_likely",
  "insurance_fund_drawdown",
]);

export const replayable = (r: Rule) => r.schedule === "block" && REPLAYED_KINDS.has(r.kind);

export interface MissedRange {
  /** First and last missed block to evaluate (inclusive). */
  from: bigint;
  to: bigint;
  /** Missed blocks older than the window, not evaluated. */
  skipped: bigint;
}

/** The blocks between the last evaluated one and the head, at most `maxBlocks` (the newest). */
export function missedRange(
  last: EvaluatedBlock | undefined,
  head: bigint,
  maxBlocks: number,
): MissedRange | null {
  if (!last || maxBlocks <= 0) return null;
  const to = head - 1n;
  let from = last.number + 1n;
  if (to < from) return null;
  let skipped = 0n;
  const count = to - from + 1n;
  if (count > BigInt(maxBlocks)) {
    skipped = count - BigInt(maxBlocks);
    from += skipped;
  }
  return { from, to, skipped };
}

/** The observation of each block of `range`, oldest first, for the replayed rules. */
export function replayObservations(
  head: RiskObservation,
  last: EvaluatedBlock,
  range: MissedRange,
  history: ChainHistory,
): RiskObservation[] {
  const h = head.block;
  const known = new Map<bigint, number>();
  for (const row of [...history.liquidations, ...history.adl, ...history.ledger]) {
    known.set(row.blockNumber, row.timestamp);
  }
  const span = Number(h.number - last.number);
  const timeOf = (b: bigint): number => {
    const t = known.get(b);
    if (t !== undefined) return t;
    const frac = span > 0 ? Number(b - last.number) / span : 1;
    return Math.round(last.timestamp + frac * (h.timestamp - last.timestamp));
  };
  const out: RiskObservation[] = [];
  let prevTime = last.timestamp;
  for (let b = range.from; b <= range.to; b++) {
    const timestamp = Math.max(prevTime, timeOf(b));
    prevTime = timestamp;
    const obs: RiskObservation = {
      exchangeId: head.exchangeId,
      watchedExchanges: head.watchedExchanges,
      block: { number: b, hash: null, timestamp },
      observedAtMs: head.observedAtMs,
      liquidations: history.liquidations.filter((l) => l.blockNumber <= b),
    };
    if (head.exchange) {
      obs.exchange = {
        openInterestUsd: Number.NaN,
        accountsAtRisk: 0,
        insuranceFund: fundAt(b, head.exchange.insuranceFund, history),
        pendingBadDebt: pendingAt(b, head.exchange.pendingBadDebt, history),
        amplificationAt10: Number.NaN,
        adlLikely: false,
        maxAbsFundingRate: Number.NaN,
        liquidatableWithin: {
          pct1: Number.NaN,
          pct3: Number.NaN,
          pct5: Number.NaN,
          pct10: Number.NaN,
        },
      };
    }
    out.push(obs);
  }
  return out;
}

/** The fund's balance at the end of block `b`: before the first ledger entry after it. */
export function fundAt(b: bigint, headFund: number, history: ChainHistory): number {
  let first: ChainHistory["ledger"][number] | undefined;
  for (const e of history.ledger) {
    if (e.blockNumber > b && (!first || e.blockNumber <= first.blockNumber)) first = e;
  }
  return first ? first.balance - first.delta : headFund;
}

/** Bad debt waiting for ADL at the end of block `b`. */
export function pendingAt(b: bigint, headPending: number, history: ChainHistory): number {
  let v = headPending;
  for (const l of history.liquidations) if (l.blockNumber > b) v -= l.badDebt;
  for (const a of history.adl) if (a.blockNumber > b) v += a.lossAbsorbed;
  return Math.max(0, v);
}
