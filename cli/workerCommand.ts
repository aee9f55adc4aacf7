/**
 * `perpwatch worker`: the alert service and the ClickHouse exporter in one process that
 * reads the indexer only over HTTP (ARCHITECTURE.md). `perpwatch start` runs it as a child
 * process; in production it runs on its own with PostgreSQL for alert state and
 * `CLICKHOUSE_URL` for the history.
 *
 * Configuration: the `alerts` section of perpwatch.config.yaml (or `--alerts-config`, a file
 * in the alerts worker's own format), the exporter's `PERPWATCH_*`/`CLICKHOUSE_*` environment,
 * and these flags, which win over both.
 */

import { join } from "node:path";
import type { Command } from "commander";
import { pino } from "pino";
import { z } from "zod";
import { type AlertsConfig, loadAlertsConfig } from "../alerts/config/alertsConfig.js";
import { AlertsConfigError } from "../alerts/config/configError.js";
import {
  DashboardsConfigError,
  type ExporterConfig,
  loadExporterConfig,
} from "../dashboards/config.js";
import { guardAgainstOrphaning } from "../runtime/orphanGuard.js";
import { portConflicts } from "../runtime/portCheck.js";
import { stopOnSignals } from "../runtime/signals.js";
import { runWorker } from "../worker/runWorker.js";
import { DEFAULT_API, parseApiUrl } from "./apiUrl.js";
import { loadPerpwatchConfig } from "./config/perpwatchConfig.js";
import { parseFlag, UsageError } from "./usageError.js";

export interface RawWorkerOptions {
  config?: string;
  alertsConfig?: string;
  api: string;
  rpcUrl?: string;
  alerts: boolean;
  exporter: boolean;
  localReceiver: boolean;
  receiverPort: string;
  statusPort?: string;
  stateDir?: string;
}

export function addWorkerOptions(cmd: Command): Command {
  return cmd
    .option(
      "--config <path>",
      "perpwatch.config.yaml (default: ./perpwatch.config.yaml if present)",
    )
    .option(
      "--alerts-config <path>",
      "an alerts configuration file (replaces the config's alerts section)",
    )
    .option(
      "--api <url>",
      "the API: its root URL or its /graphql URL; several, comma-separated: API replicas the alerts fail over between",
      DEFAULT_API,
    )
    .option("--rpc-url <url>", "the chain's JSON-RPC, to retract alerts raised on reorged blocks")
    .option("--no-alerts", "run without the alert service")
    .option("--no-exporter", "run without the ClickHouse exporter")
    .option(
      "--local-receiver",
      "also deliver every alert to a local webhook receiver that prints it",
    )
    .option("--receiver-port <n>", "port of the local receiver (0: any free port)", "0")
    .option("--status-port <n>", "serve GET /status on this port (0: any free port)")
    .option(
      "--state-dir <dir>",
      "keep embedded state here: alert state (PGlite) and ClickHouse (chDB), unless configured otherwise",
    );
}

const portSchema = z.coerce
  .number()
  .int()
  .min(0, "expected a port from 0 to 65535")
  .max(65_535, "expected a port from 0 to 65535");

export interface WorkerConfigs {
  alerts: AlertsConfig | null;
  exporter: ExporterConfig | null;
}

/** Resolves both services' configurations; a problem is one `UsageError` line. */
export function resolveWorkerConfigs(
  raw: RawWorkerOptions,
  env: NodeJS.ProcessEnv = process.env,
): WorkerConfigs {
  // The exporter reads the first; the alerts fail over between all (runtime/failoverApiClient.ts).
  const apis = raw.api.split(",").map((u) => parseApiUrl(u));
  const { root } = apis[0]!;
  const receiverPort = parseFlag("--receiver-port", portSchema, raw.receiverPort);
  const file = loadPerpwatchConfig(raw.config).file;
  try {
    let alerts: AlertsConfig | null = null;
    if (raw.alerts && file.alerts !== false) {
      const section = (file.alerts ?? {}) as Record<string, unknown>;
      const url = apis.length === 1 ? `${root}/graphql` : apis.map((a) => a.graphql);
      const api = { ...((section.api as object | undefined) ?? {}), url };
      const overrides: Record<string, unknown> = raw.alertsConfig ? { api } : { ...section, api };
      if (raw.localReceiver) overrides.localReceiver = { enabled: true, port: receiverPort };
      // A container keeps its alert store in PostgreSQL (PERPWATCH_ALERTS_STORE_URL), so the
      // outbox survives the container; a config file's `alerts.store` wins over both.
      const storeUrl = env.PERPWATCH_ALERTS_STORE_URL?.trim();
      if (storeUrl && overrides.store === undefined) {
        overrides.store = { kind: "postgres", url: storeUrl };
      }
      if (raw.stateDir && overrides.store === undefined) {
        overrides.store = { kind: "pglite", directory: join(raw.stateDir, "alerts") };
      }
      if (raw.rpcUrl)
        overrides.chain = { ...((section.chain as object | undefined) ?? {}), rpcUrl: raw.rpcUrl };
      alerts = loadAlertsConfig({ path: raw.alertsConfig, overrides, env });
    }
    let exporter: ExporterConfig | null = null;
    if (raw.exporter && file.exporter !== false) {
      const interval = file.exporter ? file.exporter.intervalSeconds : undefined;
      exporter = loadExporterConfig({
        ...env,
        PERPWATCH_PONDER_URL: root,
        ...(raw.stateDir && !env.PERPWATCH_CLICKHOUSE_DIR
          ? { PERPWATCH_CLICKHOUSE_DIR: join(raw.stateDir, "clickhouse") }
          : {}),
        ...(interval ? { PERPWATCH_EXPORT_INTERVAL_MS: String(Math.round(interval * 1000)) } : {}),
        ...(raw.rpcUrl ? { PERPWATCH_RPC_URL: raw.rpcUrl } : {}),
      });
    }
    return { alerts, exporter };
  } catch (err) {
    if (err instanceof AlertsConfigError || err instanceof DashboardsConfigError) {
      throw new UsageError(err.message);
    }
    throw err;
  }
}

export async function runWorkerCommand(raw: RawWorkerOptions): Promise<void> {
  const configs = resolveWorkerConfigs(raw);
  const statusPort =
    raw.statusPort === undefined ? null : parseFlag("--status-port", portSchema, raw.statusPort);
  if (!configs.alerts && !configs.exporter) {
    throw new UsageError("nothing to run: both the alerts and the exporter are turned off");
  }
  const taken = await portConflicts([
    ...(statusPort
      ? [{ port: statusPort, what: "the worker's status", flag: "--status-port" }]
      : []),
    ...(configs.alerts?.localReceiver.enabled
      ? [
          {
            port: configs.alerts.localReceiver.port,
            what: "the local receiver",
            flag: "--receiver-port",
          },
        ]
      : []),
  ]);
  if (taken.length > 0) throw new UsageError(taken.join("; "));
  const logger = pino({
    name: "perpwatch-worker",
    level: process.env.PERPWATCH_LOG_LEVEL ?? "info",
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const worker = await runWorker({
    alerts: configs.alerts,
    exporter: configs.exporter,
    logger,
    print: (line) => out(`receiver | ${line}`),
    statusPort,
  });
  stopOnSignals(out, "worker", () => worker.stop());
  guardAgainstOrphaning();
  const status = await worker.status();
  out(
    `perpwatch worker: ${status.services.join(" + ")} on ${raw.api}${status.alerts?.localReceiver ? `; local receiver ${status.alerts.localReceiver}` : ""}${worker.statusUrl ? `; status ${worker.statusUrl}` : ""}`,
  );
}
