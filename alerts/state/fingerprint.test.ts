import { describe, expect, it } from "vitest";
import { fingerprint } from "./fingerprint.js";

describe("fingerprint", () => {
  it("is the same for the same labels in any order", () => {
    const a = fingerprint({ alertname: "skew", market: "ETH", severity: "warning" });
    const b = fingerprint({ severity: "warning", market: "ETH", alertname: "skew" });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it("differs when any label differs", () => {
    const base = { alertname: "skew", market: "ETH", severity: "warning" };
    const fp = fingerprint(base);
    expect(fingerprint({ ...base, market: "BTC" })).not.toBe(fp);
    expect(fingerprint({ ...base, team: "risk" })).not.toBe(fp);
    expect(fingerprint({ ...base, alertname: "skew2" })).not.toBe(fp);
  });

  it("does not confuse keys and values", () => {
    expect(fingerprint({ a: "b=c" })).not.toBe(fingerprint({ "a=b": "c" }));
  });
});
