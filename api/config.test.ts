import { describe, expect, it } from "vitest";
import { loadApiConfig } from "./config.js";

describe("loadApiConfig", () => {
  it("has defaults for everything", () => {
    expect(loadApiConfig({})).toEqual({
      limits: { maxDepth: 10, maxAliases: 20, maxTokens: 2000, maxCost: 50_000 },
      freshnessMs: 200,
      staleMs: 2000,
      pollIntervalMs: 250,
      keptSnapshots: 8,
      responseCacheEntries: 10_000,
      warmSliceMs: 4,
      plainQueries: true,
      admission: { enabled: true, workers: 1, maxQueued: 32, deadlineMs: 10_000 },
      frontDoor: true,
      alertsUrl: null,
      // The devnet's: no keys, anonymous callers read everything, unlimited; no CORS origin.
      auth: {
        anonymous: "everything",
        anonymousLimits: { requests: null, cost: null },
        keys: [],
        windowMs: 60_000,
        corsOrigins: [],
      },
    });
  });
  it("reads overrides", () => {
    expect(loadApiConfig({ PERPWATCH_API_MAX_DEPTH: "12" }).limits.maxDepth).toBe(12);
    expect(loadApiConfig({ PERPWATCH_API_PLAIN_QUERIES: "0" }).plainQueries).toBe(false);
    expect(loadApiConfig({ PERPWATCH_API_FRONT_DOOR: "0" }).frontDoor).toBe(false);
    expect(
      loadApiConfig({
        PERPWATCH_API_ADMISSION: "0",
        PERPWATCH_API_ANALYTICS_WORKERS: "0",
        PERPWATCH_API_ANALYTICS_QUEUE: "5",
        PERPWATCH_API_ANALYTICS_DEADLINE_MS: "250",
      }).admission,
    ).toEqual({ enabled: false, workers: 0, maxQueued: 5, deadlineMs: 250 });
  });
  it.each([
    ["PERPWATCH_API_MAX_DEPTH", "deep", "expected an integer from 2 to 100"],
    ["PERPWATCH_API_MAX_COST", "-5", "expected an integer from 100 to"],
    ["PERPWATCH_API_POLL_MS", "1.5", "expected an integer from 10 to 60000"],
    ["PERPWATCH_API_PLAIN_QUERIES", "yes", "expected an integer from 0 to 1"],
    ["PERPWATCH_API_ANALYTICS_WORKERS", "many", "expected an integer from 0 to 64"],
    ["PERPWATCH_API_FRONT_DOOR", "off", "expected an integer from 0 to 1"],
  ])("refuses %s=%s in one line naming the key", (key, value, expected) => {
    expect(() => loadApiConfig({ [key]: value })).toThrow(`${key}: ${expected}`);
    try {
      loadApiConfig({ [key]: value });
    } catch (err) {
      expect((err as Error).message).toContain(`(got "${value}")`);
      expect((err as Error).message).not.toContain("\n");
    }
  });
});
