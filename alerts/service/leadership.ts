/**
 * Leadership among workers sharing one alert store: holds the leader lease (see
 * store/leaderLease.ts), renewing it every third of its time to live; calls `lead()` when
 * this worker becomes the leader and `standBy()` when it loses the lease (another took it
 * over while this one could not renew, e.g. it lost the database for a while).
 *
 * Why a class apart from the service: the service only knows "active or not"; the timing,
 * the one-at-a-time ticks and the clean release are here.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { AlertStore } from "../store/alertStore.js";
import { acquireLease, releaseLease } from "../store/leaderLease.js";

const LEASE = "alerts-leader";

export interface LeadershipOptions {
  store: AlertStore;
  ttlMs: number;
  logger: Logger;
  now: () => number;
  lead: () => Promise<void>;
  standBy: () => Promise<void>;
}

export class Leadership {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private leading = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: LeadershipOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** Tries once now (so a lone worker leads before start() returns), then keeps trying. */
  async start(): Promise<void> {
    await this.tick();
    if (!this.leading) {
      this.o.logger.info(
        "alerts: standing by (another worker holds the alert store's leader lease)",
      );
    }
    this.timer = setInterval(
      () => {
        this.ticking = this.ticking.then(() => this.tick());
      },
      Math.max(100, Math.floor(this.o.ttlMs / 3)),
    );
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let held = false;
    try {
      held = await acquireLease(this.o.store, LEASE, this.owner, this.o.ttlMs, this.o.now());
    } catch (err) {
      this.o.logger.warn({ err: String(err) }, "alerts: cannot renew the leader lease");
      held = false;
    }
    if (this.stopped) return;
    if (held && !this.leading) {
      this.leading = true;
      this.o.logger.info(`alerts: leading (lease held by ${this.owner})`);
      await this.o.lead();
    } else if (!held && this.leading) {
      this.leading = false;
      this.o.logger.warn("alerts: lost the leader lease; standing by");
      await this.o.standBy();
    }
  }

  /** Stops renewing and gives the lease up if held (a standby takes over at once). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    if (this.leading) {
      this.leading = false;
      await releaseLease(this.o.store, LEASE, this.owner).catch(() => undefined);
    }
  }
}
