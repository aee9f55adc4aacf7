import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDashboard, DASHBOARDS } from "./build.js";
import { generateDashboards, JSON_DIR } from "./generate.js";
import { EXCHANGE, EXCHANGE_VARIABLE } from "./panelSpec.js";
import { checkDashboards } from "./schemaCheck.js";

describe("Grafana dashboards as code", () => {
  it("regenerating them from code gives exactly the committed JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "perpwatch-dashboards-"));
    try {
      const files = generateDashboards(dir);
      expect(
        readdirSync(JSON_DIR)
          .filter((f) => f.endsWith(".json"))
          .sort(),
      ).toEqual([...files].sort());
      for (const f of files) {
        expect({ f, json: readFileSync(join(JSON_DIR, f), "utf8") }).toEqual({
          f,
          json: readFileSync(join(dir, f), "utf8"),
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the committed JSON conforms to Grafana's dashboard and panel schema types", () => {
    const files = new Map(
      readdirSync(JSON_DIR)
        .filter((f) => f.endsWith(".json"))
        .map((f) => [f, JSON.parse(readFileSync(join(JSON_DIR, f), "utf8")) as unknown]),
    );
    expect(files.size).toBe(DASHBOARDS.length);
    expect(checkDashboards(files)).toEqual([]);
  }, 60_000);

  it("the schema check catches what Grafana would reject", () => {
    const good = buildDashboard(DASHBOARDS[0]!) as unknown as Record<string, unknown>;
    const panels = good.panels as Record<string, unknown>[];
    const check = (change: Record<string, unknown>) =>
      checkDashboards(new Map([["bad.json", { ...good, ...change }]])).join("\n");
    expect(check({})).toBe("");
    expect(check({ graphTooltip: "shared" })).toMatch(
      /bad\.json at graphTooltip: .*not assignable/,
    );
    expect(check({ colour: "red" })).toMatch(
      /at colour: Object literal may only specify known properties/,
    );
    const withPanel = (i: number, p: Record<string, unknown>) => ({
      panels: panels.map((x, k) => (k === i ? { ...x, ...p } : x)),
    });
    // Panel 1 is the "now" row's header; 2… its stats.
    expect(panels[0]!.type).toBe("row");
    expect(
      check(
        withPanel(1, { options: { ...(panels[1]!.options as object), graphMode: "sparkline" } }),
      ),
    ).toMatch(/panel 2 \(stat\) options at graphMode: Type '"sparkline"' is not assignable/);
    expect(check(withPanel(2, { gridPos: { h: 4, w: 4, x: 0 } }))).toMatch(
      /panels\.2\.gridPos: Property 'y' is missing/,
    );
    expect(
      check(withPanel(3, { targets: [{ refId: "A", rawSql: "SELECT 1", format: 1 }] })),
    ).toMatch(/panel 4 \(stat\) target 0: .*missing the following properties.*editorType/);
    expect(check(withPanel(4, { type: "graph" }))).toMatch(
      /panel 5 \(graph\): not a known panel type/,
    );
  }, 60_000);

  it("every dashboard has unique panel ids and titles, fits the grid, and queries ClickHouse", () => {
    for (const spec of DASHBOARDS) {
      const d = buildDashboard(spec);
      const all = (d.panels ?? []) as {
        id?: number;
        type?: string;
        title?: string;
        gridPos?: { x: number; w: number };
        datasource?: { type?: string };
      }[];
      expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
      const rows = all.filter((p) => p.type === "row");
      const panels = all.filter((p) => p.type !== "row");
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(new Set(panels.map((p) => p.title)).size).toBe(panels.length);
      for (const p of panels) {
        expect(p.gridPos!.x + p.gridPos!.w).toBeLessThanOrEqual(24);
        expect(p.datasource?.type).toBe("grafana-clickhouse-datasource");
      }
      // Annotations on every dashboard, each a ClickHouse query.
      const annotations = d.annotations?.list ?? [];
      expect(annotations.length).toBeGreaterThanOrEqual(1);
      for (const a of annotations) expect(a.datasource?.type).toBe("grafana-clickhouse-datasource");
    }
  });

  it("every dashboard starts with the exchange variable and every query reads only its rows", () => {
    // Tables without an `exchange` column (migration 0004 left the alert history out).
    const noExchange = new Set(["alert_events", "alert_deliveries"]);
    const problems: string[] = [];
    for (const spec of DASHBOARDS) {
      expect(spec.variables[0]).toBe(EXCHANGE_VARIABLE);
      const queries = [
        ...spec.variables.slice(1).map((v) => ({ what: `variable ${v.name}`, sql: v.sql })),
        ...spec.panels.map((p) => ({ what: p.title, sql: p.sql })),
      ];
      for (const { what, sql } of queries) {
        // Each table read, up to the next FROM, carries the filter (subqueries included).
        for (const part of sql.split(/\bFROM\s+/).slice(1)) {
          const table = /^\w+/.exec(part)?.[0];
          if (!table || noExchange.has(table)) continue;
          if (!part.includes(EXCHANGE)) problems.push(`${spec.uid} / ${what}: ${table} unfiltered`);
        }
        if (/\$exchange\b|\$\{exchange\}|\[\[exchange/.test(sql)) {
          problems.push(`${spec.uid} / ${what}: exchange interpolated unquoted`);
        }
      }
    }
    expect(problems).toEqual([]);
    const map = buildDashboard(DASHBOARDS.find((d) => d.uid === "perpwatch-liquidation-map")!);
    expect(map.templating?.list?.map((v) => v.name)).toEqual(["exchange", "market"]);
  });

  it("every dashboard variable in SQL is interpolated as a quoted SQL string", () => {
    // Grafana's globals ($__from, $__interval…) and the plugin's macros ($__timeFilter…) are
    // numbers or SQL the plugin writes; a dashboard variable may hold anything a user types.
    const problems: string[] = [];
    for (const spec of DASHBOARDS) {
      const names = new Set(spec.variables.map((v) => v.name));
      const queries = [
        ...spec.variables.map((v) => ({ what: `variable ${v.name}`, sql: v.sql })),
        ...spec.panels.map((p) => ({ what: p.title, sql: p.sql })),
        ...(spec.annotations ?? []).map((a) => ({ what: `annotation ${a.name}`, sql: a.sql })),
      ];
      for (const { what, sql } of queries) {
        for (const m of sql.matchAll(/\$\{(\w+)(?::(\w+))?\}|\$(\w+)|\[\[(\w+)\]\]/g)) {
          const name = m[1] ?? m[3] ?? m[4] ?? "";
          if (name.startsWith("__")) continue;
          if (!names.has(name)) {
            problems.push(`${spec.uid} / ${what}: unknown variable ${m[0]}`);
          } else if (m[2] !== "sqlstring") {
            problems.push(`${spec.uid} / ${what}: ${m[0]} is not \${${name}:sqlstring}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The scan sees what it must refuse.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, unquoted on purpose
    const bad = "SELECT 1 WHERE symbol = '$market' AND x = ${market} AND y = [[market]]";
    expect([...bad.matchAll(/\$\{(\w+)(?::(\w+))?\}|\$(\w+)|\[\[(\w+)\]\]/g)].length).toBe(3);
  });
});
