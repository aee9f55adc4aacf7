/**
 * The indexer's structured logger (pino). Ponder prints its own progress; this logger is for
 * what only the indexer knows — above all, mirror mismatches — so they can be found in
 * production logs as well as in the `mirror_check` table.
 */
import { pino } from "pino";

export const logger = pino({
  name: "perpwatch-indexer",
  level: process.env.PERPWATCH_LOG_LEVEL ?? "info",
});
