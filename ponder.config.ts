/**
 * Ponder's entry point for the configuration: the chain, the exchange deployment and the
 * database, read and validated by indexer/config.ts (devnet manifest by default, or
 * PERPWATCH_* / DATABASE_URL from the environment). A bad value stops start-up with one line.
 */
import { loadIndexerConfigOrExit } from "./indexer/config.js";
import { ponderConfig } from "./indexer/ponderConfig.js";
import { guardAgainstOrphaning } from "./runtime/orphanGuard.js";

// Started by `perpwatch start`: stop if it dies (see runtime/orphanGuard.ts).
guardAgainstOrphaning();

export default ponderConfig(loadIndexerConfigOrExit(process.env));
