/**
 * Types shared by the reference adapter: Ponder's view of its events and database, and the
 * adapter's own protocol-neutral form of one chain log.
 *
 * Why both: handlers are registered with Ponder and receive Ponder's event objects (typed
 * from the ABIs through Ponder's `Virtual` types), but the mirror only needs a handful of
 * fields of each — name, arguments, block, log index, transaction — so it works on a small
 * `ChainEvent` it can also build in unit tests without Ponder.
 */
import type { Virtual } from "ponder";
import type * as schema from "../../../ponder.schema.js";
import type { EventArgs, EventName } from "../engine/index.js";
import type { ReferencePonderConfig } from "./contracts.js";

export type Schema = typeof schema;

export type ReferenceEventName = Virtual.EventNames<ReferencePonderConfig>;

export type HandlerArgs<name extends ReferenceEventName> = Virtual.IndexingFunctionArgs<
  ReferencePonderConfig,
  Schema,
  name
>;

/** Ponder's store API inside an indexing function (find / insert / update / delete / sql). */
export type Db = Virtual.Context<ReferencePonderConfig, Schema, ReferenceEventName>["db"];

/** One decoded log of the exchange or its oracle, as the mirror sees it. */
export interface ChainEvent<name extends EventName = EventName> {
  /** Ponder's event id: unique, and ordered like the chain. */
  id: string;
  /** The configured id of the exchange the log belongs to. */
  exchange: string;
  name: name;
  args: EventArgs[name];
  blockNumber: bigint;
  blockHash: `0x${string}`;
  timestamp: bigint;
  logIndex: number;
  txHash: `0x${string}`;
}

export type AnyChainEvent = { [name in EventName]: ChainEvent<name> }[EventName];
