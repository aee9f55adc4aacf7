/**
 * Digests of the events of each block, and of a range of blocks: how the exporter tells that
 * a risk snapshot it took at the indexed head was of blocks that a reorg later replaced.
 *
 * Why digests of events: the worker sees the chain only through the indexer's tables, which
 * hold no block hashes; but every state change the exchange makes emits an event carrying
 * its post-state (REFERENCE-MODEL.md), and Ponder's event id encodes the block's timestamp.
 * So if the events of blocks (final, head] are the same now as when the snapshot was taken,
 * the state the snapshot was computed from is the same; if any differ, the snapshot was of a
 * fork that no longer exists. A block's digest is a hash of its rows (table name and every
 * field, in a canonical order); a range's digest chains the digests of its non-empty blocks.
 */
import { createHash } from "node:crypto";
import type { PonderRow } from "./eventTables.js";

function canonical(row: PonderRow): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((k) => [k, row[k] ?? null]),
  );
}

/** Per-block digests of `tables` (table name → rows, each row with `blockNumber`). */
export function blockDigests(
  tables: ReadonlyMap<string, readonly PonderRow[]>,
): Map<number, string> {
  const lines = new Map<number, string[]>();
  for (const [table, rows] of tables) {
    for (const row of rows) {
      const block = Number(row.blockNumber);
      if (!Number.isSafeInteger(block)) throw new RangeError(`${table}: row without a blockNumber`);
      const list = lines.get(block) ?? [];
      if (list.length === 0) lines.set(block, list);
      list.push(`${table}\t${canonical(row)}`);
    }
  }
  const out = new Map<number, string>();
  for (const [block, list] of lines) {
    list.sort();
    out.set(block, createHash("sha256").update(list.join("\n")).digest("hex"));
  }
  return out;
}

/** Digest of the events of blocks [from, to] (inclusive), from per-block digests. */
export function rangeDigest(
  digests: ReadonlyMap<number, string>,
  from: number,
  to: number,
): string {
  const h = createHash("sha256");
  const blocks = [...digests.keys()].filter((b) => b >= from && b <= to).sort((a, b) => a - b);
  for (const b of blocks) h.update(`${b}:${digests.get(b)}\n`);
  return h.digest("hex");
}
