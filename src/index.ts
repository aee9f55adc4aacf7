/**
 * Ponder's indexing entry point: registers the reference exchange's plugin (indexer/). All
 * logic lives there; this file only wires it into Ponder.
 */
import { ponder } from "ponder:registry";
import { registerPlugin } from "../indexer/plugin.js";
import { referencePlugin } from "../indexer/reference/plugin.js";

registerPlugin(ponder, referencePlugin());
