/**
 * The reference exchange's adapter as a plugin: its contracts (contracts.ts) and a handler
 * for every event of `PerpExchange` and `PriceOracle`, all of which feed the self-checking
 * mirror (mirror.ts) in chain order.
 *
 * Why one mirror for all events: one contract call emits several logs (a trade: the
 * position, the fee, the funding), and the mirror matches them as a unit; each handler only
 * turns Ponder's event object into the mirror's `ChainEvent`.
 */

import type { IndexerPlugin, PluginHandler } from "../../../indexer/plugin.js";
import type { EventName } from "../engine/index.js";
import { BLOCK_END, type ReferenceDeployment, referenceContracts } from "./contracts.js";
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
  event: HandlerArgs<name>["event"],
): AnyChainEvent {
  return {
    id: event.id,
    name: name.slice(name.indexOf(":") + 1) as EventName,
    args: normalizeArgs(event.args as Record<string, unknown>),
    blockNumber: event.block.number,
    blockHash: event.block.hash,
    timestamp: event.block.timestamp,
    logIndex: event.log.logIndex,
    txHash: event.transaction.hash,
  } as unknown as AnyChainEvent;
}

/**
 * A fresh reference plugin (one mirror per Ponder process). With `blockEnd` (the default) it
 * handles the block source of `referenceBlocks`, which the Ponder config must then declare.
 */
export function referencePlugin({
  blockEnd = true,
}: {
  blockEnd?: boolean;
} = {}): IndexerPlugin<ReferenceDeployment, ReturnType<typeof referenceContracts>> {
  const mirror = new ReferenceMirror(blockEnd);
  let exchangeAddress: `0x${string}` | null = null;
  const handlers: Record<string, PluginHandler> = {};
  for (const name of REFERENCE_EVENTS) {
    const handler = async ({ event, context }: HandlerArgs<typeof name>) => {
      exchangeAddress ??= (
        context.contracts.PerpExchange.address as `0x${string}`
      ).toLowerCase() as `0x${string}`;
      await mirror.handle(context.db, exchangeAddress, toChainEvent(name, event));
    };
    handlers[name] = handler as unknown as PluginHandler;
  }
  if (blockEnd) {
    const onBlock = async ({ event, context }: HandlerArgs<`${typeof BLOCK_END}:block`>) => {
      await mirror.endBlock(context.db, { number: event.block.number, hash: event.block.hash });
    };
    handlers[`${BLOCK_END}:block`] = onBlock as unknown as PluginHandler;
  }
  return { name: "reference", contracts: referenceContracts, handlers };
}
