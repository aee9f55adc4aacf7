/**
 * Dashboards as code: each DashboardSpec becomes a Grafana dashboard (classic JSON model,
 * what file provisioning loads) through the Grafana foundation SDK's typed builders, so the
 * JSON that is committed and provisioned is checked against Grafana's schema types when it
 * is built.
 *
 * Why the specs are data and this file the only one touching the SDK: the tests run every
 * spec's SQL against ClickHouse and compare this output with the committed JSON
 * (generate.test.ts); layout and styling are decided once here for every panel kind.
 */
import * as barchart from "@grafana/grafana-foundation-sdk/barchart";
import type { Builder } from "@grafana/grafana-foundation-sdk/cog";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { ClickHouseQueryBuilder, DATASOURCE } from "./clickhouseQuery.js";
import { accountsAtRisk } from "./dashboards/accountsAtRisk.js";
import { cascadeInsurance } from "./dashboards/cascadeInsurance.js";
import { funding } from "./dashboards/funding.js";
import { liquidationMap } from "./dashboards/liquidationMap.js";
import { marketRisk } from "./dashboards/marketRisk.js";
import { systemHealth } from "./dashboards/systemHealth.js";
import type { DashboardSpec, PanelSpec } from "./panelSpec.js";

/** Every dashboard, in the order the provisioning folder lists them. */
export const DASHBOARDS: readonly DashboardSpec[] = [
  marketRisk,
  liquidationMap,
  cascadeInsurance,
  funding,
  accountsAtRisk,
  systemHealth,
];

/** The most points a panel asks for (Grafana's default is the panel's pixel width). */
export const MAX_DATA_POINTS = 1000;

/** The points this panel asks for (its own `maxDataPoints`, else MAX_DATA_POINTS). */
export const maxDataPointsOf = (spec: Pick<PanelSpec, "maxDataPoints">) =>
  spec.maxDataPoints ?? MAX_DATA_POINTS;

function rightAxis(spec: PanelSpec) {
  return (spec.rightAxis ?? []).map(
    (r) =>
      [
        r.column,
        [
          { id: "custom.axisPlacement", value: common.AxisPlacement.Right },
          { id: "unit", value: r.unit },
        ],
      ] as const,
  );
}

export interface Layout {
  /** Each panel's position, in order. */
  panels: dashboard.GridPos[];
  /** The collapsible rows: a title, and the index of the first panel under it. */
  rows: { title: string; y: number; first: number }[];
}

/**
 * Grid positions: left to right, a panel that does not fit starts a new line, and a panel
 * with another `row` than the one before starts a new line under a row header.
 */
export function layout(panels: readonly PanelSpec[]): Layout {
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  let row: string | undefined;
  const rows: Layout["rows"] = [];
  const positions = panels.map((p, i) => {
    if (p.row !== undefined && p.row !== row) {
      y += lineHeight;
      rows.push({ title: p.row, y, first: i });
      y += 1;
      x = 0;
      lineHeight = 0;
    }
    row = p.row;
    if (x + p.width > 24) {
      x = 0;
      y += lineHeight;
      lineHeight = 0;
    }
    const pos = { x, y, w: p.width, h: p.height };
    x += p.width;
    lineHeight = Math.max(lineHeight, p.height);
    return pos;
  });
  return { panels: positions, rows };
}

function panelOf(spec: PanelSpec, id: number, pos: dashboard.GridPos): Builder<dashboard.Panel> {
  const target = new ClickHouseQueryBuilder(spec.sql, spec.format);
  const common_ = <P extends PanelCommon<P>>(p: P) => withCommon(p, spec, id, pos, target);
  switch (spec.kind) {
    case "timeseries": {
      const p = new timeseries.PanelBuilder()
        .drawStyle(spec.bars ? common.GraphDrawStyle.Bars : common.GraphDrawStyle.Line)
        .fillOpacity(spec.stack ? 60 : 10)
        .lineWidth(1)
        .showPoints(common.VisibilityMode.Never)
        .spanNulls(true)
        .legend(
          new common.VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(common.LegendDisplayMode.List)
            .placement(common.LegendPlacement.Bottom)
            .calcs([]),
        )
        .tooltip(
          new common.VizTooltipOptionsBuilder()
            .mode(common.TooltipDisplayMode.Multi)
            .sort(common.SortOrder.Descending),
        );
      if (spec.stack) {
        p.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal).group("A"));
      }
      for (const [column, props] of rightAxis(spec)) p.overrideByName(column, [...props]);
      if (spec.thresholds) {
        p.thresholdsStyle(
          new common.GraphThresholdsStyleConfigBuilder().mode(
            common.GraphThresholdsStyleMode.Dashed,
          ),
        );
      }
      return common_(p);
    }
    case "stat":
      return common_(
        new stat.PanelBuilder()
          .graphMode(common.BigValueGraphMode.Area)
          .colorMode(common.BigValueColorMode.Value)
          .reduceOptions(
            new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).fields("").values(false),
          ),
      );
    case "table":
      return common_(new table.PanelBuilder().showHeader(true));
    case "heatmap":
      return common_(
        new heatmap.PanelBuilder()
          .calculate(false)
          .rowsFrame(
            new heatmap.RowsHeatmapOptionsBuilder()
              .layout(common.HeatmapCellLayout.Le)
              .value(spec.columns.at(-1)!.name),
          )
          .yAxis(new heatmap.YAxisConfigBuilder().unit("percent").axisLabel("move from the price")),
      );
    case "barchart": {
      const p = new barchart.PanelBuilder()
        .xField(spec.columns[0]!.name)
        .showValue(common.VisibilityMode.Never)
        .xTickLabelRotation(-45)
        .legend(
          new common.VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(common.LegendDisplayMode.List)
            .placement(common.LegendPlacement.Bottom)
            .calcs([]),
        );
      for (const [column, props] of rightAxis(spec)) p.overrideByName(column, [...props]);
      return common_(p);
    }
  }
}

