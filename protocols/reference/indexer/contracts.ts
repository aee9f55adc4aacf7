/**
 * The reference exchange's contracts as Ponder sees them: the two ABIs (as-const, generated
 * from the Solidity) wired to a chain, the deployed addresses and the start block.
 *
 * Why a function of the deployment: the same adapter indexes the devnet (addresses from the
 * manifest) and any other deployment (addresses from configuration); the ABIs never change,
 * so the event types handlers see are fixed at compile time whatever the addresses are.
 */
import { perpExchangeAbi, priceOracleAbi } from "../contracts/generated/index.js";

export interface ReferenceDeployment<chain extends string = string> {
  /** Name of the chain in the Ponder config. */
  chain: chain;
  exchange: `0x${string}`;
  oracle: `0x${string}`;
  startBlock: number;
}

export function referenceContracts<const chain extends string>(d: ReferenceDeployment<chain>) {
  return {
    PerpExchange: {
      abi: perpExchangeAbi,
      chain: d.chain,
      address: d.exchange,
      startBlock: d.startBlock,
    },
    PriceOracle: {
      abi: priceOracleAbi,
      chain: d.chain,
      address: d.oracle,
      startBlock: d.startBlock,
    },
  };
}

export type ReferenceContracts<chain extends string = string> = ReturnType<
  typeof referenceContracts<chain>
>;

/** The block source whose events end every block (see mirror.ts `endBlock`). */
export const BLOCK_END = "ReferenceBlockEnd";

/**
 * Every block from the start block, as a Ponder block source. Ponder orders a block's event
 * after all of that block's logs, so its handler runs once each block is fully applied.
 * Cost: Ponder fetches every block header, including blocks without exchange logs (on the
 * devnet every block has oracle prices; on a chain where the exchange is sparse, a backfill
 * fetches many more blocks than logs).
 */
export function referenceBlocks<const chain extends string>(d: ReferenceDeployment<chain>) {
  return { [BLOCK_END]: { chain: d.chain, startBlock: d.startBlock, interval: 1 } } as {
    ReferenceBlockEnd: { chain: chain; startBlock: number; interval: number };
  };
}
