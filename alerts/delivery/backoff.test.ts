import { describe, expect, it } from "vitest";
import { backoffMs, parseRetryAfter } from "./backoff.js";
import { sign, verify } from "./signature.js";

describe("backoff", () => {
  const opts = { initialMs: 500, maxMs: 8000 };
  it("grows exponentially, jittered within [½, 1] of the step, capped", () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, opts, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, opts, () => 0))).toEqual([
      250, 500, 1000, 2000, 4000, 4000,
    ]);
    const draws = Array.from({ length: 200 }, () => backoffMs(3, opts));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...draws)).toBeLessThanOrEqual(2000);
    expect(new Set(draws).size).toBeGreaterThan(50);
  });

  it("honours Retry-After up to the cap", () => {
    expect(backoffMs(1, opts, () => 0, 3000)).toBe(3000);
    expect(backoffMs(1, opts, () => 0, 60_000)).toBe(8000);
    expect(parseRetryAfter("2", 0)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe("HMAC signature", () => {
  it("verifies what was signed, rejects a changed body, a wrong secret and an old timestamp", () => {
    const body = '{"status":"firing"}';
    const signature = sign("s3cret", 1000, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    const ts = { signature, timestamp: "1000" };
    expect(verify("s3cret", ts, body, 1010)).toBe("ok");
    expect(verify("s3cret", ts, `${body} `, 1010)).toBe("bad-signature");
    expect(verify("other", ts, body, 1010)).toBe("bad-signature");
    expect(verify("s3cret", { ...ts, timestamp: "1001" }, body, 1010)).toBe("bad-signature");
    expect(verify("s3cret", ts, body, 2000)).toBe("too-old");
    expect(verify("s3cret", {}, body, 1000)).toBe("missing");
  });
});
