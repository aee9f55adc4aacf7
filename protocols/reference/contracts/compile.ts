/**
 * The reference exchange's Solidity project (devnet/solidity.ts compiles and renders it):
 * the contracts that get a generated module, through the IR pipeline.
 */
import type { SolidityProject } from "../../../devnet/solidity.js";

export const REFERENCE_CONTRACTS: SolidityProject = {
  dir: new URL(".", import.meta.url).pathname,
  label: "protocols/reference/contracts",
  deployable: ["MockUSD", "PriceOracle", "PerpExchange", "PerpLens"],
  viaIR: true,
  buildCommand: "npm run build",
};
