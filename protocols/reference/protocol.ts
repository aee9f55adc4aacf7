/**
 * The reference exchange as a protocol plugin (protocols/protocol.ts): its addresses, its
 * Ponder sources and handlers. Its exact engine is `engine/`, its Ponder plugin `indexer/`,
 * its Solidity and ABIs `contracts/`, its devnet deployer and simulator `devnet/`.
 */
import { z } from "zod";
import type { RiskModel } from "../../engine/risk/riskModel.js";
import type { Address, Protocol } from "../protocol.js";
import { referenceBacktest } from "./devnet/backtest.js";
import { referenceDevnet } from "./devnet/binding.js";
import { referenceBlocks, referenceContracts } from "./indexer/contracts.js";
import { referenceHandlers } from "./indexer/plugin.js";
import { referenceRiskModel } from "./riskModel.js";

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x-prefixed 20-byte hex address")
  .transform((a) => a.toLowerCase() as Address);

export const reference: Protocol = {
  name: "reference",
  addresses: z.object({ exchange: address, oracle: address }).strict(),
  contracts: referenceContracts,
  blocks: (exchanges, { blockEnd }) => (blockEnd ? referenceBlocks(exchanges) : {}),
  handlers: referenceHandlers,
  mainAddress: (x) => x.addresses.exchange!,
  riskModel: referenceRiskModel as RiskModel,
  devnet: referenceDevnet,
  backtest: referenceBacktest,
};
