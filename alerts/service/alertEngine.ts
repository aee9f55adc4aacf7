/**
 * One evaluation of one exchange, end to end: observe (no state touched, may overlap other
 * paths and exchanges) → then, one evaluation at a time: (block path) retract the exchange's
 * alerts whose block a reorg replaced → evaluate the path's rules that watch the exchange →
 * step each of that exchange's alerts → commit records, events, outbox rows and the block
 * sample in one transaction → hand the events on. Each exchange has its own blocks, samples
 * and alerts; an evaluation of one never resolves or retracts another's.
 *
 * Why the alerts are also held in memory: every evaluation needs every alert of its rules,
 * and the table only changes through this class, so the map is loaded once at start-up and
 * updated after each commit (never before: a failed commit leaves memory as the table is).
 *
 * The map's key is an alert's identity, the fingerprint of its labels (`exchange` among them).
 * Rows written before alerts had an exchange lack that label: the first evaluation gives them
 * to the first exchange the API lists (the only one, for a worker that watched one) and they
 * keep their fingerprints, so an alert firing across the upgrade resolves under the key its
 * receivers know (PagerDuty's dedup_key).
 */
import type { Logger } from "pino";
import type { AlertsConfig, ReceiverConfig } from "../config/alertsConfig.js";
import { watches } from "../config/ruleSchema.js";
import { deliveriesFor, deliveriesTo, type Muted } from "../delivery/render.js";
import { evaluate, needsOf } from "../evaluate/evaluate.js";
import { historyWindowMs } from "../evaluate/historyWindow.js";
import { historySample, type RiskObservation } from "../observation.js";
import { inhibitedBy } from "../routing/inhibit.js";
import { routingLabels } from "../routing/matchers.js";
import { type Destination, destinations } from "../routing/route.js";
import { type Silence, silencedBy } from "../routing/silence.js";
import type { RiskSource } from "../source/apiSource.js";
import type { HistorySource } from "../source/historySource.js";
import { type AlertRecord, retract, type Step, step } from "../state/alertState.js";
import { fingerprint } from "../state/fingerprint.js";
import type {
  AlertStore,
  EvaluatedBlock,
  OutboxDraft,
  SampleWithHash,
  StoredEvent,
} from "../store/alertStore.js";
import { listSilences } from "../store/silenceStore.js";
import { missedRange, replayable, replayObservations } from "./catchUp.js";
import { digestDraft } from "./digest.js";

export interface AlertEngineOptions {
  config: AlertsConfig;
  store: AlertStore;
  source: RiskSource;
  /** Every receiver, the local one included. */
  receivers: readonly ReceiverConfig[];
  logger: Logger;
  now: () => number;
  /** Whether canonical block hashes are known (reorg retraction on). */
  checksReorgs: boolean;
  /** The API's history, for catch-up after downtime (none: the head alone is evaluated). */
  history?: HistorySource;
}

/** A missed block evaluated late (catch-up): how far behind its chain time the worker is. */
export interface LateRun {
  /** Seconds between the block's time and the head's. */
  behindS: number;
  /** The head block the catch-up runs up to. */
  head: bigint;
  /**
   * The block was observed whole (the API served it: `observeAt`), so every rule of the path
   * evaluates it; otherwise only the rules history can answer (catchUp.ts).
   */
  whole?: boolean;
}

/**
 * Missed blocks observed whole at most, per catch-up: a worker that missed a few (a failover,
 * a slow evaluation) reads each from the API; one further behind replays history, which is
 * one query for the whole range, rather than fall further behind.
 */
export const OBSERVE_MISSED_MAX = 8;

export interface RunResult {
  /** The exchange evaluated. */
  exchange: string;
  block: bigint;
  events: StoredEvent[];
  observation: RiskObservation;
}

const DIGEST_PERIOD_MS = 86_400_000;

/** An event decided on a missed block: its annotations say so (every receiver shows them). */
function markLate<
  E extends { annotations: Record<string, string>; block: { number: bigint } | null },
>(e: E, late: LateRun): E {
  const at = e.block ? `block ${e.block.number}` : "a missed block";
  const note = `evaluated late (catch-up): ${at} was ${late.behindS}s behind head ${late.head} when the worker evaluated it`;
  return { ...e, annotations: { ...e.annotations, late: note } };
}

/** An alert's identity: the fingerprint of its labels (its exchange's among them). */
const keyOf = (r: AlertRecord) => fingerprint(r.labels);

