/**
 * The benchmark's baseline Ponder app: the same chain and contracts as Perpwatch's indexer
 * (the same `ponderConfig`), so the two differ only in what their handlers do.
 */
import { loadIndexerConfigOrExit } from "../../indexer/config.js";
import { ponderConfig } from "../../indexer/ponderConfig.js";

export default ponderConfig(loadIndexerConfigOrExit(process.env));
