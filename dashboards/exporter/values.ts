/**
 * Value conversions between Ponder's GraphQL rows and ClickHouse rows.
 *
 * Why exact decimals: on-chain amounts are D18 integers; ClickHouse keeps them as
 * Decimal(76, 18), so sums in ClickHouse equal the indexer's sums to the wei. Ponder's
 * GraphQL sends them as decimal strings of the integer, and we write them as decimal strings
 * of the amount ("-1234.5"), never through a float. Times go as ClickHouse's own text form.
 */

import type { ClickHouseHandle } from "../clickhouse/connect.js";

const SCALE = 10n ** 18n;

/**
 * A D18 integer (bigint, or the decimal string GraphQL sends) as an exact decimal string:
 * the point moved 18 digits by string slicing (no bigint arithmetic: this runs for every
 * amount of every exported row).
 */
export function d18(v: bigint | string | number): string {
  let s = typeof v === "string" ? v.trim() : typeof v === "bigint" ? v.toString() : String(v);
  const neg = s.startsWith("-");
  if (neg) s = s.slice(1);
  if (!/^\d+$/.test(s)) throw new RangeError(`not an integer: ${JSON.stringify(v)}`);
  const padded = s.padStart(19, "0");
  const int = padded.slice(0, -18).replace(/^0+(?=\d)/, "");
  const frac = padded.slice(-18).replace(/0+$/, "");
  const out = frac ? `${int}.${frac}` : int;
  return neg && out !== "0" ? `-${out}` : out;
}

/** An exact decimal string (as ClickHouse returns Decimal(76, 18)) back to a D18 bigint. */
export function fromDecimal(s: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,18}))?$/.exec(s.trim());
  if (!m) throw new RangeError(`not a decimal with at most 18 places: ${JSON.stringify(s)}`);
  const v = BigInt(m[2]!) * SCALE + BigInt((m[3] ?? "").padEnd(18, "0") || "0");
  return m[1] === "-" ? -v : v;
}

/** The block timestamp encoded in the first 10 digits of a Ponder event id (its checkpoint). */
export function blockTimeOfEventId(id: string): number {
  const t = Number(id.slice(0, 10));
  if (!/^\d{10}/.test(id) || !Number.isSafeInteger(t)) {
    throw new RangeError(`not a Ponder event id (checkpoint): ${JSON.stringify(id)}`);
  }
  return t;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** Milliseconds since the epoch as ClickHouse DateTime64(3) text, UTC. */
export function dateTime64(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/**
 * Inserts rows (objects with the same keys) into `<db>.<table>` as JSONCompactEachRow with an
 * explicit column list: the same rows as JSONEachRow, about 2.5× faster to write and parse.
 */
export async function insertRows(
  ch: ClickHouseHandle,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  await insertValues(
    ch,
    table,
    columns,
    rows.map((r) => columns.map((c) => r[c] ?? null)),
  );
}

/** Inserts rows given as arrays of values in `columns` order. */
export async function insertValues(
  ch: ClickHouseHandle,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  await ch.client.insert({
    table: `${ch.database}.${table}`,
    columns: columns as [string, ...string[]],
    values: rows as unknown[][],
    format: "JSONCompactEachRow",
  });
}

/** A Float64 column value: finite numbers only (ClickHouse JSON has no Infinity or NaN). */
export function finite(x: number, fallback = 0): number {
  return Number.isFinite(x) ? x : fallback;
}
