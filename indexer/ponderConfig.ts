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
  const contracts: Record<string, unknown> = {};
  const blocks: Record<string, unknown> = {};
  for (const { protocol, exchanges } of configuredProtocols(cfg)) {
    mergeSources(contracts, protocol.contracts(exchanges), protocol.name);
    mergeSources(blocks, protocol.blocks(exchanges, options), protocol.name);
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

/** Adds a protocol's Ponder sources; two protocols may not use one name (their events would mix). */
export function mergeSources(
  into: Record<string, unknown>,
  sources: Record<string, unknown>,
  protocol: string,
) {
  for (const [name, source] of Object.entries(sources)) {
    if (name in into) {
      throw new Error(
        `protocol ${protocol}: Ponder source name "${name}" is already used by another protocol`,
      );
    }
    into[name] = source;
  }
}

export type PerpwatchPonderConfig = ReturnType<typeof ponderConfig>;
