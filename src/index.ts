/**
 * Ponder's indexing entry point: registers the handlers of every configured exchange's
 * protocol plugin (protocols/registry.ts). All logic lives there; this file only wires it
 * into Ponder.
 */
import { ponder } from "ponder:registry";
import { loadIndexerConfigOrExit } from "../indexer/config.js";
import { configuredProtocols } from "../indexer/ponderConfig.js";

const cfg = loadIndexerConfigOrExit(process.env);
const on = ponder.on.bind(ponder) as unknown as (name: string, fn: unknown) => void;
for (const { protocol, exchanges } of configuredProtocols(cfg)) {
  const handlers = protocol.handlers(exchanges, { blockEnd: cfg.rowWrites === "per-block" });
  for (const [name, fn] of Object.entries(handlers)) on(name, fn);
}
