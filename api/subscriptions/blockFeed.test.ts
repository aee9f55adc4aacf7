/**
 * The block feed hands each new snapshot to every subscriber once, and closing it ends every
 * subscription (and any that comes after) instead of leaving their streams open.
 */
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../data/snapshot.js";
import type { SnapshotSource } from "../data/snapshotSource.js";
import { logger } from "../logger.js";
import { BlockFeed } from "./blockFeed.js";

/** A snapshot source whose newest block the test sets. */
function source() {
  let checkpoint = "1";
  const src = {
    current: async () => ({ at: { checkpoint } }) as unknown as Snapshot,
  } as unknown as SnapshotSource;
  const advance = (c: string) => {
    checkpoint = c;
  };
  return { src, advance };
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
});
