/**
 * The reference exchange's contracts as Ponder sees them: the two ABIs (as-const, generated
 * from the Solidity) wired to every configured exchange of this protocol, one per chain, and
 * the block source that ends each block.
 *
 * Why one Ponder contract per ABI with a chain map (Ponder's multi-chain form): the handlers
 * and their event types are fixed at compile time whatever the deployments are; which
 * exchange a log belongs to is its chain (`context.chain.name`, see plugin.ts).
 */
import { createConfig } from "ponder";
import type { Address, ExchangeConfig } from "../../protocol.js";
import { perpExchangeAbi, priceOracleAbi } from "../contracts/generated/index.js";

type ChainMap<T> = Record<string, T>;

/** `{ chain name: { address, startBlock } }` for one of the protocol's contracts. */
function perChain(exchanges: readonly ExchangeConfig[], key: "exchange" | "oracle") {
  const out: ChainMap<{ address: Address; startBlock: number }> = {};
  for (const x of exchanges) {
    out[x.chain.name] = { address: x.addresses[key]!, startBlock: x.startBlock };
  }
  return out;
}

export function referenceContracts(exchanges: readonly ExchangeConfig[]) {
  return {
    PerpExchange: { abi: perpExchangeAbi, ...sourceOf(exchanges, "exchange") },
    PriceOracle: { abi: priceOracleAbi, ...sourceOf(exchanges, "oracle") },
  };
}

type ContractSource = { chain: ChainMap<{ address: Address; startBlock: number }> };

/**
 * Several exchanges: Ponder's by-chain form. One: its plain form (chain name, address, start
 * block), which Ponder indexes measurably faster (a warm backfill of the bench chain took
 * ~10% less CPU, for Perpwatch and for a raw-log app alike). Typed as the by-chain form, which
 * gives the handlers the same event types.
 */
function sourceOf(exchanges: readonly ExchangeConfig[], key: "exchange" | "oracle") {
  const [only] = exchanges;
  if (exchanges.length !== 1 || !only) return { chain: perChain(exchanges, key) };
  const plain = {
    chain: only.chain.name,
    address: only.addresses[key]!,
    startBlock: only.startBlock,
  };
  return plain as unknown as ContractSource;
}

/** The block source whose events end every block (see mirror.ts `endBlock`). */
export const BLOCK_END = "ReferenceBlockEnd";

/**
 * Every block from each exchange's start block, as a Ponder block source. Ponder orders a
 * block's event after all of that block's logs, so its handler runs once each block is fully
 * applied. Cost: Ponder fetches every block header, including blocks without exchange logs
 * (on the devnet every block has oracle prices; on a chain where the exchange is sparse, a
 * backfill fetches many more blocks than logs).
 */
export function referenceBlocks(exchanges: readonly ExchangeConfig[]) {
  const chain: ChainMap<{ startBlock: number; interval: number }> = {};
  for (const x of exchanges) chain[x.chain.name] = { startBlock: x.startBlock, interval: 1 };
  const [only] = exchanges;
  // One exchange: the plain form, as for the contracts (sourceOf).
  const source =
    exchanges.length === 1 && only
      ? { chain: only.chain.name, startBlock: only.startBlock, interval: 1 }
      : { chain };
  return { [BLOCK_END]: source } as unknown as { ReferenceBlockEnd: { chain: typeof chain } };
}

/** Never called: its return type is the Ponder config the reference handlers are typed by. */
function referenceConfigShape() {
  return createConfig({
    chains: {} as ChainMap<{ id: number; rpc: string }>,
    contracts: referenceContracts([]),
    blocks: referenceBlocks([]),
  });
}

export type ReferencePonderConfig = ReturnType<typeof referenceConfigShape>;
