import { describe, expect, it } from "vitest";
import { blockDigests, rangeDigest } from "./blockDigest.js";

const row = (block: number, id: string, extra: Record<string, string> = {}) => ({
  id,
  blockNumber: String(block),
  logIndex: 0,
  ...extra,
});

describe("block digests", () => {
  const base = new Map([
    ["trades", [row(5, "a", { size: "1" }), row(6, "b"), row(6, "c")]],
    ["prices", [row(7, "d", { price: "10" })]],
  ]);

  it("do not depend on row or field order", () => {
    const shuffled = new Map([
      ["prices", [{ price: "10", logIndex: 0, blockNumber: "7", id: "d" }]],
      ["trades", [row(6, "c"), row(6, "b"), row(5, "a", { size: "1" })]],
    ]);
    expect(blockDigests(shuffled)).toEqual(blockDigests(base));
  });

  it("change when any field of any event in the range changes", () => {
    const d = blockDigests(base);
    const changed = blockDigests(
      new Map([
        ["trades", [row(5, "a", { size: "1" }), row(6, "b"), row(6, "c")]],
        ["prices", [row(7, "d", { price: "11" })]],
      ]),
    );
    expect(rangeDigest(changed, 5, 6)).toBe(rangeDigest(d, 5, 6));
    expect(rangeDigest(changed, 5, 7)).not.toBe(rangeDigest(d, 5, 7));
  });

  it("see an event moving to another block and a block emptied", () => {
    const d = blockDigests(base);
    const moved = blockDigests(
      new Map([
        ["trades", [row(5, "a", { size: "1" }), row(6, "b"), row(7, "c")]],
        ["prices", [row(7, "d", { price: "10" })]],
      ]),
    );
    expect(rangeDigest(moved, 5, 7)).not.toBe(rangeDigest(d, 5, 7));
    const emptied = blockDigests(new Map([["trades", [row(5, "a", { size: "1" })]]]));
    expect(rangeDigest(emptied, 5, 7)).not.toBe(rangeDigest(d, 5, 7));
    expect(rangeDigest(emptied, 8, 9)).toBe(rangeDigest(new Map(), 1, 0));
  });
});