type Keyed = [key: string, step: Step];

export class AlertEngine {
  /** Every alert, by identity (`keyOf`). */
  readonly alerts = new Map<string, AlertRecord>();
  private samples: SampleWithHash[] = [];
  /** The exchanges the API listed at the last evaluation, in its order. */
  private watched: readonly string[] = [];
  private readonly warnedScopes = new Set<string>();
  private readonly historyMs: number;
  private readonly ruleByName: Map<string, AlertsConfig["rules"][number]>;
  /** The last block the block path committed, per exchange (where catch-up starts). */
  private readonly evaluated = new Map<string, EvaluatedBlock>();

  constructor(private readonly o: AlertEngineOptions) {
    this.ruleByName = new Map(o.config.rules.map((r) => [r.name, r]));
    this.historyMs = historyWindowMs(o.config.rules);
  }

  async load(): Promise<void> {
    for (const a of await this.o.store.loadAlerts()) this.alerts.set(keyOf(a), a);
    this.samples = await this.o.store.loadSamples();
    const stored = await this.o.store.loadEvaluated();
    // A store from before version 4 knows an exchange's last block by its newest sample.
    for (const smp of this.samples) {
      if (smp.exchange === "" || stored.has(smp.exchange)) continue;
      const e = this.evaluated.get(smp.exchange);
      if (!e || e.number < smp.blockNumber) {
        this.evaluated.set(smp.exchange, {
          exchange: smp.exchange,
          number: smp.blockNumber,
          timestamp: smp.timestamp,
        });
      }
    }
    for (const [x, e] of stored) this.evaluated.set(x, e);
  }

  /** The exchanges to evaluate: every one the API indexes. */
  exchanges(): Promise<readonly string[]> {
    return this.o.source.exchanges();
  }

  /** Schedules that have rules ("block" included when any rule runs per block). */
  paths(): string[] {
    return [...new Set(this.o.config.rules.filter((r) => r.enabled).map((r) => r.schedule))];
  }

  /**
   * Where an event goes: the rule's own `receivers` when it names them (ungrouped, as
   * before routes existed), else the route tree's destinations.
   */
  private destinationsOf(e: StoredEvent): Destination[] {
    const wanted = this.ruleByName.get(e.rule)?.receivers;
    if (wanted) {
      const names = this.o.config.localReceiver.enabled ? [...wanted, "local"] : wanted;
      return names.map((receiver) => ({
        receiver,
        groupBy: ["..."],
        groupWaitMs: 0,
        groupIntervalMs: 0,
      }));
    }
    return destinations(this.o.config.route, routingLabels(e.rule, e.labels));
  }

  /**
   * The outbox rows of one event. A firing matched by an active silence, or inhibited by
   * another alert firing now, is recorded for every destination as muted (resolves follow
   * their firing: the store mutes them when it was muted).
   */
  private deliveriesOf(
    e: StoredEvent,
    silences: readonly Silence[],
    firing: readonly Record<string, string>[],
    nowMs: number,
  ): OutboxDraft[] {
    const labels = routingLabels(e.rule, e.labels);
    let muted: Muted | undefined;
    if (e.kind === "firing") {
      if (silencedBy(silences, labels, nowMs)) muted = "silenced";
      else if (inhibitedBy(this.o.config.inhibitRules, labels, firing)) muted = "inhibited";
    }
    return deliveriesTo(e, this.o.receivers, this.destinationsOf(e), {
      muted,
      links: this.o.config.links,
    });
  }

  private rulesOf(path: string) {
    return this.o.config.rules.filter((r) => r.enabled && r.schedule === path);
  }

  /**
   * Asks the source for what one path's rules that watch `exchange` need. Safe to run while
   * another path is applied: it touches no state, so a slow stress query never holds up the
   * block path.
   */
  observe(path: string, exchange: string): Promise<RiskObservation> {
    return this.o.source.observe(exchange, this.needsOf(path, exchange));
  }

  /** What one path's rules that watch `exchange` need observed. */
  private needsOf(path: string, exchange: string) {
    return needsOf(this.rulesOf(path).filter((r) => watches(r, exchange)));
  }

