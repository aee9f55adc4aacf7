import { describe, expect, it } from "vitest";
import { isReplayable, ResponseCache } from "./responseCache.js";

const ok = (body: string) => ({
  status: 200,
  headers: { "content-type": "application/json" },
  body,
});

describe("ResponseCache", () => {
  it("replays an answer for the same body at the same block only", () => {
    const c = new ResponseCache(10);
    expect(c.put("block-1", "q1", ok('{"data":{"a":1}}'))).toBe(true);
    expect(c.get("block-1", "q1")?.body).toBe('{"data":{"a":1}}');
    expect(c.get("block-1", "q2")).toBeUndefined();
    expect(c.get("block-2", "q1")).toBeUndefined();
  });

  it("drops every answer of the previous block when a newer one is stored", () => {
    const c = new ResponseCache(10);
    c.put("block-1", "q1", ok('{"data":{"a":1}}'));
    c.put("block-2", "q2", ok('{"data":{"a":2}}'));
    expect(c.size).toBe(1);
    expect(c.get("block-1", "q1")).toBeUndefined();
    expect(c.get("block-2", "q2")?.body).toBe('{"data":{"a":2}}');
  });

  it("keeps at most maxEntries answers per block, and nothing when disabled", () => {
    const c = new ResponseCache(2);
    expect(c.put("b", "q1", ok('{"data":1}'))).toBe(true);
    expect(c.put("b", "q2", ok('{"data":2}'))).toBe(true);
    expect(c.put("b", "q3", ok('{"data":3}'))).toBe(false);
    expect(c.get("b", "q3")).toBeUndefined();
    const off = new ResponseCache(0);
    expect(off.enabled).toBe(false);
    expect(off.put("b", "q1", ok('{"data":1}'))).toBe(false);
  });

  it("never keeps an error, a non-200 or an oversized answer", () => {
    expect(isReplayable(ok('{"data":null,"errors":[{"message":"x"}]}'))).toBe(false);
    expect(isReplayable(ok('{"errors":[{"message":"x"}]}'))).toBe(false);
    expect(isReplayable({ ...ok('{"data":{"a":1}}'), status: 400 })).toBe(false);
    expect(isReplayable(ok(`{"data":"${"x".repeat(300_000)}"}`))).toBe(false);
    // An escaped `"errors":` inside a string value is data, not an error.
    expect(isReplayable(ok(JSON.stringify({ data: { note: '"errors":' } })))).toBe(true);
  });
});
