/**
 * The API's structured logger (pino). Ponder logs requests itself; this logger is for what only
 * the API knows — masked internal errors with their stack, snapshot loads — so a client sees a
 * stable code and a short message while the operator sees the cause.
 */
import { pino } from "pino";

export const logger = pino({
  name: "perpwatch-api",
  level: process.env.PERPWATCH_LOG_LEVEL ?? "info",
});
