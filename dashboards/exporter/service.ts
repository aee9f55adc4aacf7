/**
 * The exporter as a worker service: opens ClickHouse (server or embedded), applies the
 * migrations, then runs an export tick every `intervalMs` until stopped.
 *
 * Why this shape: `perpwatch worker` composes services through `WorkerService`
 * (worker/service.ts); this one owns its ClickHouse client (unless handed one), its timer
 * and its in-flight tick, and `stop` resolves only once the tick has finished and the client
 * is closed, so a restart resumes from the cursor it persisted. A tick that fails (Ponder not
 * up yet, a ClickHouse hiccup) is logged and retried on the next interval; only start-up
 * problems (ClickHouse unreachable, a migration failing) reject `start`, with one line.
 *
 * Wiring for the alerts service: `recordAlertEvents` writes alert transitions and webhook
 * deliveries into the history the System health dashboard reads (see alertHistory.ts).
 */
import { type Logger, pino } from "pino";
import type { ApiClient } from "../../runtime/apiClient.js";
import type { WorkerService } from "../../worker/service.js";
import { type ClickHouseHandle, openClickHouse } from "../clickhouse/connect.js";
import { migrate } from "../clickhouse/migrate.js";
import { applyRetention } from "../clickhouse/retention.js";
import type { ExporterConfig } from "../config.js";
import { type AlertEvent, ingestAlertEvents } from "./alertHistory.js";
import { Exporter, type TickReport } from "./exporter.js";
import { createPerpwatchApiClient, createPonderSource, type PonderSource } from "./ponderSource.js";

export interface ExporterServiceDeps {
  logger?: Logger;
  /** An open ClickHouse handle to use (and not close); default: opened from the config. */
  clickhouse?: ClickHouseHandle;
  /** Where to read the indexer; default: Ponder at `config.ponderUrl`. */
  source?: PonderSource;
  /** Where to ask for the snapshots' figures; default: the API at `config.ponderUrl/graphql`. */
  api?: ApiClient;
  now?: () => number;
}

export interface ExporterService extends WorkerService {
  /** Runs one tick now (waits for one in flight first); the service must be started. */
  exportOnce(): Promise<TickReport>;
  /** Records alert transitions and deliveries (the alerts service calls this). */
  recordAlertEvents(events: readonly AlertEvent[]): Promise<{ events: number; deliveries: number }>;
  /** The ClickHouse handle in use (after start). */
  readonly clickhouse: ClickHouseHandle | null;
  /** The exporter (after start), e.g. to re-export a range with `resetCursor`. */
  readonly exporter: Exporter | null;
}

export function createExporterService(
  config: ExporterConfig,
  deps: ExporterServiceDeps = {},
): ExporterService {
  const logger =
    deps.logger ??
    pino({ name: "perpwatch-exporter", level: process.env.PERPWATCH_LOG_LEVEL ?? "info" });
  let ch: ClickHouseHandle | null = null;
  let exporter: Exporter | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let inFlight: Promise<TickReport> | null = null;
  let lastError = "";

  const runTick = async (): Promise<TickReport> => {
    if (!exporter) throw new Error("exporter: not started");
    while (inFlight) await inFlight.catch(() => undefined);
    const tick = exporter.tick();
    inFlight = tick;
    try {
      const report = await tick;
      lastError = "";
      if (report.rowsWritten > 0 || report.orphaned > 0) {
        logger.info(
          {
            indexed: report.head?.block,
            finalized: report.finalizedBlock,
            exported: report.exportedBlock,
            rows: report.rowsWritten,
            snapshot: report.snapshot?.block,
            confirmed: report.confirmed,
            orphaned: report.orphaned,
            ms: Math.round(report.ms),
          },
          "exported",
        );
      }
      return report;
    } finally {
      inFlight = null;
    }
  };

  const schedule = () => {
    if (!running) return;
    timer = setTimeout(async () => {
      timer = null;
      try {
        await runTick();
      } catch (err) {
        const message = (err as Error).message.split("\n")[0] ?? "";
        // Say it once per kind of failure, not every interval.
        if (message !== lastError) logger.warn({ err: message }, "export tick failed; retrying");
        lastError = message;
      }
      schedule();
    }, config.intervalMs);
    timer.unref?.();
  };

  return {
    name: "exporter",
    get clickhouse() {
      return ch;
    },
    get exporter() {
      return exporter;
    },
    async start() {
      if (running) return;
      ch = deps.clickhouse ?? (await openClickHouse(config.clickhouse));
      try {
        const result = await migrate(ch);
        if (result.applied.length > 0) {
          logger.info({ applied: result.applied, database: ch.database }, "ClickHouse migrated");
        }
        const retained = await applyRetention(ch, config.retention);
        if (retained.length > 0) {
          logger.info({ tables: retained, ...config.retention }, "ClickHouse retention applied");
        }
      } catch (err) {
        if (!deps.clickhouse) await ch.close();
        ch = null;
        throw err;
      }
      exporter = new Exporter(config, {
        clickhouse: ch,
        source: deps.source ?? createPonderSource(config.ponderUrl),
        api: deps.api ?? createPerpwatchApiClient(config.ponderUrl),
        logger,
        now: deps.now,
      });
      running = true;
      logger.info(
        { clickhouse: ch.location, database: ch.database, ponder: config.ponderUrl },
        "exporter started",
      );
      schedule();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      while (inFlight) await inFlight.catch(() => undefined);
      if (ch && !deps.clickhouse) await ch.close();
      ch = null;
      exporter = null;
    },
    exportOnce: runTick,
    async recordAlertEvents(events) {
      if (!ch) throw new Error("exporter: not started");
      return ingestAlertEvents(ch, events, deps.now);
    },
  };
}
