/**
 * A feed of newly indexed blocks for subscriptions: while anyone listens, it asks the snapshot
 * source for the newest block every `intervalMs` and hands each new snapshot to every
 * listener; with no listener it does nothing.
 *
 * Why polling: Ponder commits blocks in its own process and offers no in-process hook to the
 * API; a cheap checkpoint read per interval (shared by all subscribers, and by requests through
 * the snapshot source's throttle) is the whole cost of a live feed.
 */
import type { Logger } from "pino";
import type { Snapshot } from "../data/snapshot.js";
import type { SnapshotSource } from "../data/snapshotSource.js";

export type BlockListener = (snap: Snapshot) => void;

export class BlockFeed {
  private readonly listeners = new Set<BlockListener>();
  private timer: NodeJS.Timeout | undefined;
  private last: string | undefined;

  constructor(
    private readonly snapshots: SnapshotSource,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Calls `fn` with every snapshot newer than the one seen last; returns the unsubscribe. */
  subscribe(fn: BlockListener): () => void {
    this.listeners.add(fn);
    if (!this.timer) this.schedule();
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    try {
      const snap = await this.snapshots.current();
      if (snap.at.checkpoint !== this.last) {
        this.last = snap.at.checkpoint;
        for (const fn of this.listeners) fn(snap);
      }
    } catch (err) {
      this.logger.warn({ err }, "subscription feed: reading the indexed block failed");
    } finally {
      if (this.listeners.size > 0) this.schedule();
      else this.timer = undefined;
    }
  }
}
