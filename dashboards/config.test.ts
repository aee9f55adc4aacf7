import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DashboardsConfigError, loadClickHouseConfig, loadExporterConfig } from "./config.js";

describe("dashboards configuration", () => {
  it("defaults to embedded ClickHouse in .perpwatch/clickhouse and Ponder on 42069", () => {
    const c = loadExporterConfig({});
    expect(c.clickhouse).toEqual({
      database: "perpwatch",
      target: { kind: "embedded", path: resolve(".perpwatch/clickhouse") },
    });
    expect(c.ponderUrl).toBe("http://127.0.0.1:42069");
    expect(c.finalityDepth).toBeUndefined();
    expect(c.rpcUrl).toBeUndefined();
  });

  it("uses a ClickHouse server when CLICKHOUSE_URL is set", () => {
    expect(
      loadClickHouseConfig({
        CLICKHOUSE_URL: "http://ch:8123/",
        CLICKHOUSE_USER: "pw",
        CLICKHOUSE_PASSWORD: "secret",
        CLICKHOUSE_DATABASE: "risk",
      }),
    ).toEqual({
      database: "risk",
      target: { kind: "server", url: "http://ch:8123", username: "pw", password: "secret" },
    });
  });

  it("takes the indexer's RPC URL only when it is HTTP", () => {
    expect(loadExporterConfig({ PERPWATCH_RPC_URL: "http://node:8545" }).rpcUrl).toBe(
      "http://node:8545",
    );
    expect(loadExporterConfig({ PERPWATCH_RPC_URL: "ws://node:8546" }).rpcUrl).toBeUndefined();
  });

  it("rejects a bad value with one line naming the key, the value and what was expected", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [
        { CLICKHOUSE_URL: "ch:8123" },
        /^CLICKHOUSE_URL: expected an http:\/\/ or https:\/\/ URL \(got "ch:8123"\)$/,
      ],
      [
        { CLICKHOUSE_DATABASE: "risk-db" },
        /^CLICKHOUSE_DATABASE: expected a database name .*\(got "risk-db"\)$/,
      ],
      [
        { PERPWATCH_EXPORT_INTERVAL_MS: "fast" },
        /^PERPWATCH_EXPORT_INTERVAL_MS: expected milliseconds/,
      ],
      [
        { PERPWATCH_TOP_ACCOUNTS: "5000" },
        /^PERPWATCH_TOP_ACCOUNTS: expected an account count from 1 to 1000 \(got "5000"\)$/,
      ],
      [
        { PERPWATCH_LADDER_STEP: "0.5", PERPWATCH_LADDER_MAX_MOVE: "0.2" },
        /^PERPWATCH_LADDER_STEP: expected at most/,
      ],
    ];
    for (const [env, re] of cases) {
      let error: unknown;
      try {
        loadExporterConfig(env);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(DashboardsConfigError);
      expect((error as Error).message).toMatch(re);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});
