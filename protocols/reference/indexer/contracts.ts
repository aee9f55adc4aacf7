/**
 * The reference exchange's contracts as Ponder sees them: the two ABIs (as-const, generated
 * from the Solidity) wired to every configured exchange of this protocol, one per chain, and
 * the block source that ends each block.
 *
 * Why one Ponder contract per ABI over the exchanges' chains (protocols/ponderSources.ts): the
 * handlers and their event types are fixed at compile time whatever the deployments are;
 * which exchange a log belongs to is its chain (`context.chain.name`, see plugin.ts).
 */
import { createConfig } from "ponder";
import {
  type BlockSource,
  type ByChain,
  blockSource,
  contractSource,
} from "../../ponderSources.js";
import type { ExchangeConfig } from "../../protocol.js";
import { perpExchangeAbi, priceOracleAbi } from "../contracts/generated/index.js";

export function referenceContracts(exchanges: readonly ExchangeConfig[]) {
  return {
    PerpExchange: { abi: perpExchangeAbi, ...contractSource(exchanges, "exchange") },
    PriceOracle: { abi: priceOracleAbi, ...contractSource(exchanges, "oracle") },
  };
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
  return { [BLOCK_END]: blockSource(exchanges) } as { ReferenceBlockEnd: BlockSource };
}

/** Never called: its return type is the Ponder config the reference handlers are typed by. */
function referenceConfigShape() {
  return createConfig({
    chains: {} as ByChain<{ id: number; rpc: string }>,
    contracts: referenceContracts([]),
    blocks: referenceBlocks([]),
  });
}

export type ReferencePonderConfig = ReturnType<typeof referenceConfigShape>;
