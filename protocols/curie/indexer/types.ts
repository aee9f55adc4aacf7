/**
 * Ponder's view of the Curie plugin: its event names, handler arguments, store and client,
 * typed from the Ponder config shape of contracts.ts; and the indexed form of one engine event
 * (the engine's `CurieEvent` plus where it sits: Ponder's id, block hash, transaction).
 */
import type { Virtual } from "ponder";
import type * as schema from "../../../ponder.schema.js";
import type { CurieEvent } from "../engine/events.js";
import type { CuriePonderConfig } from "./contracts.js";

export type Schema = typeof schema;

export type CurieEventName = Virtual.EventNames<CuriePonderConfig>;

export type HandlerArgs<name extends CurieEventName> = Virtual.IndexingFunctionArgs<
  CuriePonderConfig,
  Schema,
  name
>;

type Context = Virtual.Context<CuriePonderConfig, Schema, CurieEventName>;

/** Ponder's store API inside an indexing function. */
export type Db = Context["db"];

/** Ponder's cached, block-pinned RPC client inside an indexing function. */
export type Client = Context["client"];

/** One engine event as indexed: the engine's event and the log's identity on the chain. */
export type IndexedEvent = CurieEvent & {
  /** Ponder's event id: unique, ordered like the chain. */
  id: string;
  blockHash: `0x${string}`;
  txHash: `0x${string}`;
};
