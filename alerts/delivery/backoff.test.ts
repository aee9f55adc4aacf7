import { describe, expect, it } from "vitest";
import { backoffMs, parseRetryAfter, RETRY_AFTER_CAP_MS } from "./backoff.js";
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

  it("honours Retry-After beyond the backoff cap, up to 10 minutes", () => {
    expect(backoffMs(1, opts, () => 0, 3000)).toBe(3000);
    // PagerDuty asks for minutes after a 429: 60 s is honoured although maxMs is 8 s.
    expect(backoffMs(1, opts, () => 0, 60_000)).toBe(60_000);
    expect(backoffMs(1, opts, () => 0, 3_600_000)).toBe(RETRY_AFTER_CAP_MS);
    expect(RETRY_AFTER_CAP_MS).toBe(600_000);
    expect(parseRetryAfter("2", 0)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});

describe("Standard Webhooks signature", () => {
  const body = '{"status":"firing"}';
  const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";

  it("matches the specification's test vector", () => {
    // The example of standard-webhooks/spec (secret, id, timestamp, body → signature).
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const vector = '{"test": 2432232314}';
    expect(sign(secret, id, 1614265330, vector)).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("verifies what was signed; rejects a changed body, id, wrong secret, old timestamp", () => {
    const signature = sign("s3cret", id, 1000, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const h = { id, signature, timestamp: "1000" };
    expect(verify("s3cret", h, body, 1010)).toBe("ok");
    expect(verify("s3cret", h, `${body} `, 1010)).toBe("bad-signature");
    // The id (the idempotency key) is covered: a replay under another key fails.
    expect(verify("s3cret", { ...h, id: "msg_other" }, body, 1010)).toBe("bad-signature");
    expect(verify("other", h, body, 1010)).toBe("bad-signature");
    expect(verify("s3cret", { ...h, timestamp: "1001" }, body, 1010)).toBe("bad-signature");
    expect(verify("s3cret", h, body, 2000)).toBe("too-old");
    expect(verify("s3cret", {}, body, 1000)).toBe("missing");
    expect(verify("s3cret", { ...h, id: undefined }, body, 1000)).toBe("missing");
  });

  it("rotation: one signature per active secret, either verifies", () => {
    const both = sign(["whsec_b2xkLXNlY3JldA==", "new-secret"], id, 1000, body);
    expect(both.split(" ")).toHaveLength(2);
    const h = { id, signature: both, timestamp: "1000" };
    expect(verify("whsec_b2xkLXNlY3JldA==", h, body, 1000)).toBe("ok");
    // whsec_ secrets are base64: "b2xkLXNlY3JldA==" is "old-secret".
    expect(verify("old-secret", h, body, 1000)).toBe("ok");
    expect(verify(["gone", "new-secret"], h, body, 1000)).toBe("ok");
    expect(verify(["gone"], h, body, 1000)).toBe("bad-signature");
  });
});
