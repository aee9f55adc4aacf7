/**
 * The Ponder configuration of Perpwatch, built from a validated `IndexerConfig`: one Ponder
 * chain per chain id, every configured exchange's contracts and block sources from its
 * protocol plugin (protocols/registry.ts), and the database (PGlite directory or PostgreSQL).
 *
 * Why a function rather than the object in `ponder.config.ts`: tests and the launcher build
 * the same configuration from an explicit `IndexerConfig`, and `ponder.config.ts` stays a
 * one-line entry point. The first exchange's chain is named `perpwatch` (the name `/status`
 * reports) whatever its id; others `perpwatch-<id>` (indexer/config.ts `chainName`).
 */
import { createConfig } from "ponder";
import { PROTOCOLS } from "../protocols/protocols.js";
import type { IndexerConfig } from "./config.js";

export { DEFAULT_CHAIN_NAME as CHAIN_NAME } from "./config.js";

/** Every protocol that has exchanges configured, with them. */
export function configuredProtocols(cfg: IndexerConfig) {
  return PROTOCOLS.map((protocol) => ({
    protocol,
    exchanges: cfg.exchanges.filter((x) => x.protocol === protocol.name),
  })).filter((p) => p.exchanges.length > 0);
}

export function ponderConfig(cfg: IndexerConfig) {
  const chains: Record<string, { id: number; rpc: string; pollingInterval: number }> = {};
  for (const x of cfg.exchanges) {
    chains[x.chain.name] = {
      id: x.chain.id,
      rpc: x.chain.rpcUrl,
      pollingInterval: cfg.pollingIntervalMs,
    };
  }
  const options = { blockEnd: cfg.rowWrites === "per-block" };
  let contracts = {};
  let blocks = {};
  for (const { protocol, exchanges } of configuredProtocols(cfg)) {
    contracts = { ...contracts, ...protocol.contracts(exchanges) };
    blocks = { ...blocks, ...protocol.blocks(exchanges, options) };
  }
  return createConfig({
    database:
      cfg.database.kind === "pglite"
        ? { kind: "pglite", directory: cfg.database.directory }
        : { kind: "postgres", connectionString: cfg.database.connectionString },
    chains,
    // Each plugin types its own handlers against its own sources (protocols/<name>/indexer).
    contracts: contracts as Record<string, never>,
    blocks: blocks as Record<string, never>,
  });
}

export type PerpwatchPonderConfig = ReturnType<typeof ponderConfig>;
