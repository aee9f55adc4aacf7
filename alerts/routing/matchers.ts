/**
 * Alertmanager-style label matchers: `severity="critical"`, `market=~"ETH|BTC"`,
 * `rule!="oracle-stale"`, `exchange!~"test-.*"`, the same strings Alertmanager's routes,
 * inhibit rules and `amtool silence add` take. Regexes are anchored at both ends, as there.
 *
 * Why strings and not objects: an on-call team copies them between Alertmanager and
 * Perpwatch unchanged. A label that is absent matches the empty string (Alertmanager's rule),
 * so `team!="risk"` matches alerts without a team label.
 */

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

const MATCHER =
  /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;

/** Parses one matcher; throws an Error whose message says what was expected. */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m) {
    throw new Error(
      `expected a matcher like severity="critical" or market=~"ETH|BTC" (got ${JSON.stringify(text)})`,
    );
  }
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, "$1") : (m[4] ?? "");
  const op = m[2] as MatchOp;
  if (op === "=~" || op === "!~") {
    try {
      new RegExp(`^(?:${value})$`);
    } catch {
      throw new Error(`expected a valid regular expression in ${JSON.stringify(text)}`);
    }
  }
  return { name: m[1]!, op, value };
}

export function matches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[m.name] ?? "";
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return new RegExp(`^(?:${m.value})$`).test(v);
    case "!~":
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

/** Whether every matcher matches (an empty list matches everything). */
export function matchesAll(ms: readonly Matcher[], labels: Readonly<Record<string, string>>) {
  return ms.every((m) => matches(m, labels));
}

export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}

/**
 * The labels routes, silences and inhibit rules match on: the alert's labels plus `rule`
 * (the rule's name, also `alertname`).
 */
export function routingLabels(rule: string, labels: Readonly<Record<string, string>>) {
  return { rule, ...labels };
}
