/**
 * What the worker process runs: long-lived services (the alert evaluator, the ClickHouse
 * exporter) that each start, run on their own schedule, and stop cleanly.
 *
 * Why an interface this small: `perpwatch worker` and `perpwatch start` compose whichever
 * services the configuration enables, start them in order and stop them in reverse on Ctrl-C.
 * A service owns its timers, connections and child resources; `stop` must resolve only when
 * everything it started is closed, so a restart resumes from what it persisted.
 */
export interface WorkerService {
  /** Short name used in logs and the status display ("alerts", "exporter"). */
  readonly name: string;
  /** Connects, restores persisted state and begins work; rejects with a one-line error. */
  start(): Promise<void>;
  /** Stops scheduling new work, finishes or abandons in-flight work safely, closes resources. */
  stop(): Promise<void>;
}
