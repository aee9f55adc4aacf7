/**
 * The alerts worker service: `createAlertsService(config, deps)` returns a `WorkerService`
 * the worker process composes (`perpwatch worker`, `npm start`).
 *
 * start(): open the store (PGlite directory or PostgreSQL) and restore every alert's state →
 * start the optional local receiver → start the outbox dispatcher (which resumes whatever was
 * pending) → evaluate once → subscribe to new blocks (the latency path) → schedule the cron
 * paths (stress, VaR, digest). Every exchange the API lists is evaluated on its own: a new
 * block of one exchange evaluates that exchange; a cron path evaluates each. All evaluations
 * are applied one at a time; new blocks of an exchange that arrive during its evaluation are
 * coalesced into its next. stop() undoes it in reverse and resolves when everything is
 * closed.
 *
 * The dashboards exporter's seam: `deps.onAlertEvent` is called with every committed event
 * (firing, resolved, retracted, digest) in order, after it is durable; a reader that must not
 * miss events across restarts reads `alert_event` by id instead (see alerts/README.md).
 */
import cron, { type ScheduledTask } from "node-cron";
import { type Logger, pino } from "pino";
import { createFailoverApiClient } from "../../runtime/failoverApiClient.js";
import type { WorkerService } from "../../worker/service.js";
import type { AlertsConfig, ReceiverConfig } from "../config/alertsConfig.js";
import { type DeliveryAttempt, Dispatcher } from "../delivery/dispatcher.js";
import type { RiskObservation } from "../observation.js";
import { startWebhookReceiver, type WebhookReceiver } from "../receiver/webhookReceiver.js";
import { createApiSource, type RiskSource } from "../source/apiSource.js";
import { type BlockFeed, createBlockFeed } from "../source/blockFeed.js";
import { noChainHashes, rpcChainHashes } from "../source/chainHashes.js";
import { createHistorySource, type HistorySource } from "../source/historySource.js";
import type { AlertStore, OutboxRow, StoredEvent } from "../store/alertStore.js";
import { openAlertStore } from "../store/openStore.js";
import { AlertEngine, type RunResult } from "./alertEngine.js";
import { Leadership } from "./leadership.js";

export interface AlertsDeps {
  logger?: Logger;
  /** Where observations come from (default: the API at config.api.url). */
  source?: RiskSource;
  /** The API's history for catch-up after downtime (default: the API's, unless `source` is given). */
  history?: HistorySource;
  blockFeed?: BlockFeed;
  now?: () => number;
  /** Every committed alert event, in order (the dashboards exporter's hook). */
  onAlertEvent?: (event: StoredEvent) => void;
  /** Every acknowledged delivery (metrics, the latency benchmark). */
  onDelivered?: (row: OutboxRow, atMs: number) => void;
  /** Every delivery attempt and its outcome, the attempt numbered from 1 (alert history). */
  onAttempt?: (attempt: DeliveryAttempt) => void;
  /** After every evaluation (tests, benchmarks). */
  onEvaluated?: (path: string, result: RunResult) => void;
  /** The local receiver's one-line summaries (default: the logger). */
  print?: (line: string) => void;
}

export interface AlertsService extends WorkerService {
  /** The local receiver's URL when it runs. */
  readonly localReceiver: WebhookReceiver | null;
  readonly store: AlertStore | null;
  /** How new blocks arrive right now ("sse", "poll", or "none" before the feed is up). */
  readonly blockFeedVia: "sse" | "poll" | "none";
  /**
   * Runs one path now on one exchange, or on every exchange the API lists (tests, `perpwatch
   * alerts check`): the results of the evaluations that succeeded.
   */
  evaluateNow(path?: string, exchange?: string): Promise<RunResult[]>;
}

/** Serializes async jobs: evaluations never overlap. */
function serial() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const next = tail.then(job, job);
    tail = next.catch(() => undefined);
    return next;
  };
}

