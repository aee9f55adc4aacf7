/**
 * Argument checks shared by the resolvers: ids, numbers in range, page sizes. Each failure is a
 * `BAD_USER_INPUT` (or `NOT_FOUND` for a well-formed id that does not exist) whose message
 * names the argument, what was expected and what came.
 */
import type { AccountRow, MarketRow } from "./data/rows.js";
import type { Snapshot } from "./data/snapshot.js";
import { badInput, notFound } from "./errors.js";

const DECIMAL_ID = /^\d{1,78}$/;

/** A decimal id (`"1"`, `"42"`) as a bigint. */
export function parseId(arg: string, value: unknown, what: string): bigint {
  if (typeof value === "string" && DECIMAL_ID.test(value)) return BigInt(value);
  throw badInput(arg, `a decimal ${what} id such as "1"`, value);
}

export function optionalId(arg: string, value: unknown, what: string): bigint | undefined {
  return value === undefined || value === null ? undefined : parseId(arg, value, what);
}

export function marketById(snap: Snapshot, arg: string, value: unknown): MarketRow {
  const id = parseId(arg, value, "market");
  const m = snap.market(id);
  if (!m) throw notFound("market", id.toString());
  return m;
}

export function accountById(snap: Snapshot, arg: string, value: unknown): AccountRow {
  const id = parseId(arg, value, "account");
  const a = snap.account(id);
  if (!a) throw notFound("account", id.toString());
  return a;
}

/** An integer in [min, max]. */
export function intIn(arg: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(arg, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** A finite number strictly between `lo` and `hi` (or with `inclusive`, within). */
export function floatIn(arg: string, value: unknown, lo: number, hi: number, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !(value > lo && value < hi)) {
    throw badInput(arg, what, value);
  }
  return value;
}

/** An optional block bound (BigInt, already parsed by the scalar) that must not be negative. */
export function blockBound(arg: string, value: unknown): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "bigint" || value < 0n) throw badInput(arg, "a block number ≥ 0", value);
  return value;
}
