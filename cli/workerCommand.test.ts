import { describe, expect, it } from "vitest";
import { resolveWorkerConfigs } from "./workerCommand.js";

const raw = {
  api: "http://127.0.0.1:42069",
  alerts: true,
  exporter: false,
  localReceiver: true,
  receiverPort: "0",
};

describe("resolveWorkerConfigs: where the alert store is", () => {
  it("is PostgreSQL when PERPWATCH_ALERTS_STORE_URL names one, whatever the state folder", () => {
    const url = "postgres://perpwatch:pw@postgres:5432/perpwatch";
    const { alerts } = resolveWorkerConfigs(
      { ...raw, stateDir: "/tmp/state" },
      { PERPWATCH_ALERTS_STORE_URL: url },
    );
    expect(alerts!.store).toMatchObject({ kind: "postgres", url, schema: "perpwatch_alerts" });
  });

  it("is PGlite in the state folder without it, and a bad URL is one line", () => {
    const { alerts } = resolveWorkerConfigs({ ...raw, stateDir: "/tmp/state" }, {});
    expect(alerts!.store).toMatchObject({ kind: "pglite", directory: "/tmp/state/alerts" });
    expect(() =>
      resolveWorkerConfigs(raw, { PERPWATCH_ALERTS_STORE_URL: "mysql://x@y/z" }),
    ).toThrow(/store.*expected a postgres:\/\/ URL/);
  });
});

describe("resolveWorkerConfigs: API replicas", () => {
  it("--api takes several comma-separated APIs: the alerts get them all, in order", () => {
    const { alerts } = resolveWorkerConfigs(
      { ...raw, api: "http://api-1:42069, http://api-2:42069/graphql" },
      {},
    );
    expect(alerts!.api.urls).toEqual(["http://api-1:42069/graphql", "http://api-2:42069/graphql"]);
    expect(alerts!.api.url).toBe("http://api-1:42069/graphql");
    expect(() => resolveWorkerConfigs({ ...raw, api: "http://api-1:42069,nope" }, {})).toThrow(
      /option --api: expected the API's root URL/,
    );
  });
});
