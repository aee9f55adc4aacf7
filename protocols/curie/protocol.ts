/**
 * Perpetual Protocol v2 ("Curie") as a protocol plugin (protocols/protocol.ts), on its
 * published bytecode: addresses (addresses.ts), Ponder sources and handlers (indexer/), the
 * exact engine (engine/), the risk model (riskModel.ts) and the devnet (devnet/).
 */
import type { RiskModel } from "../../engine/risk/riskModel.js";
import type { Protocol } from "../protocol.js";
import { curieAddresses } from "./addresses.js";
import { curieDevnet } from "./devnet/binding.js";
import { curieBlocks, curieContracts } from "./indexer/contracts.js";
import { curieHandlers } from "./indexer/plugin.js";
import { curieRiskModel } from "./riskModel.js";

export const curie: Protocol = {
  name: "curie",
  addresses: curieAddresses,
  contracts: curieContracts,
  blocks: (exchanges) => curieBlocks(exchanges),
  handlers: curieHandlers,
  mainAddress: (x) => x.addresses.clearingHouse!,
  riskModel: curieRiskModel as RiskModel,
  devnet: curieDevnet,
};
