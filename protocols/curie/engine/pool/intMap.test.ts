import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntMap } from "./intMap.js";

const key = fc.integer({ min: -(2 ** 20), max: 2 ** 20 - 1 });
const op = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant("delete" as const), key }),
);

describe("IntMap", () => {
  it("behaves like a Map, iterates in key order, and never changes an older version", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let m = IntMap.empty<number>();
        const model = new Map<number, number>();
        const versions: [IntMap<number>, [number, number][]][] = [];
        for (const o of ops) {
          versions.push([m, [...model].sort((a, b) => a[0] - b[0])]);
          if (o.kind === "set") {
            m = m.set(o.key, o.value);
            model.set(o.key, o.value);
          } else {
            m = m.delete(o.key);
            model.delete(o.key);
          }
          expect(m.size).toBe(model.size);
          for (const k of model.keys()) expect(m.get(k)).toBe(model.get(k));
        }
        expect([...m.entries()]).toEqual([...model].sort((a, b) => a[0] - b[0]));
        for (const [v, entries] of versions) expect([...v.entries()]).toEqual(entries);
      }),
    );
  });

  it("rejects keys outside [-2^20, 2^20) with one clear line", () => {
    expect(() => IntMap.empty().set(2 ** 20, 1)).toThrow(/key 1048576 is not an integer in/);
    expect(() => IntMap.empty().set(1.5, 1)).toThrow(/key 1.5/);
  });
});
