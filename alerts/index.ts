/**
 * What the rest of Perpwatch uses from alerts/: load the configuration, build the worker
 * service, and (for `npm start` and tests) the local webhook receiver. Everything else is
 * internal to the folder.
 */
export {
  type AlertsConfig,
  DEFAULT_RULES_FILE,
  type LoadOptions,
  loadAlertsConfig,
  type ReceiverConfig,
} from "./config/alertsConfig.js";
export { AlertsConfigError, issueLine } from "./config/configError.js";
export type { Rule, RuleKind, Severity } from "./config/ruleSchema.js";
export type { RiskObservation } from "./observation.js";
export {
  type ReceivedDelivery,
  startWebhookReceiver,
  type WebhookReceiver,
} from "./receiver/webhookReceiver.js";
export type { RunResult } from "./service/alertEngine.js";
export {
  type AlertsDeps,
  type AlertsService,
  createAlertsService,
} from "./service/alertsService.js";
export type { AlertRecord, AlertState } from "./state/alertState.js";
export type { AlertStore, OutboxRow, StoredEvent } from "./store/alertStore.js";
