import { describe, expect, it } from "vitest";
import {
  expandMacros,
  grafanaInterval,
  interpolateVariables,
  MacroError,
  panelSql,
  roundInterval,
} from "./macros.js";

// 2026-01-01T00:00:00.250Z → 2026-01-01T01:00:00.750Z
const o = { from: 1_767_225_600_250, to: 1_767_229_200_750, intervalMs: 30_000 };

describe("plugin macro expansion", () => {
  it("expands time filters and bounds the way the plugin's backend does", () => {
    expect(expandMacros("WHERE $__timeFilter(block_time)", o)).toBe(
      "WHERE block_time >= toDateTime(1767225600) AND block_time <= toDateTime(1767229200)",
    );
    expect(expandMacros("$__timeFilter_ms(t)", o)).toBe(
      "t >= fromUnixTimestamp64Milli(1767225600250) AND t <= fromUnixTimestamp64Milli(1767229200750)",
    );
    expect(expandMacros("x BETWEEN $__fromTime AND $__toTime", o)).toBe(
      "x BETWEEN toDateTime(1767225600) AND toDateTime(1767229200)",
    );
    expect(expandMacros("$__fromTime_ms, $__toTime_ms", o)).toBe(
      "fromUnixTimestamp64Milli(1767225600250), fromUnixTimestamp64Milli(1767229200750)",
    );
    expect(expandMacros("$__dateFilter(d)", o)).toBe(
      "d >= toDate('2026-01-01') AND d <= toDate('2026-01-01')",
    );
    expect(expandMacros("$__dt(d, t)", o)).toBe(
      "(d >= toDate('2026-01-01') AND d <= toDate('2026-01-01')) AND (t >= toDateTime(1767225600) AND t <= toDateTime(1767229200))",
    );
  });

  it("expands intervals in whole seconds (at least 1) and milliseconds", () => {
    expect(expandMacros("$__timeInterval(block_time) AS time", o)).toBe(
      "toStartOfInterval(toDateTime(block_time), INTERVAL 30 second) AS time",
    );
    expect(expandMacros("$__timeInterval(t)", { ...o, intervalMs: 500 })).toBe(
      "toStartOfInterval(toDateTime(t), INTERVAL 1 second)",
    );
    expect(expandMacros("$__timeInterval_ms(t)", { ...o, intervalMs: 500 })).toBe(
      "toStartOfInterval(toDateTime64(t, 3), INTERVAL 500 millisecond)",
    );
    expect(expandMacros("count() / $__interval_s", { ...o, intervalMs: 1500 })).toBe("count() / 1");
  });

  it("finds arguments as the plugin SDK does: nested calls, top-level commas, no space", () => {
    expect(expandMacros("$__timeFilter(toDateTime(a, 'UTC'))", o)).toBe(
      "toDateTime(a, 'UTC') >= toDateTime(1767225600) AND toDateTime(a, 'UTC') <= toDateTime(1767229200)",
    );
    // No argument list unless "(" follows at once; a macro name that merely starts another is not it.
    expect(expandMacros("$__fromTime (x)", o)).toBe("toDateTime(1767225600) (x)");
    expect(expandMacros("$__timeFilterEpoch(x)", o)).toBe("$__timeFilterEpoch(x)");
    expect(() => expandMacros("$__timeFilter(a, b)", o)).toThrow(MacroError);
    expect(() => expandMacros("$__timeFilter(a", o)).toThrow(/missing closing parenthesis/);
  });

  it("interpolates variables like the frontend and leaves the plugin's macros alone", () => {
    const vars = { ...o, variables: { market: "ETH" } };
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, under test
      interpolateVariables("s = ${market:singlequote} OR s = '$market' OR [[market]]", vars),
    ).toBe("s = 'ETH' OR s = 'ETH' OR ETH");
    expect(interpolateVariables("$__from $__to $__interval $__fromTime $unknown", vars)).toBe(
      "1767225600250 1767229200750 30s $__fromTime $unknown",
    );
    // sqlstring: an SQL string literal, quotes doubled (how the panels take the exchange).
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, under test
      interpolateVariables("exchange = ${exchange:sqlstring}", {
        ...o,
        variables: { exchange: "o'brien" },
      }),
    ).toBe("exchange = 'o''brien'");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, under test
    expect(panelSql("WHERE symbol = '${market}' AND $__timeFilter(t)", vars)).toBe(
      "WHERE symbol = 'ETH' AND t >= toDateTime(1767225600) AND t <= toDateTime(1767229200)",
    );
  });

  it("rounds the interval like Grafana", () => {
    expect(roundInterval(1_200)).toBe(1_000);
    expect(roundInterval(40_000)).toBe(30_000);
    expect(roundInterval(100_000)).toBe(120_000);
    expect(grafanaInterval({ from: 0, to: 3_600_000 }, 1_000)).toBe(5_000);
    expect(grafanaInterval({ from: 0, to: 60_000 }, 1_000, 1_000)).toBe(1_000);
  });
});
