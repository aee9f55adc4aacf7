/**
 * The alert worker on its own: `tsx alerts/main.ts [--config alerts.yaml] [--api-url URL]`.
 * `perpwatch worker` composes the same service with the dashboards exporter; this entry is
 * what the end-to-end tests spawn (and SIGKILL), and what an operator can run alone.
 *
 * A bad configuration prints one line (`perpwatch alerts: …`) and exits 1. SIGINT/SIGTERM
 * stop the service cleanly (pending deliveries stay in the outbox for the next start).
 * Logs are pino JSON on stdout; the local receiver's lines, when enabled, too.
 */
import { parseArgs } from "node:util";
import { pino } from "pino";
import { loadAlertsConfig } from "./config/alertsConfig.js";
import { createAlertsService } from "./service/alertsService.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      "api-url": { type: "string" },
    },
  });
  const path = values.config ?? process.env.PERPWATCH_ALERTS_CONFIG;
  const apiUrl = values["api-url"];
  const config = loadAlertsConfig({ path, overrides: apiUrl ? { api: { url: apiUrl } } : {} });
  const logger = pino({
    name: "perpwatch-alerts",
    level: process.env.PERPWATCH_LOG_LEVEL ?? "info",
  });
  const service = createAlertsService(config, {
    logger,
    print: (line) => logger.info({ receiver: "local" }, line),
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`alerts: ${signal}, stopping`);
    service.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  await service.start();
  logger.info("alerts: started");
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`perpwatch alerts: ${message.split("\n")[0]}\n`);
  if (process.env.PERPWATCH_DEBUG === "1" && err instanceof Error) {
    process.stderr.write(`${err.stack}\n`);
  }
  process.exit(1);
});
