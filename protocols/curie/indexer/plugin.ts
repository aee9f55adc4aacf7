/**
 * Curie's Ponder handlers: every event of every role (contracts.ts) goes to the mirror of the
 * exchange on the log's chain (mirror.ts), in chain order; the block source ends each block.
 *
 * Why one mirror for all roles: one Curie call emits logs from the pool, the ClearingHouse,
 * AccountBalance, Exchange and Vault, and the engine explains them together.
 */
import type { ExchangeConfig, PluginHandler, PluginOptions } from "../../protocol.js";
import { CURIE_EVENT_ABIS, type CurieContract } from "../engine/events.js";
import { CURIE_BLOCK_END, PONDER_NAMES } from "./contracts.js";
import { CurieMirror } from "./mirror.js";
import { type PonderLogEvent, toCurieEvent } from "./toCurieEvent.js";
import type { Db } from "./types.js";

/** Every `"PonderContract:Event"` the plugin indexes. */
export const CURIE_EVENTS: string[] = Object.entries(CURIE_EVENT_ABIS).flatMap(([role, abi]) =>
  abi.map((e) => `${PONDER_NAMES[role as CurieContract]}:${e.name}`),
);

interface Args<E> {
  event: E;
  context: { db: Db; chain: { name: string } };
}

/**
 * The handlers for the configured Curie exchanges (one per chain). Curie's rows move with time
 * (mark prices are TWAPs), so the block source is always declared: `blockEnd` is ignored.
 */
export function curieHandlers(
  exchanges: readonly ExchangeConfig[],
  _options?: PluginOptions,
): Record<string, PluginHandler> {
  const mirrors = new Map(exchanges.map((x) => [x.chain.name, new CurieMirror(x)]));
  const mirrorOf = (chain: string) => {
    const m = mirrors.get(chain);
    if (m === undefined) throw new Error(`curie plugin: no exchange configured on chain ${chain}`);
    return m;
  };
  const handlers: Record<string, PluginHandler> = {};
  for (const name of CURIE_EVENTS) {
    const handler = async ({ event, context }: Args<PonderLogEvent>) => {
      await mirrorOf(context.chain.name).handle(context.db, toCurieEvent(name, event));
    };
    handlers[name] = handler as unknown as PluginHandler;
  }
  const onBlock = async ({
    event,
    context,
  }: Args<{ block: { number: bigint; hash: `0x${string}`; timestamp: bigint } }>) => {
    await mirrorOf(context.chain.name).endBlock(context.db, event.block);
  };
  handlers[`${CURIE_BLOCK_END}:block`] = onBlock as unknown as PluginHandler;
  return handlers;
}
