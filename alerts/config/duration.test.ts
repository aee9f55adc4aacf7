import { describe, expect, it } from "vitest";
import { durationMs, formatDuration, parseDuration } from "./duration.js";

describe("durations", () => {
  it("parses the units rule files use", () => {
    expect(parseDuration("0s")).toBe(0);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("1.5s")).toBe(1500);
  });

  it("rejects what is not a duration", () => {
    for (const bad of ["", "5", "5 minutes", "m5", "-1s", "5mm", "1y"]) {
      expect(parseDuration(bad), bad).toBeNull();
    }
  });

  it("formats back", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(250)).toBe("250ms");
  });

  it("as a zod type: numbers are seconds, bad strings say what was expected", () => {
    expect(durationMs.parse("2m")).toBe(120_000);
    expect(durationMs.parse(3)).toBe(3000);
    const r = durationMs.safeParse("soon");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(
      'expected a duration like "30s", "5m" or "1h" (got "soon")',
    );
  });
});
