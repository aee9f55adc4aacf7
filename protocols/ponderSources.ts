/**
 * How a protocol plugin places its Ponder sources on the configured exchanges' chains: the
 * contract at each exchange's address from its start block, and a block source over the same
 * chains.
 *
 * Why shared: with several exchanges of a protocol Ponder needs its by-chain form
 * (`chain: { name: { address, startBlock } }`); with one, its plain form (`chain: name,
 * address, startBlock`) indexes measurably faster (a warm backfill of the bench chain took
 * ~10% less CPU, for Perpwatch and a raw-log app alike). Both are typed as the by-chain form,
 * which gives a plugin's handlers the same event types.
 */
import type { Address, ExchangeConfig } from "./protocol.js";

export type ByChain<T> = Record<string, T>;

export interface ContractSource {
  chain: ByChain<{ address: Address; startBlock: number }>;
}

export interface BlockSource {
  chain: ByChain<{ startBlock: number; interval: number }>;
}

/** A contract's source: at `addresses[key]` of every exchange, from its start block. */
export function contractSource(exchanges: readonly ExchangeConfig[], key: string): ContractSource {
  const at = (x: ExchangeConfig) => ({ address: x.addresses[key]!, startBlock: x.startBlock });
  const [only] = exchanges;
  if (exchanges.length === 1 && only) {
    return { chain: only.chain.name, ...at(only) } as unknown as ContractSource;
  }
  return { chain: Object.fromEntries(exchanges.map((x) => [x.chain.name, at(x)])) };
}

/** A block source: every `interval` blocks of every exchange's chain, from its start block. */
export function blockSource(exchanges: readonly ExchangeConfig[], interval = 1): BlockSource {
  const at = (x: ExchangeConfig) => ({ startBlock: x.startBlock, interval });
  const [only] = exchanges;
  if (exchanges.length === 1 && only) {
    return { chain: only.chain.name, ...at(only) } as unknown as BlockSource;
  }
  return { chain: Object.fromEntries(exchanges.map((x) => [x.chain.name, at(x)])) };
}
