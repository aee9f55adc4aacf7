/**
 * Curie's per-block price window. `Exchange.swap` reverts `EX_OPLAS` when a swap leaves the pool
 * more than `maxTickCrossedWithinBlock` ticks from a reference tick, and that reference moves
 * to the pool's tick at most every 15 s (`_PRICE_LIMIT_INTERVAL`), in the first call of a block
 * that settles funding for the market. Every swap the simulator sends carries a
 * `sqrtPriceLimitX96` inside this window, so a trade that would cross it fills partly instead
 * of reverting — which is how a crash moves the pools block by block.
 *
 * The reference tick has no getter; it is read from the Exchange's storage (ExchangeStorageV1
 * `_lastUpdatedTickMap`, ExchangeStorageV2 `_lastTickUpdatedTimestampMap`), whose slots are
 * found once by locating `_maxTickCrossedWithinBlockMap` (four slots after the tick map, two
 * before the timestamp map in the published source's declaration order) by its known value.
 */
import { type Address, encodeAbiParameters, type Hex, keccak256 } from "viem";
import type { ChainClient } from "../../../devnet/chain.js";
import { getSqrtRatioAtTick } from "../engine/pool/sdkMath.js";

/** Exchange `_PRICE_LIMIT_INTERVAL`: seconds between reference-tick updates. */
export const PRICE_LIMIT_INTERVAL = 15;
/** Ticks kept clear of the window's edge (a swap stopping on a tick may report the tick below). */
const EDGE_MARGIN = 2;
const SCAN_SLOTS = 400;

export interface PriceWindow {
  /** The tick the contract measures this block's swaps from. */
  refTick: number;
  maxDelta: number;
}

export interface TickSlots {
  tick: bigint;
  timestamp: bigint;
}

/** Storage key of `map[key]` for a mapping at `slot`. */
export function mappingSlot(key: Address, slot: bigint): Hex {
  return keccak256(encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [key, slot]));
}

async function storageAt(client: ChainClient, address: Address, slot: Hex): Promise<bigint> {
  return BigInt(await client.rpc<Hex>("eth_getStorageAt", [address, slot, "latest"]));
}

/** Finds the reference-tick slots from a market whose tick limit is `maxDelta` (> 0). */
export async function locateTickSlots(
  client: ChainClient,
  exchange: Address,
  baseToken: Address,
  maxDelta: number,
): Promise<TickSlots> {
  const hits: bigint[] = [];
  for (let p = 4n; p < BigInt(SCAN_SLOTS); p++) {
    if ((await storageAt(client, exchange, mappingSlot(baseToken, p))) === BigInt(maxDelta))
      hits.push(p);
  }
  if (hits.length !== 1) {
    throw new Error(
      `curie Exchange ${exchange}: expected one storage mapping holding maxTickCrossedWithinBlock ${maxDelta} for ${baseToken}, found ${hits.length}`,
    );
  }
  return { tick: hits[0]! - 4n, timestamp: hits[0]! + 2n };
}

/** The signed int24 a storage word holds in its low 24 bits. */
export function int24Of(word: bigint): number {
  const v = Number(word & 0xffffffn);
  return v >= 0x800000 ? v - 0x1000000 : v;
}

export async function readStoredTick(
  client: ChainClient,
  exchange: Address,
  baseToken: Address,
  slots: TickSlots,
): Promise<{ tick: number; updatedAt: number }> {
  const [tick, updatedAt] = await Promise.all([
    storageAt(client, exchange, mappingSlot(baseToken, slots.tick)),
    storageAt(client, exchange, mappingSlot(baseToken, slots.timestamp)),
  ]);
  return { tick: int24Of(tick), updatedAt: Number(updatedAt) };
}

/** The window of the block at `timestamp`, whose first funding settlement meets `poolTick`. */
export function windowForBlock(
  stored: { tick: number; updatedAt: number },
  poolTick: number,
  timestamp: number,
  maxDelta: number,
): PriceWindow {
  const refreshed = timestamp >= stored.updatedAt + PRICE_LIMIT_INTERVAL;
  return { refTick: refreshed ? poolTick : stored.tick, maxDelta };
}

/** `tick` clamped into the window, `EDGE_MARGIN` ticks inside its edges. */
export function clampToWindow(w: PriceWindow, tick: number): number {
  const room = Math.max(0, w.maxDelta - EDGE_MARGIN);
  return Math.min(w.refTick + room, Math.max(w.refTick - room, tick));
}

/** The pool's sqrtPriceX96 at `tick` (TickMath, through the one SDK bridge). */
export function sqrtPriceAtTick(tick: number): bigint {
  return getSqrtRatioAtTick(tick);
}

export function priceOfTick(tick: number): number {
  return 1.0001 ** tick;
}
