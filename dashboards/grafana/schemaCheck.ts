/**
 * Checks dashboard JSON against Grafana's schema types — the foundation SDK's TypeScript
 * definitions of the dashboard model and of each panel plugin's options and field config,
 * and the ClickHouse plugin's query model — with the TypeScript compiler.
 *
 * Why the compiler: the SDK's schema is TypeScript types (generated from Grafana's CUE
 * schemas), not a runtime validator. Writing the JSON out as object literals typed with those
 * types makes the compiler report every unknown key (excess property checks), missing
 * required key and wrong value, including enum values; a string enum is accepted as its
 * string values, as JSON carries them. This checks the files that are committed and
 * provisioned, not only the builder's output.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const HERE = dirname(fileURLToPath(import.meta.url));

/** Panel kinds and the SDK module holding their `Options` / `FieldConfig` types. */
const PANEL_TYPES: Readonly<Record<string, { options: string; custom: string }>> = {
  timeseries: { options: "timeseries.Options", custom: "timeseries.FieldConfig" },
  stat: { options: "stat.Options", custom: "Record<string, never>" },
  table: { options: "table.Options", custom: "table.FieldConfig" },
  heatmap: { options: "heatmap.Options", custom: "heatmap.FieldConfig" },
  barchart: { options: "barchart.Options", custom: "barchart.FieldConfig" },
};

const PRELUDE = `
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import type * as stat from "@grafana/grafana-foundation-sdk/stat";
import type * as table from "@grafana/grafana-foundation-sdk/table";
import type * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import type * as barchart from "@grafana/grafana-foundation-sdk/barchart";
import type { ClickHouseQuery } from ${JSON.stringify(join(HERE, "clickhouseQuery.js"))};
type IsAny<T> = 0 extends 1 & T ? true : false;
// A type as JSON carries it: enums as their values, no methods.
type Json<T> = IsAny<T> extends true ? any
  : T extends string ? \`\${T}\`
  : T extends number ? number
  : T extends boolean ? boolean
  : T extends readonly (infer U)[] ? Json<U>[]
  : T extends object ? { [K in keyof T as T[K] extends (...a: never[]) => unknown ? never : K]: Json<T[K]> }
  : T;
type Query = Json<Omit<ClickHouseQuery, "_implementsDataqueryVariant">>;
`;

interface PanelJson {
  type?: string;
  options?: unknown;
  fieldConfig?: { defaults?: { custom?: unknown } };
  targets?: unknown[];
}

/** Type errors of the dashboards (file name → parsed JSON); empty when all conform. */
export function checkDashboards(dashboards: ReadonlyMap<string, unknown>): string[] {
  const lines: string[] = [PRELUDE];
  const origin: string[] = [];
  let n = 0;
  const declare = (what: string, type: string, value: unknown) => {
    lines.push(`export const v${n++}: ${type} = ${JSON.stringify(value, null, 1)};`);
    origin.push(what);
  };
  for (const [file, json] of dashboards) {
    declare(`${file}`, "Json<dashboard.Dashboard>", json);
    const panels = ((json as { panels?: PanelJson[] }).panels ?? []) as PanelJson[];
    panels.forEach((p, i) => {
      if (p.type === "row") return; // a row header: checked as part of the dashboard
      const where = `${file} panel ${i + 1} (${p.type})`;
      const types = PANEL_TYPES[p.type ?? ""];
      if (!types) {
        lines.push(`export const v${n++}: never = ${JSON.stringify(p.type)};`);
        origin.push(`${where}: not a known panel type`);
        return;
      }
      declare(`${where} options`, `Json<${types.options}>`, p.options ?? {});
      declare(
        `${where} fieldConfig.defaults.custom`,
        `Json<${types.custom}>`,
        p.fieldConfig?.defaults?.custom ?? {},
      );
      for (const [k, t] of (p.targets ?? []).entries()) declare(`${where} target ${k}`, "Query", t);
    });
  }
  const source = lines.join("\n");
  const fileName = join(HERE, "__dashboards_check__.ts");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (f === fileName ? source : readFile(f));
  host.fileExists = (f) => f === fileName || fileExists(f);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) =>
    f === fileName ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, ...rest);
  const program = ts.createProgram([fileName], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const sf = program.getSourceFile(fileName)!;
  const starts = sf.statements.filter((s) => ts.isVariableStatement(s)).map((s) => s.getStart(sf));
  return diagnostics.map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file?.fileName !== fileName || d.start === undefined) return msg;
    let idx = 0;
    while (idx + 1 < starts.length && starts[idx + 1]! <= d.start) idx++;
    const path = propertyPath(sf, d.start);
    return `${origin[idx] ?? "?"}${path ? ` at ${path}` : ""}: ${msg}`;
  });
}

/** The JSON path (`panels.0.gridPos`) of the innermost property at `pos` in the check file. */
function propertyPath(sf: ts.SourceFile, pos: number): string {
  const parts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (pos < node.getStart(sf) || pos >= node.getEnd()) return;
    if (ts.isPropertyAssignment(node)) {
      parts.push(node.name.getText(sf).replace(/^"|"$/g, ""));
    } else if (ts.isArrayLiteralExpression(node)) {
      const i = node.elements.findIndex((e) => pos >= e.getStart(sf) && pos < e.getEnd());
      if (i >= 0) parts.push(String(i));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return parts.join(".");
}
