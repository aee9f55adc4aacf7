/**
 * One evaluation, end to end: observe (no state touched, may overlap other paths) → then,
 * one evaluation at a time: (block path) retract alerts whose block a reorg replaced →
 * evaluate the path's rules → step every alert's lifecycle → commit records, events, outbox
 * rows and the block sample in one transaction → hand the events on.
 *
 * Why the alerts are also held in memory: every evaluation needs every alert of its rules,
 * and the table only changes through this class, so the map is loaded once at start-up and
 * updated after each commit (never before: a failed commit leaves memory as the table is).
 */
import type { Logger } from "pino";
import type { AlertsConfig, ReceiverConfig } from "../config/alertsConfig.js";
import { deliveriesFor } from "../delivery/render.js";
import { evaluate, needsOf } from "../evaluate/evaluate.js";
import type { RiskObservation } from "../observation.js";
import type { RiskSource } from "../source/apiSource.js";
import { type AlertRecord, retract, type Step, step } from "../state/alertState.js";
import type { AlertStore, SampleWithHash, StoredEvent } from "../store/alertStore.js";
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
}

export interface RunResult {
  block: bigint;
  events: StoredEvent[];
  observation: RiskObservation;
}

const DIGEST_PERIOD_MS = 86_400_000;

export class AlertEngine {
  readonly alerts = new Map<string, AlertRecord>();
  private samples: SampleWithHash[] = [];
  private readonly historyMs: number;
  private readonly ruleByName: Map<string, AlertsConfig["rules"][number]>;

  constructor(private readonly o: AlertEngineOptions) {
    this.ruleByName = new Map(o.config.rules.map((r) => [r.name, r]));
    let h = 0;
    for (const r of o.config.rules) {
      if (r.enabled && (r.kind === "oracle_jump" || r.kind === "insurance_fund_drawdown")) {
        h = Math.max(h, r.window);
      }
    }
    this.historyMs = h;
  }

  async load(): Promise<void> {
    for (const a of await this.o.store.loadAlerts()) this.alerts.set(a.fingerprint, a);
    this.samples = await this.o.store.loadSamples();
  }

  /** Schedules that have rules ("block" included when any rule runs per block). */
  paths(): string[] {
    return [...new Set(this.o.config.rules.filter((r) => r.enabled).map((r) => r.schedule))];
  }

  private receiversOf(ruleName: string): string[] | undefined {
    const wanted = this.ruleByName.get(ruleName)?.receivers;
    if (!wanted) return undefined;
    return this.o.config.localReceiver.enabled ? [...wanted, "local"] : wanted;
  }

  private rulesOf(path: string) {
    return this.o.config.rules.filter((r) => r.enabled && r.schedule === path);
  }

  /**
   * Asks the source for what one path's rules need. Safe to run while another path is
   * applied: it touches no state, so a slow stress query never holds up the block path.
   */
  observe(path: string): Promise<RiskObservation> {
    return this.o.source.observe(needsOf(this.rulesOf(path)));
  }

  /** Evaluates one path's rules on an observation and commits the outcome (one at a time). */
  async apply(path: string, obs: RiskObservation): Promise<RunResult> {
    const { store, logger } = this.o;
    const rules = this.rulesOf(path);
    const now = this.o.now();
    const steps: Step[] = [];
    let dropSamplesFrom: bigint | undefined;

    if (path === "block" && this.o.checksReorgs) {
      const retracted = await this.reorgSteps(obs, now);
      steps.push(...retracted.steps);
      dropSamplesFrom = retracted.fork;
    }
    // Alerts as they stand after any retraction.
    const current = new Map(this.alerts);
    for (const s of steps) current.set(s.record.fingerprint, s.record);

    const history = this.samples.filter(
      (s) => dropSamplesFrom === undefined || s.blockNumber < dropSamplesFrom,
    );
    for (const ev of evaluate(rules, obs, history)) {
      if (ev.signals === undefined) {
        logger.debug(`rule ${ev.rule.name}: no data (${ev.noData})`);
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
        if (s) steps.push(s);
      }
      for (const a of current.values()) {
        if (a.rule !== ev.rule.name || a.state === "inactive" || seen.has(a.fingerprint)) continue;
        const s = step(a, null, timing, now, obs.block);
        if (s) steps.push(s);
      }
    }

    let sample: SampleWithHash | undefined;
    if (path === "block" && this.historyMs > 0 && obs.markets) {
      sample = {
        blockNumber: obs.block.number,
        hash: obs.block.hash,
        timestamp: obs.block.timestamp,
        prices: Object.fromEntries(obs.markets.map((m) => [m.id, m.price])),
        insuranceFund: obs.exchange?.insuranceFund ?? null,
      };
    }
    const pruneBefore = obs.block.timestamp - this.historyMs / 1000 - 60;
    const events = await store.commit({
      nowMs: now,
      records: steps.map((s) => s.record),
      events: steps.flatMap((s) => (s.event ? [s.event] : [])),
      deliveries: (e) => deliveriesFor(e, this.o.receivers, this.receiversOf(e.rule)),
      sample,
      pruneSamplesBefore: sample ? pruneBefore : undefined,
      dropSamplesFrom,
    });
    for (const s of steps) this.alerts.set(s.record.fingerprint, s.record);
    if (dropSamplesFrom !== undefined) {
      this.samples = this.samples.filter((s) => s.blockNumber < dropSamplesFrom!);
    }
    if (sample) {
      this.samples = this.samples.filter(
        (s) => s.blockNumber !== sample!.blockNumber && s.timestamp >= pruneBefore,
      );
      this.samples.push(sample);
    }
    return { block: obs.block.number, events, observation: obs };
  }

  /** Firing alerts raised on unfinalized blocks whose hash is no longer canonical. */
  private async reorgSteps(obs: RiskObservation, now: number) {
    const horizon = obs.block.number - BigInt(this.o.config.chain.finalityDepth);
    const suspects = [...this.alerts.values()].filter(
      (a) =>
        a.state === "firing" &&
        a.raisedBlock !== null &&
        a.raisedHash !== null &&
        a.raisedBlock > horizon,
    );
    const steps: Step[] = [];
    let fork: bigint | undefined;
    if (suspects.length === 0) return { steps, fork };
    const canonical = await this.o.source.blockHashes(suspects.map((a) => a.raisedBlock!));
    for (const a of suspects) {
      const now_ = canonical.get(a.raisedBlock!);
      if (now_ === null || now_ === undefined || now_ === a.raisedHash) continue;
      const reason = `raised on block ${a.raisedBlock} (${a.raisedHash}), which a reorg replaced with ${now_}`;
      const s = retract(a, now, reason);
      if (s) steps.push(s);
      if (fork === undefined || a.raisedBlock! < fork) fork = a.raisedBlock!;
    }
    if (steps.length > 0) {
      this.o.logger.warn(`reorg: retracting ${steps.length} alert(s) raised from block ${fork} on`);
    }
    return { steps, fork };
  }

  /** Commits the daily digest for the digest receivers. */
  async digest(): Promise<StoredEvent[]> {
    const now = this.o.now();
    const events = await this.o.store.eventsSince(now - DIGEST_PERIOD_MS);
    const draft = digestDraft(now, DIGEST_PERIOD_MS, events, [...this.alerts.values()]);
    const wanted =
      this.o.config.digest.receivers ??
      this.o.receivers.filter((r) => r.type !== "pagerduty").map((r) => r.name);
    return this.o.store.commit({
      nowMs: now,
      records: [],
      events: [draft],
      deliveries: (e) => deliveriesFor(e, this.o.receivers, wanted),
    });
  }
}
