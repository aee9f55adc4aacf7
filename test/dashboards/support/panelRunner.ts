/**
 * Test support: run a dashboard panel's SQL on ClickHouse the way Grafana would send it —
 * variables interpolated and the plugin's macros expanded (dashboards/grafana/macros.ts) — and
 * check the result has the columns the panel expects.
 */
import type { ClickHouseHandle } from "../../../dashboards/clickhouse/connect.js";
import { DASHBOARDS, maxDataPointsOf } from "../../../dashboards/grafana/build.js";
import {
  grafanaInterval,
  interpolateVariables,
  panelSql,
  type TimeRange,
} from "../../../dashboards/grafana/macros.js";
import type {
  ColumnKind,
  DashboardSpec,
  PanelSpec,
} from "../../../dashboards/grafana/panelSpec.js";
import { forceTier, type Tier } from "../../../dashboards/grafana/tiers.js";

export interface PanelResult {
  key: string;
  sql: string;
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
}

/** The kind of a ClickHouse type as a panel reads it. */
export function kindOf(type: string): ColumnKind | "other" {
  const t = type
    .replace(/^(Nullable|LowCardinality)\((.*)\)$/, "$2")
    .replace(/^(Nullable|LowCardinality)\((.*)\)$/, "$2");
  if (/^DateTime(64)?\b/.test(t) || t === "Date" || t === "Date32") return "time";
  if (/^(U?Int\d+|Float\d+|Decimal)/.test(t)) return "number";
  if (/^(String|FixedString|Enum)/.test(t)) return "string";
  return "other";
}

/** Differences between a result's columns and the panel's expected ones (empty when equal). */
export function columnProblems(
  panel: PanelSpec,
  columns: readonly { name: string; type: string }[],
): string[] {
  const got = columns.map((c) => `${c.name}:${kindOf(c.type)}`);
  const want = panel.columns.map((c) => `${c.name}:${c.kind}`);
  return got.join(",") === want.join(",")
    ? []
    : [`columns ${got.join(",")} ≠ expected ${want.join(",")}`];
}

/** Makes unqualified table names (as in the panels' SQL) resolve to the handle's database. */
export async function usePanelDatabase(ch: ClickHouseHandle): Promise<void> {
  if (ch.kind !== "embedded")
    throw new Error("panel runner: only embedded ClickHouse (USE is per session)");
  await ch.client.command({ query: `USE ${ch.database}` });
}

export async function runSql(
  ch: ClickHouseHandle,
  sql: string,
): Promise<{ columns: { name: string; type: string }[]; rows: Record<string, unknown>[] }> {
  const rs = await ch.client.query({ query: sql, format: "JSON" });
  const body = await rs.json<Record<string, unknown>>();
  return { columns: body.meta ?? [], rows: body.data };
}

/**
 * Values of a dashboard's variables, in order, as Grafana resolves them: each variable's SQL
 * with the variables before it interpolated (`market` filters by `${exchange:sqlstring}`), the
 * value given in `chosen` when there is one (as a user's selection), else the first value.
 */
export async function variableDefaults(
  ch: ClickHouseHandle,
  d: DashboardSpec,
  chosen: Readonly<Record<string, string>> = {},
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of d.variables) {
    const picked = chosen[v.name];
    if (picked !== undefined) {
      out[v.name] = picked;
      continue;
    }
    const sql = interpolateVariables(v.sql, { from: 0, to: 0, intervalMs: 1, variables: out });
    const { rows, columns } = await runSql(ch, sql);
    const first = columns[0]?.name;
    if (!first || rows.length === 0) throw new Error(`variable ${v.name}: no values`);
    out[v.name] = String(rows[0]![first]);
  }
  return out;
}

export interface RunOptions {
  /** Grafana's interval (default: the range over the panels' 1,000 points, rounded). */
  intervalMs?: number;
  /** The resolution read, whatever the interval (default: the one the interval selects). */
  tier?: Tier;
}

export async function runPanel(
  ch: ClickHouseHandle,
  d: DashboardSpec,
  panel: PanelSpec,
  range: TimeRange,
  variables: Record<string, string>,
  opts: RunOptions = {},
): Promise<PanelResult> {
  const source = opts.tier ? forceTier(panel.sql, opts.tier) : panel.sql;
  const sql = panelSql(source, {
    ...range,
    intervalMs: opts.intervalMs ?? grafanaInterval(range, maxDataPointsOf(panel)),
    variables,
  });
  const { columns, rows } = await runSql(ch, sql);
  return { key: `${d.uid} / ${panel.title}`, sql, columns, rows };
}

/**
 * Every panel of every dashboard, each dashboard with its range; variables as `chosen` says
 * (e.g. `{ exchange: "alpha" }`), the others at their first value.
 */
export async function runAllPanels(
  ch: ClickHouseHandle,
  rangeOf: (d: DashboardSpec) => TimeRange,
  chosen: Readonly<Record<string, string>> = {},
  opts: RunOptions = {},
): Promise<Map<string, { panel: PanelSpec; result: PanelResult }>> {
  const out = new Map<string, { panel: PanelSpec; result: PanelResult }>();
  for (const d of DASHBOARDS) {
    const vars = await variableDefaults(ch, d, chosen);
    for (const panel of d.panels) {
      const result = await runPanel(ch, d, panel, rangeOf(d), vars, opts);
      out.set(result.key, { panel, result });
    }
  }
  return out;
}
