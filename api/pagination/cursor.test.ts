import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, pageSize } from "./cursor.js";

describe("cursors", () => {
  it("round-trip event and account cursors", () => {
    const e = { kind: "event", block: 123n, logIndex: 4, id: "0xabc-4" } as const;
    expect(decodeCursor("event", encodeCursor(e))).toEqual(e);
    const a = {
      kind: "account",
      order: "MARGIN_RATIO_DESC",
      checkpoint: "0001",
      key: "-12",
      id: 77n,
    } as const;
    expect(decodeCursor("account", encodeCursor(a))).toEqual(a);
    expect(decodeCursor("account", encodeCursor({ ...a, key: "inf" })).key).toBe("inf");
  });

  it("are opaque strings without padding or JSON visible", () => {
    const c = encodeCursor({ kind: "event", block: 1n, logIndex: 0, id: "x" });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ["garbage", "not a cursor!"],
    ["empty", ""],
    ["base64 of non-JSON", Buffer.from("hello").toString("base64url")],
    [
      "wrong list",
      encodeCursor({ kind: "account", order: "X", checkpoint: "1", key: "1", id: 1n }),
    ],
    [
      "edited block",
      Buffer.from(JSON.stringify({ k: "e", b: "-1", l: 0, i: "x" })).toString("base64url"),
    ],
  ])("refuse %s as BAD_USER_INPUT naming the argument", (_name, text) => {
    try {
      decodeCursor("event", text);
      expect.unreachable();
    } catch (err) {
      const e = err as { message: string; extensions: { code: string } };
      expect(e.extensions.code).toBe("BAD_USER_INPUT");
      expect(e.message).toMatch(/^after: expected a cursor/);
    }
  });
});

describe("pageSize", () => {
  it("accepts 1 to 1000", () => {
    expect(pageSize(1)).toBe(1);
    expect(pageSize(1000)).toBe(1000);
  });
  it.each([0, -5, 1001, 2 ** 31 - 1, 1.5])("refuses %s with the allowed range", (n) => {
    expect(() => pageSize(n)).toThrow("first: expected an integer from 1 to 1000");
  });
});
