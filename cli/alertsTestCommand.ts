/**
 * `perpwatch alerts test`: sends one test alert through every configured receiver (webhook,
 * Slack, PagerDuty) with the same rendering, signature and headers as a real alert, once,
 * and reports each receiver's answer in one line — so a new channel is proven before the
 * first real page depends on it. Nothing is written to the alert store.
 *
 * With no receivers configured it says so, as `perpwatch config check` does in the same words,
 * and tests the bundled local receiver instead: that is where `perpwatch start` delivers.
 */
import type { Command } from "commander";
import type { ReceiverConfig } from "../alerts/config/alertsConfig.js";
import { deliveriesFor } from "../alerts/delivery/render.js";
import { sendOnce } from "../alerts/delivery/send.js";
import { startWebhookReceiver } from "../alerts/receiver/webhookReceiver.js";
import type { OutboxRow, StoredEvent } from "../alerts/store/alertStore.js";
import { DEFAULT_API } from "./apiUrl.js";
import { loadPerpwatchConfig } from "./config/perpwatchConfig.js";
import { UsageError } from "./usageError.js";
import { type RawWorkerOptions, resolveWorkerConfigs } from "./workerCommand.js";

export interface RawAlertsTestOptions {
  config?: string;
  alertsConfig?: string;
  localReceiver: boolean;
}

export function addAlertsTestOptions(cmd: Command): Command {
  return cmd
    .option(
      "--config <path>",
      "perpwatch.config.yaml (default: ./perpwatch.config.yaml if present)",
    )
    .option(
      "--alerts-config <path>",
      "an alerts configuration file (replaces the config's alerts section)",
    )
    .option("--local-receiver", "also start the local receiver and send to it");
}

/** What `alerts test` and `config check` both say when no receiver is configured. */
export const NO_RECEIVERS =
  "no receivers configured (alerts.receivers): alerts go only to the bundled local receiver, which prints them in `perpwatch start`'s output";

/** The test alert: a firing event that says what it is, in every format. */
export function testEvent(nowMs: number): StoredEvent {
  return {
    id: 0,
    kind: "firing",
    createdAtMs: nowMs,
    fingerprint: `test-${nowMs.toString(36)}`,
    rule: "perpwatch-test",
    labels: { alertname: "perpwatch-test", severity: "info", test: "true" },
    annotations: {
      summary: "Perpwatch test alert: if you can read this, this channel works.",
      description: "Sent by `perpwatch alerts test`; no action needed.",
    },
    value: null,
    threshold: null,
    startsAtMs: nowMs,
    endsAtMs: null,
    block: null,
  };
}

/** Whether the configuration file turns the local receiver on itself. */
function localInFile(raw: RawAlertsTestOptions): boolean {
  if (raw.alertsConfig) return false;
  const section = loadPerpwatchConfig(raw.config).file.alerts;
  const local = section
    ? (section as { localReceiver?: { enabled?: boolean } }).localReceiver
    : null;
  return local?.enabled === true;
}

export async function runAlertsTestCommand(raw: RawAlertsTestOptions): Promise<void> {
  // Resolved with the local receiver on, as `start` runs it (a configuration with no receiver
  // of its own is valid there); whether it is tested is decided below.
  const worker: RawWorkerOptions = {
    config: raw.config,
    alertsConfig: raw.alertsConfig,
    api: DEFAULT_API,
    alerts: true,
    exporter: false,
    localReceiver: true,
    receiverPort: "0",
  };
  const { alerts } = resolveWorkerConfigs(worker);
  if (!alerts) throw new UsageError("alerts are turned off in the configuration (alerts: false)");
  const receivers: ReceiverConfig[] = [...alerts.receivers];
  if (receivers.length === 0 && !raw.localReceiver) {
    process.stdout.write(`${NO_RECEIVERS}; sending the test alert to it\n`);
  }
  const useLocal = raw.localReceiver || receivers.length === 0 || localInFile(raw);
  const local = useLocal
    ? await startWebhookReceiver({
        host: alerts.localReceiver.host,
        port: alerts.localReceiver.port,
        secret: alerts.localReceiver.secret,
        print: (line) => process.stdout.write(`receiver | ${line}\n`),
      })
    : null;
  if (local)
    receivers.push({
      type: "webhook",
      name: "local",
      url: local.url,
      secret: alerts.localReceiver.secret,
    });
  if (receivers.length === 0) throw new UsageError("no receivers configured");
  const now = Date.now();
  const event = testEvent(now);
  let failed = 0;
  try {
    for (const d of deliveriesFor(event, receivers, undefined)) {
      const receiver = receivers.find((r) => r.name === d.receiver)!;
      const row: OutboxRow = {
        id: 0,
        eventId: 0,
        eventKind: "firing",
        receiver: d.receiver,
        fingerprint: event.fingerprint,
        idempotencyKey: d.idempotencyKey,
        body: d.body,
        status: "pending",
        attempts: 0,
        nextAttemptMs: now,
        lastError: null,
        createdAtMs: now,
        deliveredAtMs: null,
        groupKey: "",
        batchId: null,
      };
      const outcome = await sendOnce(row, receiver, alerts.delivery.timeout, now);
      const where = `${receiver.name} (${receiver.type}${receiver.display ? ` ${receiver.display}` : ""})`;
      if (outcome.kind === "delivered") {
        process.stdout.write(`ok      ${where}: HTTP ${outcome.status}\n`);
      } else {
        failed++;
        process.stdout.write(`FAILED  ${where}: ${outcome.error}\n`);
      }
    }
  } finally {
    await local?.close();
  }
  if (failed > 0)
    throw new UsageError(
      `${failed} of ${receivers.length} receivers did not accept the test alert`,
    );
}
