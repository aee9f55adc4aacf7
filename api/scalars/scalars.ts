/**
 * The schema's custom scalars: `BigInt` and `Decimal` as strings, `Address`, `Timestamp`.
 *
 * Why strings: a JSON number is a float64 in most clients, and on-chain amounts (wei, D18
 * prices, block numbers of other chains) do not fit one. Resolvers hand these scalars
 * `bigint`s — D18 for `Decimal`, plain integers for `BigInt`, unix seconds for `Timestamp` —
 * and the scalars turn them into exact text. On input a malformed value is a
 * `BAD_USER_INPUT` error that says what was expected, whether it came inline or in variables.
 */
import type { GraphQLError, ValueNode } from "graphql";
import { ErrorCode, show } from "../errors.js";
import { gql } from "../http/graphqlRealm.js";
import { formatD18, parseD18 } from "./d18Text.js";

function inputError(scalar: string, expected: string, got: unknown): GraphQLError {
  return new gql.GraphQLError(`${scalar}: expected ${expected} (got ${show(got)})`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT },
  });
}

function outputError(scalar: string, got: unknown): GraphQLError {
  // A resolver bug, not the client's: masked as an internal error.
  return new gql.GraphQLError(`${scalar} cannot serialize ${typeof got}`);
}

/** Literal text of an inline value (numbers keep exactly the digits written). */
function literalText(node: ValueNode): string | undefined {
  if (node.kind === gql.Kind.STRING || node.kind === gql.Kind.INT || node.kind === gql.Kind.FLOAT) {
    return node.value;
  }
  return undefined;
}

const INTEGER = /^-?\d{1,78}$/;

function parseBigInt(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && INTEGER.test(v.trim())) return BigInt(v.trim());
  throw inputError("BigInt", 'an integer as a decimal string, such as "1200"', v);
}

export const BigIntScalar = new gql.GraphQLScalarType<bigint, string>({
  name: "BigInt",
  serialize(v) {
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
    throw outputError("BigInt", v);
  },
  parseValue: parseBigInt,
  parseLiteral(node) {
    const t = literalText(node);
    if (t === undefined || node.kind === gql.Kind.FLOAT) {
      throw inputError("BigInt", 'an integer as a decimal string, such as "1200"', t ?? node.kind);
    }
    return parseBigInt(t);
  },
});

function parseDecimal(v: unknown): bigint {
  let text: string | undefined;
  if (typeof v === "string") text = v;
  else if (typeof v === "number" && Number.isFinite(v)) text = String(v);
  if (text !== undefined) {
    const r = parseD18(text);
    if (r.ok) return r.value;
    throw inputError("Decimal", r.why, v);
  }
  throw inputError("Decimal", 'a decimal number as a string, such as "1234.5"', v);
}

export const DecimalScalar = new gql.GraphQLScalarType<bigint, string>({
  name: "Decimal",
  serialize(v) {
    if (typeof v === "bigint") return formatD18(v);
    throw outputError("Decimal", v);
  },
  parseValue: parseDecimal,
  parseLiteral(node) {
    const t = literalText(node);
    if (t === undefined) {
      throw inputError("Decimal", 'a decimal number as a string, such as "1234.5"', node.kind);
    }
    return parseDecimal(t);
  },
});

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function parseAddress(v: unknown): string {
  if (typeof v === "string" && ADDRESS.test(v)) return v.toLowerCase();
  throw inputError("Address", "a 0x-prefixed 20-byte hex address (42 characters)", v);
}

export const AddressScalar = new gql.GraphQLScalarType<string, string>({
  name: "Address",
  serialize(v) {
    if (typeof v === "string" && ADDRESS.test(v)) return v.toLowerCase();
    throw outputError("Address", v);
  },
  parseValue: parseAddress,
  parseLiteral(node) {
    if (node.kind !== gql.Kind.STRING) {
      throw inputError("Address", "a 0x-prefixed 20-byte hex address (42 characters)", node.kind);
    }
    return parseAddress(node.value);
  },
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Latest representable: year 9999. */
const MAX_SECONDS = 253_402_300_799n;

function parseTimestamp(v: unknown): bigint {
  if (typeof v === "string" && ISO.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms) && ms >= 0) return BigInt(Math.floor(ms / 1000));
  }
  throw inputError(
    "Timestamp",
    'an ISO-8601 UTC time at or after 1970, such as "2026-01-01T00:00:00Z"',
    v,
  );
}

export const TimestampScalar = new gql.GraphQLScalarType<bigint, string>({
  name: "Timestamp",
  serialize(v) {
    const s = typeof v === "bigint" ? v : typeof v === "number" ? BigInt(Math.trunc(v)) : null;
    if (s === null || s < 0n || s > MAX_SECONDS) throw outputError("Timestamp", v);
    return new Date(Number(s) * 1000).toISOString();
  },
  parseValue: parseTimestamp,
  parseLiteral(node) {
    if (node.kind !== gql.Kind.STRING) {
      throw inputError(
        "Timestamp",
        'an ISO-8601 time string such as "2026-01-01T00:00:00Z"',
        node.kind,
      );
    }
    return parseTimestamp(node.value);
  },
});

/**
 * The scalars as resolver maps for `createSchema`: their functions only, so the descriptions
 * written in schema.graphql stay (graphql-tools copies every property of a resolver, and a
 * scalar instance's `description` is undefined here).
 */
export const scalarResolvers = Object.fromEntries(
  [BigIntScalar, DecimalScalar, AddressScalar, TimestampScalar].map((s) => [
    s.name,
    { serialize: s.serialize, parseValue: s.parseValue, parseLiteral: s.parseLiteral },
  ]),
);
