/**
 * The compose stack provisions Grafana's read-only ClickHouse user, and Grafana uses it: the
 * server mounts the user file, the user's profile cannot write and its grant is SELECT on the
 * dashboards' database, Grafana's datasource logs in as it, and Grafana never receives the
 * exporter's read-write credentials. (The stack itself needs Docker; this checks its files.)
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const USERS = join(HERE, "clickhouse", "users.d", "grafana.xml");

interface Service {
  environment?: Record<string, string>;
  volumes?: string[];
}

const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};

describe("Grafana's read-only ClickHouse user in the compose stack", () => {
  it("the server mounts the user file and gets its password and grant", () => {
    const ch = compose.services.clickhouse!;
    expect(ch.volumes).toContain(
      "./dashboards/provisioning/clickhouse/users.d/grafana.xml:/etc/clickhouse-server/users.d/grafana.xml:ro",
    );
    expect(ch.environment?.CLICKHOUSE_GRAFANA_PASSWORD).toBeDefined();
    expect(ch.environment?.CLICKHOUSE_GRAFANA_GRANT).toMatch(
      /^GRANT SELECT ON \$\{CLICKHOUSE_DATABASE:-perpwatch\}\.\*$/,
    );
  });

  it("the user's profile is read-only, its limits capped, its password and grant from the environment", () => {
    const xml = readFileSync(USERS, "utf8");
    const profile = /<grafana_readonly>([\s\S]*?)<\/grafana_readonly>/.exec(xml)?.[1] ?? "";
    expect(profile).toMatch(/<readonly>2<\/readonly>/);
    expect(profile).toMatch(/<readonly><const\/><\/readonly>/);
    expect(profile).toMatch(/<max_execution_time><max>\d+<\/max><\/max_execution_time>/);
    const user = /<users>\s*<grafana>([\s\S]*?)<\/grafana>/.exec(xml)?.[1] ?? "";
    expect(user).toMatch(/<profile>grafana_readonly<\/profile>/);
    expect(user).toMatch(/<password from_env="CLICKHOUSE_GRAFANA_PASSWORD"\/>/);
    expect(user).toMatch(/<query from_env="CLICKHOUSE_GRAFANA_GRANT"\/>/);
    expect(user).not.toMatch(/access_management/);
  });

  it("Grafana's datasource logs in as that user, and Grafana has no read-write credentials", () => {
    const grafana = compose.services.grafana!.environment ?? {};
    expect(grafana.CLICKHOUSE_GRAFANA_USER).toBe("grafana");
    expect(grafana.CLICKHOUSE_GRAFANA_PASSWORD).toBe(
      compose.services.clickhouse!.environment?.CLICKHOUSE_GRAFANA_PASSWORD,
    );
    expect(Object.keys(grafana)).not.toContain("CLICKHOUSE_PASSWORD");
    expect(Object.keys(grafana)).not.toContain("CLICKHOUSE_USER");
    const ds = parse(readFileSync(join(HERE, "datasources", "clickhouse.yaml"), "utf8")) as {
      datasources: { jsonData: { username: string }; secureJsonData: { password: string } }[];
    };
    // Grafana expands $VAR / ${VAR} in provisioning files.
    expect(ds.datasources[0]!.jsonData.username).toBe(`$\{CLICKHOUSE_GRAFANA_USER}`);
    expect(ds.datasources[0]!.secureJsonData.password).toBe(`$\{CLICKHOUSE_GRAFANA_PASSWORD}`);
  });
});
