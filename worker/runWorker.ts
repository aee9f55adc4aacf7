/**
 * The worker process's composition: the ClickHouse exporter and the alert service, started
 * in that order (so the exporter can record the alerts' history from the first event) and
 * stopped in reverse, plus a small status endpoint (`/status`, and the alert store read-only
 * at `/alerts` and `/silences` for the API's GraphQL `alerts` and `silences`).
 *
 * Why a status endpoint: `perpwatch start` shows alerts firing and deliveries in its live
 * display, and the worker's state lives in its own database that only it opens; a
 * `GET /status` on localhost (also a liveness probe in production) is the one way out.
 *
 * Composition only: how alert events and every delivery attempt become ClickHouse history is
 * dashboards/'s (`createAlertAttemptsFeed`), what the alerts' status says is alerts/'s (`alertsStatus`).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { AlertsConfig } from "../alerts/config/alertsConfig.js";
import { alertsHttpAnswer, type HttpAnswer } from "../alerts/service/alertsHttp.js";
import { type AlertsService, createAlertsService } from "../alerts/service/alertsService.js";
import { type AlertsStatus, alertsStatus } from "../alerts/service/alertsStatus.js";
import type { StoredEvent } from "../alerts/store/alertStore.js";
import { mutedDeliveries } from "../alerts/store/mutedDeliveries.js";
import type { ExporterConfig } from "../dashboards/config.js";
import { createAlertAttemptsFeed } from "../dashboards/exporter/alertAttempts.js";
import { createExporterService, type ExporterService } from "../dashboards/exporter/service.js";
import type { WorkerService } from "./service.js";

export interface WorkerOptions {
  alerts: AlertsConfig | null;
  exporter: ExporterConfig | null;
  logger: Logger;
  /** Local receiver lines (what arrives), printed by the caller. */
  print: (line: string) => void;
  /** Port of `GET /status` (0: any free port; null: none). */
  statusPort: number | null;
}

export interface WorkerStatus {
  services: string[];
  /** Null when the alerts do not run. */
  alerts: AlertsStatus | null;
}

export interface RunningWorker {
  statusUrl: string | null;
  status(): Promise<WorkerStatus>;
  stop(): Promise<void>;
}

const NOT_FOUND: HttpAnswer = {
  status: 404,
  body: { error: "not found; try /status, /alerts or /silences" },
};

/** `/alerts` and `/silences` from the alerts' store; 404 without alerts or on other paths. */
async function answerAlerts(alerts: AlertsService | null, url: URL): Promise<HttpAnswer> {
  if (!alerts) return NOT_FOUND;
  return (await alertsHttpAnswer(alerts.store, url.pathname, url.searchParams)) ?? NOT_FOUND;
}

export async function runWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const { logger } = opts;
  let exporter: ExporterService | null = null;
  let alerts: AlertsService | null = null;
  const services: WorkerService[] = [];
  if (opts.exporter) {
    exporter = createExporterService(opts.exporter, {
      logger: logger.child({ service: "exporter" }),
    });
    services.push(exporter);
  }
  if (opts.alerts) {
    // Alert transitions and deliveries go into the exporter's history, when it runs.
    const ex = exporter;
    const history = ex
      ? createAlertAttemptsFeed((events) => {
          ex.recordAlertEvents(events).catch((err: unknown) =>
            logger.warn({ err: String(err) }, "exporter: could not record alert history"),
          );
        })
      : null;
    // Deliveries a silence or an inhibition held back are history too (attempt 0).
    const recordMuted = (e: StoredEvent) => {
      const store = alerts?.store;
      if (!history || !store) return;
      mutedDeliveries(store, [e.id]).then(
        (rows) => {
          for (const row of rows) {
            history.onAttempt({
              row,
              attempt: 0,
              outcome: row.status,
              error: null,
              atMs: e.createdAtMs,
            });
          }
        },
        (err: unknown) =>
          logger.warn({ err: String(err) }, "exporter: could not read muted deliveries"),
      );
    };
    alerts = createAlertsService(opts.alerts, {
      logger: logger.child({ service: "alerts" }),
      print: opts.print,
      onAlertEvent: history
        ? (e) => {
            history.onAlertEvent(e);
            recordMuted(e);
          }
        : undefined,
      onAttempt: history?.onAttempt,
    });
    services.push(alerts);
  }
  const started: WorkerService[] = [];
  try {
    for (const s of services) {
      await s.start();
      started.push(s);
    }
  } catch (err) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw err;
  }

  const status = async (): Promise<WorkerStatus> => ({
    services: services.map((s) => s.name),
    alerts: alerts ? await alertsStatus(alerts) : null,
  });

  let server: Server | null = null;
  let statusUrl: string | null = null;
  if (opts.statusPort !== null) {
    server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      const url = new URL(req.url ?? "/", "http://worker");
      if (url.pathname !== "/status") {
        return void answerAlerts(alerts, url).then(
          (a) => {
            res.statusCode = a.status;
            res.end(JSON.stringify(a.body));
          },
          (err: unknown) => {
            res.statusCode = 503;
            res.end(JSON.stringify({ error: String(err) }));
          },
        );
      }
      status().then(
        (s) => {
          res.end(JSON.stringify(s));
        },
        (err: unknown) => {
          res.statusCode = 503;
          res.end(JSON.stringify({ error: String(err) }));
        },
      );
    });
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(opts.statusPort ?? 0, "127.0.0.1", () => resolve());
    });
    statusUrl = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/status`;
  }

  return {
    statusUrl,
    status,
    async stop() {
      if (server) await new Promise<void>((r) => server?.close(() => r()));
      for (const s of [...started].reverse()) {
        await s
          .stop()
          .catch((err: unknown) => logger.warn({ err: String(err) }, `${s.name}: stop failed`));
      }
    },
  };
}
