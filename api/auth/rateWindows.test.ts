import { describe, expect, it } from "vitest";
import { RateWindows } from "./rateWindows.js";

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("RateWindows", () => {
  it("counts requests per bucket and gives the budget back when the window ends", () => {
    const c = clock();
    const w = new RateWindows(60_000, c.now);
    const limits = { requests: 2, cost: null };
    expect(w.request("key:a", limits)).toBeNull();
    expect(w.request("key:a", limits)).toBeNull();
    c.advance(15_000);
    expect(w.request("key:a", limits)).toEqual({
      retryAfterS: 45,
      message: "rate limit of 2 requests per minute reached; retry in 45 s",
    });
    expect(w.request("key:b", limits), "another bucket has its own window").toBeNull();
    c.advance(45_000);
    expect(w.request("key:a", limits)).toBeNull();
  });

  it("charges cost until the budget, refuses without charging, and says when one query is too big", () => {
    const c = clock();
    const w = new RateWindows(1000, c.now);
    const limits = { requests: null, cost: 100 };
    expect(w.charge("k", limits, 60)).toBeNull();
    const refused = w.charge("k", limits, 60);
    expect(refused?.message).toBe(
      "rate limit of query cost 100 per 1000 ms (60 spent, this query costs 60) reached; retry in 1 s",
    );
    expect(w.charge("k", limits, 40), "the refused query was not charged").toBeNull();
    expect(w.charge("k", limits, 101)?.message).toMatch(/exceeds the budget of 100 .* on its own/);
    c.advance(1000);
    expect(w.charge("k", limits, 60)).toBeNull();
  });

  it("never limits an unlimited caller", () => {
    const w = new RateWindows(1000);
    for (let i = 0; i < 100; i++) {
      expect(w.request("k", { requests: null, cost: null })).toBeNull();
      expect(w.charge("k", { requests: null, cost: null }, 1e9)).toBeNull();
    }
  });
});