export function createAlertsService(config: AlertsConfig, deps: AlertsDeps = {}): AlertsService {
  const logger = deps.logger ?? pino({ name: "perpwatch-alerts" });
  const now = deps.now ?? Date.now;
  const run = serial();
  // One API, or several replicas the worker fails over between (runtime/failoverApiClient.ts).
  const api = createFailoverApiClient({
    urls: config.api.urls,
    timeoutMs: config.api.timeout,
    onSwitch: (from, to, why) => logger.warn(`API ${from} failed (${why}); using ${to}`),
  });
  const chain = config.chain.rpcUrl ? rpcChainHashes(config.chain.rpcUrl) : noChainHashes;
  const source = deps.source ?? createApiSource({ api, chain, now });
  const history = deps.history ?? (deps.source ? undefined : createHistorySource(api));
  let store: AlertStore | null = null;
  let engine: AlertEngine | null = null;
  let dispatcher: Dispatcher | null = null;
  let receiver: WebhookReceiver | null = null;
  let feed: BlockFeed | null = null;
  let leadership: Leadership | null = null;
  const tasks: ScheduledTask[] = [];
  let stopping = false;
  let lastError = "";
  let lastErrorAt = 0;

  const reportError = (path: string, err: unknown) => {
    const msg = err instanceof Error ? err.message.split("\n")[0]! : String(err);
    // One line per distinct problem, repeated at most every 30 s.
    if (msg !== lastError || now() - lastErrorAt > 30_000) {
      logger.warn(`evaluation (${path}) failed: ${msg}`);
      lastError = msg;
      lastErrorAt = now();
    }
  };

  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  /**
   * Observes one exchange (outside the lock: a slow stress query never holds up blocks), then
   * applies.
   */
  const evaluate = async (path: string, exchange: string): Promise<RunResult | null> => {
    if (!engine || stopping) return null;
    const current = engine;
    let obs: RiskObservation;
    try {
      obs = await current.observe(path, exchange);
    } catch (err) {
      reportError(path, err);
      return null;
    }
    /** Logs a committed evaluation's events and hands them on. */
    const announce = (result: RunResult) => {
      for (const e of result.events) {
        const where = e.labels.market ?? (e.labels.account ? `account ${e.labels.account}` : "");
        const late = e.annotations.late ? " (late)" : "";
        logger.info(
          { fingerprint: e.fingerprint, exchange, block: e.block?.number.toString() },
          `alert ${e.kind.toUpperCase()}${late} ${e.rule}${where ? ` ${where}` : ""}: ${e.annotations.retracted ?? e.annotations.summary ?? ""}`,
        );
        try {
          deps.onAlertEvent?.(e);
        } catch (err) {
          logger.error({ err: String(err) }, "onAlertEvent hook threw");
        }
      }
      if (result.events.length > 0) dispatcher?.kick();
      deps.onEvaluated?.(path, result);
    };
    return run(async () => {
      if (engine !== current || stopping) return null;
      try {
        // Blocks missed since the last one evaluated (downtime, coalesced blocks) come first.
        if (path === "block") for (const r of await current.catchUp(obs)) announce(r);
        const result = await current.apply(path, obs);
        if (lastError !== "") {
          logger.info(`evaluation (${path}) works again`);
          lastError = "";
        }
        logger.debug(
          { path, exchange, block: result.block.toString(), ms: now() - obs.observedAtMs },
          "evaluated",
        );
        announce(result);
        return result;
      } catch (err) {
        reportError(path, err);
        return null;
      }
    });
  };
  /** One path on one exchange, or on every exchange the API lists. */
  const evaluateAll = async (path: string, only?: string): Promise<RunResult[]> => {
    if (!engine || stopping) return [];
    let exchanges: readonly string[];
    try {
      exchanges = only === undefined ? await engine.exchanges() : [only];
    } catch (err) {
      reportError(path, err);
      return [];
    }
    const results = await Promise.all(exchanges.map((x) => evaluate(path, x)));
    return results.filter((r): r is RunResult => r !== null);
  };
  const evaluatePath = (path: string, exchange?: string) => track(evaluateAll(path, exchange));

  /**
   * New block of an exchange: evaluate it. One block evaluation per exchange at a time;
   * blocks announced meanwhile fold into one more evaluation after it (which observes the
   * latest state anyway), so a slow API never builds a backlog.
   */
  const blockBusy = new Set<string>();
  const blockAgain = new Set<string>();
  const onBlock = (exchange: string, _block: bigint) => {
    if (blockBusy.has(exchange)) {
      blockAgain.add(exchange);
      return;
    }
    blockBusy.add(exchange);
    void track(
      (async () => {
        do {
          blockAgain.delete(exchange);
          await evaluate("block", exchange);
        } while (blockAgain.has(exchange) && !stopping);
        blockBusy.delete(exchange);
      })(),
    );
  };

  /** Loads the alerts and starts evaluating and delivering (this worker leads). */
  const activate = async (receivers: ReceiverConfig[]): Promise<void> => {
    const st = store;
    if (!st || stopping) return;
    engine = new AlertEngine({
      config,
      store: st,
      source,
      receivers,
      logger,
      now,
      checksReorgs: deps.source ? true : chain.enabled,
      history,
    });
    await engine.load();
    const firing = [...engine.alerts.values()].filter((a) => a.state === "firing").length;
    logger.info(
      `alerts: ${config.rules.filter((r) => r.enabled).length} rules from ${config.rulesSource}, ${firing} firing restored, store ${config.store.kind}`,
    );
    if (!chain.enabled && !deps.source) {
      logger.info("alerts: chain.rpcUrl not set, so alerts on reorged blocks cannot be retracted");
    }
    dispatcher = new Dispatcher({
      store: st,
      receivers,
      delivery: config.delivery,
      logger,
      now,
      links: config.links,
      onDelivered: deps.onDelivered,
      onAttempt: deps.onAttempt,
    });
    dispatcher.start();
    const paths = engine.paths();
    if (paths.includes("block")) {
      await evaluatePath("block");
      feed =
        deps.blockFeed ??
        createBlockFeed({
          api,
          exchanges: () => source.exchanges(),
          mode: config.api.blockFeed,
          pollIntervalMs: config.api.pollInterval,
          logger,
        });
      feed.start(onBlock);
    }
    const scheduled = new Set(paths.filter((p) => p !== "block"));
    if (config.digest.enabled) scheduled.add(config.digest.schedule);
    for (const name of scheduled) {
      const expr = config.schedules[name]!;
      tasks.push(
        cron.schedule(
          expr,
          async () => {
            if (paths.includes(name)) await evaluatePath(name);
            if (config.digest.enabled && name === config.digest.schedule) {
              await run(async () => {
                if (!engine || stopping) return;
                const events = await engine.digest();
                for (const e of events) deps.onAlertEvent?.(e);
                dispatcher?.kick();
              }).catch((err) => reportError("digest", err));
            }
          },
          { name: `alerts-${name}`, noOverlap: true },
        ),
      );
    }
  };

  /** Stops evaluating and delivering (the worker stops, or another one leads now). */
  const deactivate = async (): Promise<void> => {
    for (const t of tasks.splice(0)) await t.destroy();
    await feed?.stop();
    feed = null;
    engine = null;
    await Promise.allSettled([...inFlight]);
    await run(async () => undefined);
    await dispatcher?.stop();
    dispatcher = null;
  };

  return {
    name: "alerts",
    get localReceiver() {
      return receiver;
    },
    get store() {
      return store;
    },
    get blockFeedVia() {
      return feed?.via ?? "none";
    },
    evaluateNow: (path = "block", exchange?: string) => evaluatePath(path, exchange),

    async start() {
      stopping = false;
      store = await openAlertStore(config.store);
      try {
        const receivers: ReceiverConfig[] = [...config.receivers];
        if (config.localReceiver.enabled) {
          const print = deps.print ?? ((line: string) => logger.info(line));
          receiver = await startWebhookReceiver({
            host: config.localReceiver.host,
            port: config.localReceiver.port,
            secret: config.localReceiver.secret,
            print,
          });
          receivers.push({
            name: "local",
            type: "webhook",
            url: `${receiver.url}/alerts`,
            secret: config.localReceiver.secret,
            display: `${receiver.url}/alerts`,
          });
          logger.info(`local webhook receiver listening on ${receiver.url}/alerts`);
        }
        const active = receivers;
        if (config.store.kind === "postgres") {
          leadership = new Leadership({
            store,
            ttlMs: config.store.leaseTtl,
            logger,
            now,
            lead: () => activate(active),
            standBy: deactivate,
          });
          await leadership.start();
        } else {
          await activate(active);
        }
      } catch (err) {
        await this.stop();
        throw err;
      }
    },

    async stop() {
      stopping = true;
      await leadership?.stop();
      leadership = null;
      await deactivate();
      await receiver?.close();
      receiver = null;
      await store?.close();
      store = null;
      engine = null;
      api.close();
    },
  };
}
