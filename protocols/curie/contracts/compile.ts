/**
 * The devnet-only helper contracts of the Curie plugin (a Chainlink-style aggregator and a
 * mintable settlement token), as a Solidity project devnet/solidity.ts compiles and renders.
 * Curie's own contracts are NOT compiled here: they are deployed from the bytecode shipped in
 * `@perp/curie-contract`, `@perp/perp-oracle-contract` and `@uniswap/v3-core` (see
 * ../devnet/artifacts.ts).
 */
import type { SolidityProject } from "../../../devnet/solidity.js";

export const CURIE_MOCKS: SolidityProject = {
  dir: new URL(".", import.meta.url).pathname,
  label: "protocols/curie/contracts",
  deployable: ["MockAggregatorV3", "MockSettlementToken"],
  viaIR: false,
  buildCommand: "npx tsx protocols/curie/contracts/build.ts",
};