  /**
   * Evaluates one path's rules on one exchange's observation and commits the outcome (one
   * at a time). A rule that does not watch the exchange resolves its alerts there.
   */
  async apply(path: string, obs: RiskObservation, late?: LateRun): Promise<RunResult> {
    const { store, logger } = this.o;
    const exchange = obs.exchangeId;
    const rules = late && !late.whole ? this.rulesOf(path).filter(replayable) : this.rulesOf(path);
    // A late block is evaluated as of when it happened (its distance from the head's time),
    // so `for`, `keepFiringFor` and cool-downs count chain time between missed blocks.
    const now = this.o.now() - (late ? late.behindS * 1000 : 0);
    this.watched = obs.watchedExchanges;
    this.checkScopes();
    /** Record changes by identity, in order (a later one of the same alert wins). */
    const updates: Keyed[] = [];
    const current = new Map(this.alerts);

    // Rows from before alerts had an exchange become the first exchange's (keys change).
    const legacy = this.adoptLegacy(current);
    updates.push(...legacy.updates);
    const samples = legacy.samplesTo
      ? this.samples.map((s) => (s.exchange === "" ? { ...s, exchange: legacy.samplesTo! } : s))
      : this.samples;

    let dropFrom: bigint | undefined;
    if (path === "block" && this.o.checksReorgs && !late) {
      const retracted = await this.reorgSteps(obs, current, now);
      updates.push(...retracted.updates);
      // Alerts as they stand after any retraction.
      for (const [key, s] of retracted.updates) current.set(key, s.record);
      dropFrom = retracted.fork;
    }

    const history = samples.filter(
      (s) => s.exchange === exchange && (dropFrom === undefined || s.blockNumber < dropFrom),
    );
    for (const ev of evaluate(rules, obs, history)) {
      if (ev.signals === undefined) {
        logger.debug(`rule ${ev.rule.name}: no data on ${exchange} (${ev.noData})`);
        continue;
      }
      const timing = {
        forMs: ev.rule.for,
        cooldownMs: ev.rule.cooldown,
        keepFiringForMs: ev.rule.keepFiringFor,
      };
      const seen = new Set<string>();
      for (const sig of ev.signals) {
        seen.add(sig.fingerprint);
        const s = step(current.get(sig.fingerprint), sig, timing, now, obs.block);
        if (s) updates.push([sig.fingerprint, s]);
      }
      for (const [key, a] of current) {
        if (a.rule !== ev.rule.name || a.labels.exchange !== exchange) continue;
        if (a.state === "inactive" || seen.has(key)) continue;
        const s = step(a, null, timing, now, obs.block);
        if (s) updates.push([key, s]);
      }
    }

    let add: SampleWithHash | undefined;
    // A late block's prices are not known (the API serves the head's alone): its sample holds
    // the fund only.
    const sample = path === "block" && this.historyMs > 0 ? historySample(obs) : null;
    if (sample) add = { ...sample, exchange, hash: obs.block.hash };
    const pruneBefore = obs.block.timestamp - this.historyMs / 1000 - 60;
    const silences = await listSilences(store, now);
    // Alerts firing once this evaluation is applied (the sources of inhibition).
    const after = new Map(current);
    for (const [key, s] of updates) after.set(key, s.record);
    const firing = [...after.values()]
      .filter((a) => a.state === "firing")
      .map((a) => routingLabels(a.rule, a.labels));
    const prev = this.evaluated.get(exchange);
    const evaluated =
      path === "block" && (!prev || prev.number < obs.block.number)
        ? { exchange, number: obs.block.number, timestamp: obs.block.timestamp }
        : undefined;
    const events = await store.commit({
      nowMs: now,
      records: updates.map(([, s]) => s.record),
      events: updates.flatMap(([, s]) =>
        s.event ? [late ? markLate(s.event, late) : s.event] : [],
      ),
      evaluated,
      deliveries: (e) => this.deliveriesOf(e, silences, firing, now),
      samples:
        add || dropFrom !== undefined
          ? { exchange, add, pruneBefore: add ? pruneBefore : undefined, dropFrom }
          : undefined,
      adoptLegacySamples: legacy.samplesTo,
    });
    for (const key of legacy.replaced) this.alerts.delete(key);
    for (const [key, s] of updates) this.alerts.set(key, s.record);
    let kept = samples;
    if (dropFrom !== undefined) {
      kept = kept.filter((s) => s.exchange !== exchange || s.blockNumber < dropFrom!);
    }
    if (add) {
      const a = add;
      kept = kept.filter(
        (s) =>
          s.exchange !== exchange ||
          (s.blockNumber !== a.blockNumber && s.timestamp >= pruneBefore),
      );
      kept.push(a);
    }
    this.samples = kept;
    if (evaluated) this.evaluated.set(exchange, evaluated);
    return { exchange, block: obs.block.number, events, observation: obs };
  }

