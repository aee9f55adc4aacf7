/**
 * A feed of newly indexed blocks for subscriptions: while anyone listens, it asks the snapshot
 * source for the newest block every `intervalMs` and hands each new snapshot to every
 * listener; with no listener it does nothing.
 *
 * Why polling: Ponder commits blocks in its own process and offers no in-process hook to the
 * API; a cheap checkpoint read per interval (shared by all subscribers, and by requests through
 * the snapshot source's throttle) is the whole cost of a live feed.
 *
 * Every block: when a poll finds the indexer more than one block ahead of the last block
 * delivered (a replica loading one block while the indexer committed the next), the blocks in
 * between are rebuilt from Ponder's reorg log (`SnapshotSource.between`) and delivered first, in
 * order. Where that cannot be done (the log of a finalized block is gone), the feed moves on to
 * the newest block, as it always did.
 */
import type { Logger } from "pino";
import type { Snapshot } from "../data/snapshot.js";
import type { SnapshotSource } from "../data/snapshotSource.js";

export type BlockListener = (snap: Snapshot) => void;

/** A subscriber: its listener, and what ends its stream when the feed closes. */
interface Subscriber {
  onBlock: BlockListener;
  onClose: () => void;
}

export class BlockFeed {
  private readonly listeners = new Set<Subscriber>();
  private timer: NodeJS.Timeout | undefined;
  private last: Snapshot | undefined;
  private closed = false;

  constructor(
    private readonly snapshots: SnapshotSource,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Calls `onBlock` with every snapshot newer than the one seen last, and `onClose` once if the
   * feed closes (at once if it has); returns the unsubscribe.
   */
  subscribe(onBlock: BlockListener, onClose: () => void = () => {}): () => void {
    if (this.closed) {
      onClose();
      return () => {};
    }
    const subscriber = { onBlock, onClose };
    this.listeners.add(subscriber);
    if (!this.timer) this.schedule();
    return () => {
      this.listeners.delete(subscriber);
      if (this.listeners.size === 0) {
        // Nobody heard the blocks from here on: the next subscriber starts at the newest.
        this.last = undefined;
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  /**
   * Ends every subscription (their streams complete) and refuses new ones. Why: a replica being
   * stopped waits for its open responses before it exits, and a server-sent-events stream never
   * ends by itself, so its clients (the alert worker's block feed) would hear nothing until their
   * watchdog gave up on it — 15 s in the replicas test — instead of moving to another replica.
   */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const subscribers = [...this.listeners];
    this.listeners.clear();
    for (const s of subscribers) s.onClose();
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  private deliver(snap: Snapshot): void {
    this.last = snap;
    for (const s of this.listeners) s.onBlock(snap);
  }

  /**
   * The blocks between the last delivered and `snap`, rebuilt (none when they are consecutive:
   * `between` says so); none when that fails.
   */
  private async skippedBefore(snap: Snapshot): Promise<Snapshot[]> {
    const last = this.last;
    if (!last) return [];
    try {
      return await this.snapshots.between(last, snap);
    } catch (err) {
      this.logger.warn(
        { err, from: Number(last.block), to: Number(snap.block) },
        "subscription feed: rebuilding skipped blocks failed; delivering the newest",
      );
      return [];
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    try {
      const snap = await this.snapshots.current();
      if (snap.at.checkpoint !== this.last?.at.checkpoint) {
        for (const skipped of await this.skippedBefore(snap)) this.deliver(skipped);
        this.deliver(snap);
      }
    } catch (err) {
      this.logger.warn({ err }, "subscription feed: reading the indexed block failed");
    } finally {
      if (this.listeners.size > 0) this.schedule();
      else this.timer = undefined;
    }
  }
}
