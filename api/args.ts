/**
 * Argument checks shared by the resolvers: ids, numbers in range, page sizes. Each failure is a
 * `BAD_USER_INPUT` (or `NOT_FOUND` for a well-formed id that does not exist) whose message
 * names the argument, what was expected and what came.
 *
 * The arguments are typed from schema.graphql (api/generated/schemaTypes.ts), which says what
 * graphql-js has already checked (an `Int` is an integer, an `ID!` is present); these checks add
 * what the schema cannot say (ranges, id syntax, an explicit null where a default exists).
 */
import type { AccountRow, MarketRow } from "./data/rows.js";
import type { Snapshot } from "./data/snapshot.js";
import { badInput, notFound } from "./errors.js";
import type { InputMaybe, Scalars } from "./generated/schemaTypes.js";

type Id = Scalars["ID"]["input"];
/** An argument that may be omitted (no default) or sent as null. */
type Optional<T> = InputMaybe<T> | undefined;

/**
 * The `args` graphql-js passes to field `F` of an object type, read from that type's generated
 * resolver map `R`, defaults applied: for the node classes, whose methods graphql-js's default
 * resolver calls with `(args, context)`. `ArgsOf<AccountResolvers, "trades">` is
 * `{ first: number | null; after?: string | null }`.
 */
export type ArgsOf<R, F extends keyof R> =
  NonNullable<R[F]> extends (parent: never, args: infer A, ...rest: never[]) => unknown ? A : never;

/**
 * Canonical decimal ids only: `"0"` or digits without a leading zero. `"01"` names no id (it is
 * not how the API writes account 1), so it is refused rather than read as 1 — one id, one
 * spelling, so answers and cache keys never differ for the same thing.
 */
const DECIMAL_ID = /^(0|[1-9]\d{0,77})$/;

/** A decimal id (`"1"`, `"42"`) as a bigint. */
export function parseId(arg: string, value: Id, what: string): bigint {
  if (typeof value === "string" && DECIMAL_ID.test(value)) return BigInt(value);
  throw badInput(arg, `a decimal ${what} id such as "1", without leading zeros`, value);
}

export function optionalId(arg: string, value: Optional<Id>, what: string): bigint | undefined {
  return value === undefined || value === null ? undefined : parseId(arg, value, what);
}

export function marketById(snap: Snapshot, arg: string, value: Id): MarketRow {
  const id = parseId(arg, value, "market");
  const m = snap.market(id);
  if (!m) throw notFound("market", id.toString());
  return m;
}

export function accountById(snap: Snapshot, arg: string, value: Id): AccountRow {
  const id = parseId(arg, value, "account");
  const a = snap.account(id);
  if (!a) throw notFound("account", id.toString());
  return a;
}

/** An integer in [min, max]. */
export function intIn(arg: string, value: Optional<number>, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(arg, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

/** A finite number strictly between `lo` and `hi` (or with `inclusive`, within). */
export function floatIn(
  arg: string,
  value: Optional<number>,
  lo: number,
  hi: number,
  what: string,
): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !(value > lo && value < hi)) {
    throw badInput(arg, what, value);
  }
  return value;
}

/** An optional block bound (BigInt, already parsed by the scalar) that must not be negative. */
export function blockBound(arg: string, value: Optional<bigint>): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "bigint" || value < 0n) throw badInput(arg, "a block number ≥ 0", value);
  return value;
}