  /**
   * Before the block path evaluates `head`: evaluates, one commit each, the blocks of its
   * exchange missed since the last one evaluated (at most `catchUp.maxBlocks`): a few observed
   * whole at their block where the API serves it (every rule), the rest from the API's
   * history with the rules that history can answer (`catchUp.ts`); their events are marked
   * late. A crash midway resumes after the last committed block. Returns each block's result.
   */
  async catchUp(head: RiskObservation): Promise<RunResult[]> {
    const observed = await this.observeMissed(head);
    return [...observed, ...(await this.replayMissed(head))];
  }

  /**
   * The missed blocks the source can observe whole (the API keeps or rebuilds recent blocks),
   * oldest first, each evaluated with every block rule; stops at the first it cannot (those
   * left are replayed from history). Only for a short run of missed blocks.
   */
  private async observeMissed(head: RiskObservation): Promise<RunResult[]> {
    const { source, logger } = this.o;
    const exchange = head.exchangeId;
    const last = this.evaluated.get(exchange);
    const range = missedRange(last, head.block.number, this.o.config.catchUp.maxBlocks);
    if (!source.observeAt || !range || range.to - range.from >= BigInt(OBSERVE_MISSED_MAX)) {
      return [];
    }
    const needs = this.needsOf("block", exchange);
    const results: RunResult[] = [];
    for (let b = range.from; b <= range.to; b++) {
      let obs: RiskObservation;
      try {
        obs = await source.observeAt(exchange, needs, b);
        // An API that does not know the header answers its newest block.
        if (obs.block.number !== b) throw new Error(`the API answered block ${obs.block.number}`);
      } catch (err) {
        const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
        logger.info(`catch-up: block ${b} not observed whole (${msg}); replaying history from it`);
        break;
      }
      const behindS = Math.max(0, head.block.timestamp - obs.block.timestamp);
      results.push(
        await this.apply("block", obs, { behindS, head: head.block.number, whole: true }),
      );
    }
    if (results.length > 0) {
      logger.info(
        `catch-up: observed ${results.length} missed block(s) whole from ${range.from}: ${results.reduce((n, r) => n + r.events.length, 0)} late event(s)`,
      );
    }
    return results;
  }

  /** The missed blocks left, from the API's history, with the rules it can answer. */
  private async replayMissed(head: RiskObservation): Promise<RunResult[]> {
    const exchange = head.exchangeId;
    const last = this.evaluated.get(exchange);
    const range = missedRange(last, head.block.number, this.o.config.catchUp.maxBlocks);
    if (!range || !last) return [];
    const { logger } = this.o;
    const on = head.watchedExchanges.length > 1 ? ` of exchange "${exchange}"` : "";
    const rules = this.rulesOf("block").filter(replayable);
    const missed = `${range.from}–${range.to}`;
    if (range.skipped > 0n) {
      logger.warn(
        `catch-up: ${range.skipped} missed block(s)${on} before ${range.from} are older than catchUp.maxBlocks (${this.o.config.catchUp.maxBlocks}) and are not evaluated`,
      );
    }
    if (!this.o.history || rules.length === 0) {
      logger.info(
        `catch-up: blocks ${missed}${on} missed; ${this.o.history ? "no rule" : "no history source"} to evaluate them with (the head is evaluated)`,
      );
      return [];
    }
    let window = 0;
    for (const r of rules) if ("window" in r) window = Math.max(window, r.window);
    let history: Awaited<ReturnType<HistorySource["history"]>>;
    try {
      history = await this.o.history.history(exchange, {
        after: range.from - 1n,
        to: head.block.number,
        sinceS: last.timestamp - window / 1000,
      });
    } catch (err) {
      const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
      logger.warn(`catch-up: blocks ${missed}${on} NOT evaluated (lost): ${msg}`);
      return [];
    }
    const observations = replayObservations(head, last, range, history);
    const hashes = this.o.checksReorgs
      ? await this.o.source.blockHashes(
          exchange,
          observations.map((o) => o.block.number),
        )
      : new Map<bigint, string | null>();
    const results: RunResult[] = [];
    for (const obs of observations) {
      obs.block.hash = hashes.get(obs.block.number) ?? null;
      const behindS = Math.max(0, head.block.timestamp - obs.block.timestamp);
      results.push(await this.apply("block", obs, { behindS, head: head.block.number }));
    }
    const events = results.reduce((n, r) => n + r.events.length, 0);
    logger.info(
      `catch-up: evaluated missed blocks ${missed}${on} with ${rules.length} rule(s) from the API's history: ${events} late event(s)`,
    );
    return results;
  }

