/**
 * The block feed hands each new snapshot to every subscriber once, blocks a poll skipped
 * included (rebuilt by the snapshot source), and closing it ends every subscription (and any
 * that comes after) instead of leaving their streams open.
 */
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../data/snapshot.js";
import type { SnapshotSource } from "../data/snapshotSource.js";
import { logger } from "../logger.js";
import { BlockFeed } from "./blockFeed.js";

const snapAt = (block: number) =>
  ({ at: { checkpoint: String(block) }, block: BigInt(block) }) as unknown as Snapshot;

/**
 * A snapshot source whose newest block the test sets; `between` rebuilds every block in
 * between, or fails when `rebuild` is false.
 */
function source(rebuild = true) {
  let block = 1;
  const asked: string[] = [];
  const src = {
    current: async () => snapAt(block),
    between: async (from: Snapshot, to: Snapshot) => {
      asked.push(`${from.block}→${to.block}`);
      if (!rebuild) throw new Error("the reorg log of these blocks is gone");
      const out: Snapshot[] = [];
      for (let b = Number(from.block) + 1; b < Number(to.block); b++) out.push(snapAt(b));
      return out;
    },
  } as unknown as SnapshotSource;
  const advance = (c: string) => {
    block = Number(c);
  };
  return { src, advance, asked };
}

/** The checkpoints delivered to a subscriber until it has seen `until`. */
function collect(feed: BlockFeed, until: string): Promise<string[]> {
  const seen: string[] = [];
  return new Promise((resolve) => {
    const un = feed.subscribe((snap) => {
      seen.push(snap.at.checkpoint);
      if (snap.at.checkpoint === until) {
        un();
        resolve(seen);
      }
    });
  });
}

const silent = logger.child({}, { level: "silent" });

describe("BlockFeed", () => {
  it("delivers each new block once, and closing ends every subscription", async () => {
    const { src, advance } = source();
    const feed = new BlockFeed(src, 5, silent);
    const seen: string[] = [];
    let closed = 0;
    const got = (n: number) =>
      new Promise<void>((resolve) => {
        const un = feed.subscribe(
          (snap) => {
            seen.push(snap.at.checkpoint);
            if (seen.length >= n) {
              un();
              resolve();
            }
          },
          () => closed++,
        );
      });
    await got(1);
    advance("2");
    await got(2);
    expect(seen).toEqual(["1", "2"]);

    const ended = new Promise<void>((resolve) => feed.subscribe(() => {}, resolve));
    feed.close();
    await ended;
    expect(feed.listenerCount).toBe(0);
    let late = false;
    feed.subscribe(
      () => {},
      () => {
        late = true;
      },
    );
    expect(late).toBe(true);
    expect(closed).toBe(0); // the two that unsubscribed first were not called
  });

  it("delivers the blocks a poll skipped, rebuilt, in order before the newest", async () => {
    const { src, advance, asked } = source();
    const feed = new BlockFeed(src, 5, silent);
    // One subscriber through the jump from block 1 to 5.
    const seen = collect(feed, "5");
    await collect(feed, "1");
    advance("5");
    expect(await seen).toEqual(["1", "2", "3", "4", "5"]);
    expect(asked).toEqual(["1→5"]);
    feed.close();

    // Nobody listening meanwhile: a new subscriber starts at the newest block.
    const idle = new BlockFeed(src, 5, silent);
    expect(await collect(idle, "5")).toEqual(["5"]);
    advance("9");
    expect(await collect(idle, "9")).toEqual(["9"]);
    expect(asked).toEqual(["1→5"]);
    idle.close();
  });

  it("moves on to the newest block when the skipped ones cannot be rebuilt", async () => {
    const { src, advance, asked } = source(false);
    const feed = new BlockFeed(src, 5, silent);
    const seen = collect(feed, "4");
    // The first block must have been delivered before the jump, or nothing is skipped.
    await new Promise<void>((resolve) => {
      const un = feed.subscribe(() => {
        un();
        resolve();
      });
    });
    advance("4");
    expect(await seen).toEqual(["1", "4"]);
    expect(asked).toEqual(["1→4"]);
    feed.close();
  });
});
