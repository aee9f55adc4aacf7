/**
 * The mirror check: compare the arguments of an event the chain emitted with the event the
 * exact engine emitted for the same operation, field by field, and record every difference
 * as a `mirror_check` row.
 *
 * Why field by field on the events: every event of the reference exchange carries the
 * post-state it produced (new collateral, new size, funding index, fund balance …), so
 * "the mirror's event equals the chain's event" is the whole check, and costs one pass over a
 * dozen bigints per log. A difference never throws: it is data (the row) and a warning log;
 * indexing goes on and the chain's values are applied (see overrides.ts).
 */

import { logger } from "../../../indexer/logger.js";
import { mirrorCheck } from "../../../ponder.schema.js";
import type { EventName, ExchangeEvent } from "../engine/index.js";
import type { AnyChainEvent, Db } from "./types.js";

export interface Mismatch {
  field: string;
  chainValue: string;
  mirrorValue: string;
}

/**
 * Fields the mirror cannot know and does not check: the keeper that called `liquidate` is
 * `msg.sender`, which need not be the transaction's sender and is never part of the state.
 */
const UNCHECKED: Partial<Record<EventName, ReadonlySet<string>>> = {
  AccountLiquidated: new Set(["liquidator"]),
};

/** A value as the check stores it: decimal for numbers, lowercase for addresses. */
export function showValue(v: unknown): string {
  if (typeof v === "bigint" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return v.startsWith("0x") ? v.toLowerCase() : v;
  if (v === undefined) return "undefined";
  return JSON.stringify(v);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" || typeof b === "number") {
    try {
      return BigInt(a as number | bigint) === BigInt(b as number | bigint);
    } catch {
      return false;
    }
  }
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return false;
}

/** Differences between the chain's event and the mirror's (same name assumed). */
export function compareEvents(chain: AnyChainEvent, mirror: ExchangeEvent): Mismatch[] {
  const skip = UNCHECKED[chain.name];
  const out: Mismatch[] = [];
  const chainArgs = chain.args as unknown as Record<string, unknown>;
  const mirrorArgs = mirror.args as unknown as Record<string, unknown>;
  for (const field in mirrorArgs) {
    if (skip?.has(field)) continue;
    const c = chainArgs[field];
    const m = mirrorArgs[field];
    if (!sameValue(c, m)) {
      out.push({ field, chainValue: showValue(c), mirrorValue: showValue(m) });
    }
  }
  return out;
}

/**
 * The differences that are not a field of a paired event (those come from `compareEvents`),
 * in the one shape each has in `mirror_check`.
 */
export const mismatch = {
  /** The mirror expected `expected` and the chain never emitted it. */
  missing: (expected: { name: string }): Mismatch => ({
    field: `missing:${expected.name}`,
    chainValue: "none",
    mirrorValue: expected.name,
  }),
  /**
   * The chain emitted `chain` where the mirror expected another event, or none, or could not
   * pair it with a call (`"unpaired"`).
   */
  unexpected: (chain: { name: string }, expected: string): Mismatch => ({
    field: "event",
    chainValue: chain.name,
    mirrorValue: expected,
  }),
  /** The mirror predicted a revert of a call that succeeded on chain. */
  revert: (error: { name: string; message: string }): Mismatch => ({
    field: "revert",
    chainValue: "success",
    mirrorValue: `${error.name}: ${error.message}`,
  }),
};

/** Records mismatches of one chain event as `mirror_check` rows (and logs them). */
export async function recordMismatches(
  db: Db,
  ev: AnyChainEvent,
  mismatches: readonly Mismatch[],
): Promise<void> {
  for (const m of mismatches) {
    logger.warn(
      {
        event: ev.name,
        block: ev.blockNumber.toString(),
        logIndex: ev.logIndex,
        tx: ev.txHash,
        field: m.field,
        chain: m.chainValue,
        mirror: m.mirrorValue,
      },
      "mirror mismatch",
    );
    await db
      .insert(mirrorCheck)
      .values({
        id: `${ev.id}:${m.field}`,
        exchange: ev.exchange,
        eventId: ev.id,
        eventName: ev.name,
        blockNumber: ev.blockNumber,
        logIndex: ev.logIndex,
        txHash: ev.txHash,
        field: m.field,
        chainValue: m.chainValue,
        mirrorValue: m.mirrorValue,
      })
      .onConflictDoNothing();
  }
}