  /**
   * Alerts and samples stored before alerts had an exchange: given to the first exchange the
   * API lists, each alert keeping its fingerprint (updated in `current`; committed with the
   * evaluation, memory updated after it).
   */
  private adoptLegacy(current: Map<string, AlertRecord>) {
    const updates: Keyed[] = [];
    const replaced: string[] = [];
    const to = this.watched[0];
    if (to === undefined) return { updates, replaced, samplesTo: undefined };
    for (const [key, a] of this.alerts) {
      if (a.labels.exchange !== undefined) continue;
      const record: AlertRecord = { ...a, labels: { ...a.labels, exchange: to } };
      const next = keyOf(record);
      current.delete(key);
      current.set(next, record);
      replaced.push(key);
      updates.push([next, { record }]);
    }
    if (updates.length > 0) {
      this.o.logger.info(
        `alerts: ${updates.length} alert(s) stored before alerts had an exchange now belong to exchange "${to}"`,
      );
    }
    const samplesTo = this.samples.some((s) => s.exchange === "") ? to : undefined;
    return { updates, replaced, samplesTo };
  }

  /** Says once per rule and id when a rule's `exchanges` names one the API does not index. */
  private checkScopes(): void {
    if (this.watched.length === 0) return;
    for (const r of this.o.config.rules) {
      for (const id of r.exchanges ?? []) {
        const k = `${r.name}\u0000${id}`;
        if (this.watched.includes(id) || this.warnedScopes.has(k)) continue;
        this.warnedScopes.add(k);
        this.o.logger.warn(
          `rule "${r.name}": exchanges lists "${id}", which the API does not index (it indexes ${this.watched.map((w) => `"${w}"`).join(", ")})`,
        );
      }
    }
  }

  /** The exchange's firing alerts raised on unfinalized blocks whose hash is no longer canonical. */
  private async reorgSteps(obs: RiskObservation, current: Map<string, AlertRecord>, now: number) {
    const exchange = obs.exchangeId;
    const horizon = obs.block.number - BigInt(this.o.config.chain.finalityDepth);
    const suspects = [...current].filter(
      ([, a]) =>
        a.labels.exchange === exchange &&
        a.state === "firing" &&
        a.raisedBlock !== null &&
        a.raisedHash !== null &&
        a.raisedBlock > horizon,
    );
    const updates: Keyed[] = [];
    let fork: bigint | undefined;
    if (suspects.length === 0) return { updates, fork };
    const canonical = await this.o.source.blockHashes(
      exchange,
      suspects.map(([, a]) => a.raisedBlock!),
    );
    for (const [key, a] of suspects) {
      const now_ = canonical.get(a.raisedBlock!);
      if (now_ === null || now_ === undefined || now_ === a.raisedHash) continue;
      const reason = `raised on block ${a.raisedBlock} (${a.raisedHash}), which a reorg replaced with ${now_}`;
      const s = retract(a, now, reason);
      if (s) updates.push([key, s]);
      if (fork === undefined || a.raisedBlock! < fork) fork = a.raisedBlock!;
    }
    if (updates.length > 0) {
      const on = this.watched.length > 1 ? ` on exchange "${exchange}"` : "";
      this.o.logger.warn(
        `reorg${on}: retracting ${updates.length} alert(s) raised from block ${fork} on`,
      );
    }
    return { updates, fork };
  }

  /** Commits the daily digest for the digest receivers. */
  async digest(): Promise<StoredEvent[]> {
    const now = this.o.now();
    const events = await this.o.store.eventsSince(now - DIGEST_PERIOD_MS);
    const draft = digestDraft(
      now,
      DIGEST_PERIOD_MS,
      events,
      [...this.alerts.values()],
      this.watched.length > 1,
    );
    const wanted =
      this.o.config.digest.receivers ??
      this.o.receivers.filter((r) => r.type !== "pagerduty").map((r) => r.name);
    return this.o.store.commit({
      nowMs: now,
      records: [],
      events: [draft],
      deliveries: (e) => deliveriesFor(e, this.o.receivers, wanted, this.o.config.links),
    });
  }
}
