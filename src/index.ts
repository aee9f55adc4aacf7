/**
 * Ponder's indexing entry point: registers the reference exchange's plugin (indexer/). All
 * logic lives there; this file only wires it into Ponder.
 */
import { ponder } from "ponder:registry";
import { loadIndexerConfigOrExit } from "../indexer/config.js";
import { registerPlugin } from "../indexer/plugin.js";
import { referencePlugin } from "../protocols/reference/indexer/plugin.js";

const { rowWrites } = loadIndexerConfigOrExit(process.env);
registerPlugin(ponder, referencePlugin({ blockEnd: rowWrites === "per-block" }));
