/**
 * The reference exchange's Ponder handlers: one for every event of `PerpExchange` and
 * `PriceOracle`, all of which feed the self-checking mirror (mirror.ts) of the exchange on
 * the log's chain, in chain order.
 *
 * Why one mirror for all events: one contract call emits several logs (a trade: the
 * position, the fee, the funding), and the mirror matches them as a unit; each handler only
 * turns Ponder's event object into the mirror's `ChainEvent`.
 */

import type { ExchangeConfig, ExchangeKey, PluginHandler, PluginOptions } from "../../protocol.js";
import type { EventName } from "../engine/index.js";
import { BLOCK_END } from "./contracts.js";
import { ReferenceMirror } from "./mirror.js";
import type { AnyChainEvent, HandlerArgs, ReferenceEventName } from "./types.js";

/** Every event the reference adapter indexes, as `"Contract:Event"`. */
export const REFERENCE_EVENTS = [
  "PerpExchange:AccountCreated",
  "PerpExchange:MarketCreated",
  "PerpExchange:MarketParamsSet",
  "PerpExchange:MaxPriceAgeSet",
  "PerpExchange:CollateralModified",
  "PerpExchange:FundingUpdated",
  "PerpExchange:PositionModified",
  "PerpExchange:AccountLiquidated",
  "PerpExchange:BadDebtRecorded",
  "PerpExchange:InsuranceFundUpdated",
  "PerpExchange:PositionAutoDeleveraged",
  "PriceOracle:PriceUpdated",
  "PriceOracle:UpdaterSet",
] as const satisfies readonly ReferenceEventName[];

type ReferenceEvent = (typeof REFERENCE_EVENTS)[number];

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Addresses in the chain's arguments, lowercased like everything the mirror stores. */
function normalizeArgs(args: Record<string, unknown>): Record<string, unknown> {
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

export function toChainEvent<name extends ReferenceEvent>(
  name: name,
  exchange: string,
  event: HandlerArgs<name>["event"],
): AnyChainEvent {
  return {
    id: event.id,
    exchange,
    name: name.slice(name.indexOf(":") + 1) as EventName,
    args: normalizeArgs(event.args as Record<string, unknown>),
    blockNumber: event.block.number,
    blockHash: event.block.hash,
    timestamp: event.block.timestamp,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  } as unknown as AnyChainEvent;
}

/** The exchange's identity as its rows record it. */
export function referenceKey(x: ExchangeConfig): ExchangeKey {
  return { id: x.id, protocol: x.protocol, chainId: x.chain.id, address: x.addresses.exchange! };
}

/**
 * The handlers for the configured reference exchanges (one per chain): a mirror each, chosen
 * by the chain the log comes from. With `blockEnd` they include the block source of
 * `referenceBlocks`, which the Ponder config must then declare.
 */
export function referenceHandlers(
  exchanges: readonly ExchangeConfig[],
  { blockEnd }: PluginOptions = { blockEnd: true },
): Record<string, PluginHandler> {
  const mirrors = new Map<string, { id: string; mirror: ReferenceMirror }>();
  for (const x of exchanges) {
    mirrors.set(x.chain.name, { id: x.id, mirror: new ReferenceMirror(referenceKey(x), blockEnd) });
  }
  const mirrorOf = (chain: string) => {
    const m = mirrors.get(chain);
    if (m === undefined)
      throw new Error(`reference plugin: no exchange configured on chain ${chain}`);
    return m;
  };
  const handlers: Record<string, PluginHandler> = {};
  for (const name of REFERENCE_EVENTS) {
    const handler = async ({ event, context }: HandlerArgs<typeof name>) => {
      const { id, mirror } = mirrorOf(context.chain.name);
      await mirror.handle(context.db, toChainEvent(name, id, event));
    };
    handlers[name] = handler as unknown as PluginHandler;
  }
  if (blockEnd) {
    const onBlock = async ({ event, context }: HandlerArgs<`${typeof BLOCK_END}:block`>) => {
      const { mirror } = mirrorOf(context.chain.name);
      await mirror.endBlock(context.db, { number: event.block.number, hash: event.block.hash });
    };
    handlers[`${BLOCK_END}:block`] = onBlock as unknown as PluginHandler;
  }
  return handlers;
}
