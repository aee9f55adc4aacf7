import { createSchema } from "graphql-yoga";
import { describe, expect, it } from "vitest";
import { gql } from "../http/graphqlRealm.js";
import {
  AddressScalar,
  BigIntScalar,
  DecimalScalar,
  scalarResolvers,
  TimestampScalar,
} from "./scalars.js";

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    scalar BigInt
    scalar Decimal
    scalar Address
    scalar Timestamp
    type Query {
      echo(b: BigInt, d: Decimal, a: Address, t: Timestamp): String!
    }
  `,
  resolvers: {
    ...scalarResolvers,
    Query: {
      echo: (_: unknown, args: Record<string, unknown>) =>
        JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)),
    },
  },
});

async function run(source: string, variableValues?: Record<string, unknown>) {
  return gql.graphql({ schema, source, variableValues });
}

describe("scalars on output", () => {
  it("write bigints as exact strings", () => {
    expect(BigIntScalar.serialize(2n ** 200n)).toBe((2n ** 200n).toString());
    expect(DecimalScalar.serialize(-25n * 10n ** 16n)).toBe("-0.25");
    expect(AddressScalar.serialize("0xABCDEF0000000000000000000000000000000001")).toBe(
      "0xabcdef0000000000000000000000000000000001",
    );
    expect(TimestampScalar.serialize(1_767_225_605n)).toBe("2026-01-01T00:00:05.000Z");
  });
  it("refuse to write a JS number as a Decimal (it would be lossy)", () => {
    expect(() => DecimalScalar.serialize(1.5)).toThrow();
  });
});

describe("scalars on input", () => {
  it("read inline literals and variables alike", async () => {
    const inline = await run(
      `{ echo(b: "123456789012345678901234567890", d: "0.5", a: "0xABCDEF0000000000000000000000000000000001", t: "2026-01-01T00:00:05Z") }`,
    );
    expect(inline.errors).toBeUndefined();
    const vars = await run(
      "query ($b: BigInt, $d: Decimal, $a: Address, $t: Timestamp) { echo(b: $b, d: $d, a: $a, t: $t) }",
      {
        b: "123456789012345678901234567890",
        d: 0.5,
        a: "0xABCDEF0000000000000000000000000000000001",
        t: "2026-01-01T00:00:05Z",
      },
    );
    expect(vars.errors).toBeUndefined();
    expect(vars.data).toEqual(inline.data);
    expect(JSON.parse(String(inline.data?.echo))).toEqual({
      b: "123456789012345678901234567890n",
      d: "500000000000000000n",
      a: "0xabcdef0000000000000000000000000000000001",
      t: "1767225605n",
    });
  });

  it.each([
    ["b", "BigInt", '"12.5"'],
    ["b", "BigInt", "1.5"],
    ["d", "Decimal", '"abc"'],
    ["d", "Decimal", '"0.0000000000000000001"'],
    ["a", "Address", '"0x1234"'],
    ["a", "Address", "12"],
    ["t", "Timestamp", '"yesterday"'],
    ["t", "Timestamp", "5"],
  ])(
    "a malformed %s (%s) literal %s is BAD_USER_INPUT with a clear message",
    async (arg, scalar, lit) => {
      const r = await run(`{ echo(${arg}: ${lit}) }`);
      expect(r.errors).toHaveLength(1);
      expect(r.errors![0]!.extensions.code).toBe("BAD_USER_INPUT");
      expect(r.errors![0]!.message).toContain(`${scalar}: expected`);
    },
  );

  it.each([
    ["b", "BigInt", "1.5"],
    ["d", "Decimal", "abc"],
    ["a", "Address", "0xZZ"],
    ["t", "Timestamp", "2026-13-45"],
  ])("a malformed %s (%s) variable is BAD_USER_INPUT", async (arg, scalar, value) => {
    const r = await run(`query ($v: ${scalar}) { echo(${arg}: $v) }`, { v: value });
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.extensions.code).toBe("BAD_USER_INPUT");
    expect(r.errors![0]!.message).toContain(`${scalar}: expected`);
  });

  it("reads a Decimal typed as an inline Int or Float literal exactly as written", () => {
    expect(DecimalScalar.parseLiteral({ kind: gql.Kind.FLOAT, value: "0.1" })).toBe(10n ** 17n);
    expect(DecimalScalar.parseLiteral({ kind: gql.Kind.INT, value: "7" })).toBe(7n * 10n ** 18n);
  });
});
