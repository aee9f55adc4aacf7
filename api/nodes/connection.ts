/**
 * Relay-style connections of history rows: edges with opaque cursors and `pageInfo`.
 *
 * Why one helper: every history list (trades, liquidations, ADL fills, ledger, divergences)
 * pages the same way — newest first, keyset on (block, log index, id) — so the cursor of an
 * edge is always its row's position and the end cursor the last edge's.
 */

import type { EventPosition, Page } from "../data/rows.js";
import { encodeCursor } from "../pagination/cursor.js";

export interface Connection<N> {
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function eventCursor(row: EventPosition): string {
  return encodeCursor({
    kind: "event",
    block: row.blockNumber,
    logIndex: row.logIndex,
    id: row.id,
  });
}

export function eventConnection<R extends EventPosition, N>(
  page: Page<R>,
  toNode: (row: R) => N,
): Connection<N> {
  const edges = page.rows.map((row) => ({ cursor: eventCursor(row), node: toNode(row) }));
  return {
    edges,
    pageInfo: { hasNextPage: page.hasMore, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