/** The builder methods every panel kind has. */
interface PanelCommon<P> {
  id(id: number): P;
  title(t: string): P;
  description(d: string): P;
  datasource(d: common.DataSourceRef): P;
  withTarget(t: ClickHouseQueryBuilder): P;
  gridPos(g: dashboard.GridPos): P;
  maxDataPoints(n: number): P;
  unit(u: string): P;
  decimals(d: number): P;
  thresholds(t: dashboard.ThresholdsConfigBuilder): P;
  overrideByName(name: string, properties: dashboard.DynamicConfigValue[]): P;
}

function thresholdsOf(spec: PanelSpec): dashboard.ThresholdsConfigBuilder | undefined {
  if (!spec.thresholds) return undefined;
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(spec.thresholds.map((t) => ({ value: t.value, color: t.color })));
}

/** Per-column settings: units, drill-down links, and a table's coloured column. */
function columnOverrides(spec: PanelSpec): Map<string, dashboard.DynamicConfigValue[]> {
  const out = new Map<string, dashboard.DynamicConfigValue[]>();
  const add = (column: string, v: dashboard.DynamicConfigValue) =>
    out.set(column, [...(out.get(column) ?? []), v]);
  for (const [column, unit] of Object.entries(spec.columnUnits ?? {})) {
    add(column, { id: "unit", value: unit });
  }
  const links = new Map<string, { title: string; url: string }[]>();
  for (const l of spec.links ?? []) {
    links.set(l.column, [...(links.get(l.column) ?? []), { title: l.title, url: l.url }]);
  }
  for (const [column, value] of links) add(column, { id: "links", value });
  if (spec.kind === "table" && spec.thresholdsOn) {
    add(spec.thresholdsOn, { id: "custom.cellOptions", value: { type: "color-text" } });
  }
  return out;
}

/** What every panel kind shares: identity, datasource, query, position, unit. */
function withCommon<P extends PanelCommon<P>>(
  p: P,
  spec: PanelSpec,
  id: number,
  pos: dashboard.GridPos,
  target: ClickHouseQueryBuilder,
): P {
  p.id(id)
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .withTarget(target)
    .gridPos(pos)
    .maxDataPoints(maxDataPointsOf(spec));
  if (spec.unit) p.unit(spec.unit);
  if (spec.decimals !== undefined) p.decimals(spec.decimals);
  const thresholds = thresholdsOf(spec);
  if (thresholds) p.thresholds(thresholds);
  for (const [column, props] of columnOverrides(spec)) p.overrideByName(column, props);
  return p;
}

/** The Grafana dashboard for `spec`. */
export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const d = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([...spec.tags])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .timezone("utc")
    .time({ from: "now-6h", to: "now" })
    .refresh("30s")
    .annotations(
      (spec.annotations ?? []).map((a) =>
        new dashboard.AnnotationQueryBuilder()
          .name(a.name)
          .datasource(DATASOURCE)
          .enable(true)
          .iconColor(a.color)
          .target(new ClickHouseQueryBuilder(a.sql, "table", "Annotations")),
      ),
    );
  for (const v of spec.variables) {
    d.withVariable(
      new dashboard.QueryVariableBuilder(v.name)
        .label(v.label)
        .datasource(DATASOURCE)
        // The plugin saves a variable's query like a panel's (its SQL in `rawSql`).
        .query({ ...new ClickHouseQueryBuilder(v.sql, "table", v.name).build() })
        .definition(v.sql)
        .refresh(dashboard.VariableRefresh.OnDashboardLoad)
        .sort(dashboard.VariableSort.Disabled)
        .multi(false)
        .includeAll(false),
    );
  }
  const { panels, rows } = layout(spec.panels);
  let id = 1;
  spec.panels.forEach((panel, i) => {
    const row = rows.find((r) => r.first === i);
    if (row) {
      d.withRow(
        new dashboard.RowBuilder(row.title)
          .id(100 + rows.indexOf(row))
          .collapsed(false)
          .gridPos({ x: 0, y: row.y, w: 24, h: 1 }),
      );
    }
    d.withPanel(panelOf(panel, id++, panels[i]!));
  });
  return d.build();
}

/** Dashboard JSON as committed: two-space indentation and a final newline. */
export function dashboardJson(spec: DashboardSpec): string {
  return `${JSON.stringify(buildDashboard(spec), null, 2)}\n`;
}

/** File name of a dashboard's JSON under dashboards/grafana/json/. */
export function dashboardFile(spec: DashboardSpec): string {
  return `${spec.uid}.json`;
}
