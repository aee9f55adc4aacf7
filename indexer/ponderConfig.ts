/**
 * The Ponder configuration of Perpwatch, built from a validated `IndexerConfig`: one chain,
 * the reference exchange's contracts, and the database (PGlite directory or PostgreSQL URL).
 *
 * Why a function rather than the object in `ponder.config.ts`: tests and the launcher build
 * the same configuration from an explicit `IndexerConfig`, and `ponder.config.ts` stays a
 * one-line entry point. The chain is always named `perpwatch` (the name `/status` reports),
 * whatever its id, so handlers and the API never depend on which network it is.
 */
import { createConfig } from "ponder";
import { referenceBlocks, referenceContracts } from "../protocols/reference/indexer/contracts.js";
import type { IndexerConfig } from "./config.js";

export const CHAIN_NAME = "perpwatch";

export function ponderConfig(cfg: IndexerConfig) {
  const deployment = {
    chain: CHAIN_NAME,
    exchange: cfg.exchange,
    oracle: cfg.oracle,
    startBlock: cfg.startBlock,
  } as const;
  return createConfig({
    database:
      cfg.database.kind === "pglite"
        ? { kind: "pglite", directory: cfg.database.directory }
        : { kind: "postgres", connectionString: cfg.database.connectionString },
    chains: {
      [CHAIN_NAME]: { id: cfg.chainId, rpc: cfg.rpcUrl, pollingInterval: cfg.pollingIntervalMs },
    },
    contracts: referenceContracts(deployment),
    // Typed as always present, so the block handler's types exist in both modes; with
    // per-call writes the source is left out and its handler is not registered (src/index.ts).
    blocks: (cfg.rowWrites === "per-block" ? referenceBlocks(deployment) : {}) as ReturnType<
      typeof referenceBlocks<typeof CHAIN_NAME>
    >,
  });
}

export type PerpwatchPonderConfig = ReturnType<typeof ponderConfig>;
