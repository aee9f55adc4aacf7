/**
 * A panel's SQL as ClickHouse receives it from Grafana: template variables interpolated (the
 * frontend's step), then the ClickHouse plugin's macros expanded (the backend's step).
 *
 * Why our own expander: the dashboards' SQL is tested on ClickHouse (chDB in tests) without a
 * Grafana, and the test is only worth something if the SQL it runs is the SQL Grafana would
 * send. So this mirrors, macro by macro, `grafana-clickhouse-datasource`'s pkg/macros (the
 * ClickHouse expressions) and the plugin SDK's `sqlutil.Interpolate` (how a macro and its
 * arguments are found: `$__name` at a word boundary, arguments only when `(` follows at
 * once, balanced parentheses, split at top-level commas, trimmed, every occurrence of the
 * same text replaced), and Grafana's interval rounding for `$__interval`.
 */

export interface TimeRange {
  /** Epoch milliseconds. */
  from: number;
  to: number;
}

export interface ExpandOptions extends TimeRange {
  /** The query interval Grafana sends (see `grafanaInterval`), ms. */
  intervalMs: number;
  /** Dashboard variables by name (single values). */
  variables?: Readonly<Record<string, string>>;
}

/** A macro that cannot be expanded (unknown arguments, missing parenthesis), one line. */
export class MacroError extends Error {
  override readonly name = "MacroError";
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const dateTime = (ms: number) => `toDateTime(${seconds(ms)})`;
const dateTime64 = (ms: number) => `fromUnixTimestamp64Milli(${Math.trunc(ms)})`;
const date = (ms: number) => `toDate('${new Date(ms).toISOString().slice(0, 10)}')`;
const rfc3339 = (ms: number) => new Date(seconds(ms) * 1000).toISOString().replace(".000Z", "Z");

function arity(name: string, args: readonly string[], n: number): void {
  if (args.length !== n) {
    throw new MacroError(
      `$__${name}: unexpected number of arguments: expected ${n} argument${n === 1 ? "" : "s"}, received ${args.length}`,
    );
  }
}

type Macro = (args: readonly string[], o: ExpandOptions) => string;

/** The plugin's macros (pkg/macros/macros.go) and the SDK defaults it does not override. */
const MACROS: Readonly<Record<string, Macro>> = {
  fromTime: (_, o) => dateTime(o.from),
  toTime: (_, o) => dateTime(o.to),
  fromTime_ms: (_, o) => dateTime64(o.from),
  toTime_ms: (_, o) => dateTime64(o.to),
  timeFilter: (a, o) => {
    arity("timeFilter", a, 1);
    return `${a[0]} >= ${dateTime(o.from)} AND ${a[0]} <= ${dateTime(o.to)}`;
  },
  timeFilter_ms: (a, o) => {
    arity("timeFilter_ms", a, 1);
    return `${a[0]} >= ${dateTime64(o.from)} AND ${a[0]} <= ${dateTime64(o.to)}`;
  },
  dateFilter: (a, o) => {
    arity("dateFilter", a, 1);
    return `${a[0]} >= ${date(o.from)} AND ${a[0]} <= ${date(o.to)}`;
  },
  dateTimeFilter: (a, o) => {
    arity("dateTimeFilter", a, 2);
    return `(${a[0]} >= ${date(o.from)} AND ${a[0]} <= ${date(o.to)}) AND (${a[1]} >= ${dateTime(o.from)} AND ${a[1]} <= ${dateTime(o.to)})`;
  },
  dt: (a, o) => MACROS.dateTimeFilter!(a, o),
  timeInterval: (a, o) => {
    arity("timeInterval", a, 1);
    const s = Math.trunc(Math.max(o.intervalMs / 1000, 1));
    return `toStartOfInterval(toDateTime(${a[0]}), INTERVAL ${s} second)`;
  },
  timeInterval_ms: (a, o) => {
    arity("timeInterval_ms", a, 1);
    const ms = Math.trunc(Math.max(o.intervalMs, 1));
    return `toStartOfInterval(toDateTime64(${a[0]}, 3), INTERVAL ${ms} millisecond)`;
  },
  interval_s: (_, o) => String(Math.trunc(Math.max(o.intervalMs / 1000, 1))),
  // sqlutil.DefaultMacros the plugin keeps.
  timeFrom: (a, o) => {
    arity("timeFrom", a, 1);
    return `${a[0]} >= '${rfc3339(o.from)}'`;
  },
  timeTo: (a, o) => {
    arity("timeTo", a, 1);
    return `${a[0]} <= '${rfc3339(o.to)}'`;
  },
};

/** Arguments of a macro whose name ends at `i` in `sql`: null when no `(` follows at once. */
function parseArgs(sql: string, i: number): { args: string[]; end: number } | null {
  if (sql[i] !== "(") return null;
  let depth = 0;
  let last = i + 1;
  const args: string[] = [];
  for (let j = i; j < sql.length; j++) {
    const c = sql[j];
    if (c === "(") depth++;
    else if (c === ")") {
      depth--;
      if (depth === 0) {
        args.push(sql.slice(last, j));
        return { args: args.map((a) => a.trim()), end: j + 1 };
      }
    } else if (c === "," && depth === 1) {
      args.push(sql.slice(last, j));
      last = j + 1;
    }
  }
  throw new MacroError(`missing closing parenthesis after ${sql.slice(Math.max(0, i - 20), i)}`);
}

/** Expands the plugin's macros, as its backend does before running the query. */
export function expandMacros(sql: string, o: ExpandOptions): string {
  let out = sql;
  for (const [name, macro] of Object.entries(MACROS)) {
    const re = new RegExp(`\\$__${name}\\b`, "g");
    const found: { text: string; args: string[] }[] = [];
    for (const m of out.matchAll(re)) {
      const start = m.index;
      const nameEnd = start + m[0].length;
      const parsed = parseArgs(out, nameEnd);
      const text = out.slice(start, parsed ? parsed.end : nameEnd);
      found.push({ text, args: parsed ? parsed.args : [] });
    }
    for (const f of found) out = out.replaceAll(f.text, macro(f.args, o));
  }
  return out;
}

/** Grafana's `$__interval` rounding (rangeutil.roundInterval), ms. */
export function roundInterval(ms: number): number {
  const steps: [number, number][] = [
    [10, 1],
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1500, 1000],
    [3500, 2000],
    [7500, 5000],
    [12500, 10000],
    [17500, 15000],
    [25000, 20000],
    [45000, 30000],
    [90000, 60000],
    [210000, 120000],
    [450000, 300000],
    [750000, 600000],
    [1050000, 900000],
    [1500000, 1200000],
    [2700000, 1800000],
    [5400000, 3600000],
    [9000000, 7200000],
    [16200000, 10800000],
    [32400000, 21600000],
    [86400000, 43200000],
    [604800000, 86400000],
    [1814400000, 604800000],
    [3628800000, 2592000000],
  ];
  for (const [below, value] of steps) if (ms < below) return value;
  return 31536000000;
}

