/** Test support: a pino logger that keeps its lines in memory (message and level). */
import { type Logger, pino } from "pino";

export interface CapturedLog {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export function captureLogger(): { logger: Logger; lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  const logger = pino(
    { level: "debug" },
    {
      write(s: string) {
        lines.push(JSON.parse(s) as CapturedLog);
      },
    },
  );
  return { logger, lines };
}
