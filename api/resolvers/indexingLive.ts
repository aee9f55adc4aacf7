/**
 * When `indexingStatus.live` is true: Ponder has finished its historical backfill *and* the
 * block the API serves has caught up with the chain. Ponder's readiness alone said `live: true`
 * at indexed block 0 with a lag of 9 blocks (its backfill ends at the block the chain was at
 * when it started; the blocks mined meanwhile are still to index, and the API serves the block
 * it last loaded).
 *
 * Caught up is "a block or two behind, or a few seconds": on a 12-second chain the next block is
 * always on its way (2 blocks), on a sub-second chain polling keeps a few blocks in flight
 * (5 seconds).
 */

/** At most this many blocks behind the head counts as caught up. */
export const LIVE_LAG_BLOCKS = 2n;
/** Or at most this many seconds of chain time behind it. */
export const LIVE_LAG_SECONDS = 5;

export function indexingLive(ready: boolean, lagBlocks: bigint, lagSeconds: number): boolean {
  return ready && (lagBlocks <= LIVE_LAG_BLOCKS || lagSeconds <= LIVE_LAG_SECONDS);
}