/** The interval Grafana sends for a panel: range / max data points, rounded, at least `minMs`. */
export function grafanaInterval(range: TimeRange, maxDataPoints: number, minMs = 1): number {
  return Math.max(roundInterval((range.to - range.from) / maxDataPoints), minMs);
}

function formatValue(value: string, format: string | undefined): string {
  switch (format) {
    case "singlequote":
      return `'${value.replaceAll("'", "\\'")}'`;
    case "doublequote":
      return `"${value.replaceAll('"', '\\"')}"`;
    case "sqlstring":
      return `'${value.replaceAll("'", "''")}'`;
    case undefined:
    case "raw":
    case "csv":
    case "text":
      return value;
    default:
      throw new MacroError(`unsupported variable format :${format}`);
  }
}

/**
 * Interpolates dashboard variables and Grafana's global ones ($__from, $__to, $__interval,
 * $__interval_ms, $__range_s), as the frontend does before the query leaves the browser:
 * `$name`, `${name}`, `${name:format}` and `[[name]]`. Unknown names stay as they are (the
 * plugin's `$__fromTime` and friends are not variables).
 */
export function interpolateVariables(sql: string, o: ExpandOptions): string {
  const vars: Record<string, string> = {
    __from: String(Math.trunc(o.from)),
    __to: String(Math.trunc(o.to)),
    __interval: `${Math.max(1, Math.round(o.intervalMs / 1000))}s`,
    __interval_ms: String(Math.trunc(o.intervalMs)),
    __range_s: String(Math.round((o.to - o.from) / 1000)),
    ...o.variables,
  };
  return sql.replace(
    /\$(\w+)|\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]/g,
    (whole, plain?: string, braced?: string, format?: string, bracketed?: string) => {
      const name = plain ?? braced ?? bracketed ?? "";
      const value = vars[name];
      return value === undefined ? whole : formatValue(value, format);
    },
  );
}

/** Both steps: the SQL ClickHouse runs for a panel. */
export function panelSql(sql: string, o: ExpandOptions): string {
  return expandMacros(interpolateVariables(sql, o), o);
}
