import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntMap } from "../engine/pool/index.js";
import { decodeState, encodeState } from "./stateCodec.js";

const plain: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.bigInt(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.integer(),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(
      fc.string().filter((k) => k !== "__proto__"),
      tie("value"),
      { maxKeys: 4, noNullPrototype: true },
    ),
    fc
      .array(fc.tuple(fc.oneof(fc.integer(), fc.string(), fc.bigInt()), tie("value")), {
        maxLength: 4,
      })
      .map((entries) => new Map(entries)),
  ),
})).value;

describe("state codec", () => {
  it("round-trips bigints, maps, arrays and plain objects exactly", () => {
    fc.assert(
      fc.property(plain, (v) => {
        expect(decodeState(encodeState(v))).toEqual(v);
      }),
    );
  });

  it("keeps 256-bit values and negative numbers exact", () => {
    const s = {
      growth: (1n << 255n) - 1n,
      debt: -(10n ** 30n),
      ticks: new Map([[-887220, { net: -5n }]]),
    };
    expect(decodeState(encodeState(s))).toEqual(s);
  });

  it("round-trips the engine's persistent IntMap", () => {
    const m = IntMap.empty<{ g: bigint }>().set(-887220, { g: 1n }).set(60, { g: -2n });
    const back = decodeState<{ ticks: IntMap<{ g: bigint }> }>(encodeState({ ticks: m }));
    expect(back.ticks).toBeInstanceOf(IntMap);
    expect([...back.ticks.entries()]).toEqual([...m.entries()]);
  });

  it("refuses what it cannot round-trip, naming where", () => {
    expect(() => encodeState({ a: [1, new Date(0)] })).toThrow(/state\.a\[1\] is a Date/);
    expect(() => encodeState({ x: Number.NaN })).toThrow(/state\.x is NaN/);
  });
});
