/**
 * The newest events of a range, each once: SQL that reads newest first and stops early.
 *
 * Why not `FINAL`: it merges every part's rows of the range before the sort, so a "latest
 * 200" table read the whole range (5 M fund events over a year at the bench's scale 0.1), and
 * ClickHouse uses no projection under it (migration 0012). Event rows written twice are
 * identical (the exporter rewrites the same rows, exporter.ts), so keeping one row per
 * (chain_id, block_number, log_index) of the newest rows shows what `FINAL` showed. The inner
 * query orders as the sorting key (block_time, chain_id, block_number, log_index — after the
 * exchange, and the account in the projection), so ClickHouse reads in order and stops after
 * 2 × `limit` rows; de-duplicating inside it would make it read the whole range again. Fewer
 * than `limit` rows would show only if more than `limit` of the newest 2 × `limit` rows were
 * unmerged copies. `columns` must name the block time `time`.
 */
export function newestEvents(columns: string, table: string, where: string, limit: number): string {
  const order = (time: string, chain: string, block: string, log: string) =>
    `ORDER BY ${time} DESC, ${chain} DESC, ${block} DESC, ${log} DESC`;
  return `SELECT * EXCEPT (_chain, _block, _log)
FROM (
  SELECT ${columns},
    chain_id AS _chain, block_number AS _block, log_index AS _log
  FROM ${table}
  WHERE ${where}
  ${order("block_time", "chain_id", "block_number", "log_index")}
  LIMIT ${2 * limit}
)
${order("time", "_chain", "_block", "_log")}
LIMIT 1 BY _chain, _block, _log
LIMIT ${limit}`;
}
