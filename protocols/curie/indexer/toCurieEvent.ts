/**
 * Ponder's event object as the engine's `CurieEvent`: the role comes from the Ponder contract
 * name (contracts.ts `PONDER_NAMES`), the arguments are already decoded by Ponder with the same
 * ABI fragments the engine declares, and addresses are lower-cased like every key the plugin
 * stores.
 */
import type { Address } from "../../protocol.js";
import type { CurieContract } from "../engine/events.js";
import { PONDER_NAMES } from "./contracts.js";
import type { IndexedEvent } from "./types.js";

const ROLE_OF: Record<string, CurieContract> = Object.fromEntries(
  Object.entries(PONDER_NAMES).map(([role, ponder]) => [ponder, role as CurieContract]),
);

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function lowerAddresses(args: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const k in args) {
    const v = args[k];
    if (typeof v === "string" && ADDRESS.test(v) && v !== v.toLowerCase()) {
      out ??= { ...args };
      out[k] = v.toLowerCase();
    }
  }
  return out ?? args;
}

/** The subset of Ponder's log event the plugin reads. */
export interface PonderLogEvent {
  id: string;
  args: unknown;
  log: { address: Address; logIndex: number; transactionIndex: number };
  block: { number: bigint; timestamp: bigint; hash: `0x${string}` };
  transaction: { hash: `0x${string}` };
}

/** `"CuriePool:Swap"` and its event → the engine's event. */
export function toCurieEvent(ponderName: string, event: PonderLogEvent): IndexedEvent {
  const colon = ponderName.indexOf(":");
  const contract = ROLE_OF[ponderName.slice(0, colon)];
  if (contract === undefined) throw new Error(`curie plugin: no engine role for ${ponderName}`);
  return {
    contract,
    name: ponderName.slice(colon + 1),
    args: lowerAddresses(event.args as Record<string, unknown>),
    address: event.log.address.toLowerCase() as Address,
    block: { number: event.block.number, timestamp: event.block.timestamp },
    transactionIndex: event.log.transactionIndex,
    logIndex: event.log.logIndex,
    id: event.id,
    blockHash: event.block.hash,
    txHash: event.transaction.hash,
  } as IndexedEvent;
}
