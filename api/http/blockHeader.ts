/**
 * `X-Perpwatch-Block: <n>`: a query answered at block n of the exchange it reads instead of the
 * newest (SnapshotSource.at: the newest, a kept block, or one rebuilt from Ponder's reorg log).
 *
 * Why a header and not an argument: every root field of a request is answered from one
 * snapshot per exchange, taken before the document is parsed (http/graphqlRoute.ts); a client
 * that missed a block (the alert worker after a failover) asks for its whole observation at
 * that block, and an argument on each root field would say the same thing many times.
 */
import { refusal } from "./httpRefusals.js";
import type { CachedResponse } from "./responseCache.js";

export const BLOCK_HEADER = "x-perpwatch-block";

/** The block a request asks for (null: the newest), or the 400 for a malformed header. */
export function requestedBlock(value: string | undefined | null): bigint | CachedResponse | null {
  if (value === undefined || value === null) return null;
  const v = value.trim();
  if (/^\d{1,20}$/.test(v)) return BigInt(v);
  return refusal(
    400,
    `X-Perpwatch-Block: expected a block number such as 123 (got ${JSON.stringify(value.slice(0, 40))})`,
  );
}
