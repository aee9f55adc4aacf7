/**
 * Routing in Alertmanager's terms: matchers, the route tree (first match, `continue`,
 * inheritance, the default tree that pages PagerDuty only for critical), inhibit rules and
 * silences, as pure functions and as the configuration loads them.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_INHIBIT_RULES, loadAlertsConfig } from "../../alerts/config/alertsConfig.js";
import { inhibitedBy } from "../../alerts/routing/inhibit.js";
import { matches, parseMatcher } from "../../alerts/routing/matchers.js";
import { destinations, groupKey } from "../../alerts/routing/route.js";
import { silencedBy } from "../../alerts/routing/silence.js";

const dir = mkdtempSync(join(tmpdir(), "perpwatch-routing-"));
let n = 0;
const load = (text: string) => {
  const p = join(dir, `c${n++}.yaml`);
  writeFileSync(p, text);
  return loadAlertsConfig({ path: p, env: {} });
};
const errorOf = (text: string) => {
  try {
    load(text);
  } catch (e) {
    return (e as Error).message;
  }
  return "";
};

const RECEIVERS = `receivers:
  pager: { type: pagerduty, routingKey: k }
  ops: { type: webhook, url: "http://ops/hook" }
  chat: { type: slack, url: "https://hooks.slack.com/x" }
`;

const names = (ds: { receiver: string }[]) => ds.map((d) => d.receiver).sort();

describe("matchers", () => {
  it("parse the four operators, quoted or not, anchored regexes, absent = empty", () => {
    const l = { severity: "critical", market: "ETH" };
    expect(matches(parseMatcher('severity="critical"'), l)).toBe(true);
    expect(matches(parseMatcher("severity=critical"), l)).toBe(true);
    expect(matches(parseMatcher('market=~"ETH|BTC"'), l)).toBe(true);
    expect(matches(parseMatcher('market=~"ET"'), l)).toBe(false);
    expect(matches(parseMatcher('market!~"SOL.*"'), l)).toBe(true);
    expect(matches(parseMatcher('team!="risk"'), l)).toBe(true);
    expect(matches(parseMatcher('team=""'), l)).toBe(true);
    expect(() => parseMatcher("severity critical")).toThrow(/expected a matcher like/);
    expect(() => parseMatcher('market=~"("')).toThrow(/valid regular expression/);
  });
});

describe("the default route", () => {
  it("pages PagerDuty only for critical; every other receiver gets everything", () => {
    const cfg = load(RECEIVERS);
    const crit = destinations(cfg.route, { severity: "critical", alertname: "x" });
    const warn = destinations(cfg.route, { severity: "warning", alertname: "x" });
    expect(names(crit)).toEqual(["chat", "ops", "pager"]);
    expect(names(warn)).toEqual(["chat", "ops"]);
    // Ungrouped: one notification per alert, at once.
    expect(crit.every((d) => groupKey(d, { alertname: "x" }) === "")).toBe(true);
  });
});

describe("a route tree", () => {
  const TREE = `${RECEIVERS}route:
  receiver: ops
  group_by: [alertname]
  group_wait: 10s
  routes:
    - matchers: ['severity="critical"', 'exchange=~"ref.*"']
      receiver: pager
      continue: true
    - matchers: ['rule="oracle-stale"']
      receiver: [chat, ops]
      group_interval: 1m
    - matchers: ['team="risk"']
      receiver: chat
`;

  it("first match wins, continue goes on, children inherit grouping, unmatched stays at the root", () => {
    const cfg = load(TREE);
    const d = (l: Record<string, string>) => destinations(cfg.route, l);
    expect(names(d({ severity: "critical", exchange: "ref-1", team: "risk" }))).toEqual([
      "chat",
      "pager",
    ]);
    expect(names(d({ severity: "critical", exchange: "other", team: "risk" }))).toEqual(["chat"]);
    expect(names(d({ rule: "oracle-stale", team: "risk" }))).toEqual(["chat", "ops"]);
    expect(names(d({ severity: "info" }))).toEqual(["ops"]);
    const [stale] = d({ rule: "oracle-stale" });
    expect(stale).toMatchObject({
      groupBy: ["alertname"],
      groupWaitMs: 10_000,
      groupIntervalMs: 60_000,
    });
    expect(groupKey(stale!, { alertname: "oracle-stale", market: "ETH" })).toBe(
      '{}:{alertname="oracle-stale"}',
    );
  });

  it("an unknown receiver or a bad matcher is one line naming it", () => {
    expect(errorOf(`${RECEIVERS}route: { receiver: nobody }\n`)).toMatch(
      /key "route": receiver "nobody" is not configured; expected one of pager, ops, chat$/,
    );
    expect(
      errorOf(`${RECEIVERS}route: { receiver: ops, routes: [{ matchers: ["sev critical"] }] }\n`),
    ).toMatch(/key "route\.routes\[0\]\.matchers\[0\]": expected a matcher like/);
  });
});

describe("inhibition and silences", () => {
  it("a firing indexer-lagging mutes the risk rules on its own exchange only (the default)", () => {
    const lag = { alertname: "indexer-lagging", team: "infra", exchange: "ref" };
    const risk = { alertname: "skew", team: "risk", exchange: "ref" };
    const elsewhere = { alertname: "skew", team: "risk", exchange: "tw" };
    expect(inhibitedBy(DEFAULT_INHIBIT_RULES, risk, [lag])).not.toBeNull();
    expect(inhibitedBy(DEFAULT_INHIBIT_RULES, elsewhere, [lag])).toBeNull();
    expect(inhibitedBy(DEFAULT_INHIBIT_RULES, risk, [])).toBeNull();
    expect(inhibitedBy(DEFAULT_INHIBIT_RULES, lag, [lag])).toBeNull();
  });

  it("inhibit rules load from the configuration", () => {
    const cfg = load(`${RECEIVERS}inhibit_rules:
  - source_matchers: ['alertname="oracle-stale"']
    target_matchers: ['category="cascade"']
    equal: [exchange, market]
`);
    expect(cfg.inhibitRules).toHaveLength(1);
    expect(cfg.inhibitRules[0]!.equal).toEqual(["exchange", "market"]);
  });

  it("a silence mutes matching alerts while active only", () => {
    const s = {
      id: "s1",
      matchers: [parseMatcher('market="SOL"')],
      startsAtMs: 100,
      endsAtMs: 200,
      createdBy: "ana",
      comment: "",
      createdAtMs: 0,
    };
    expect(silencedBy([s], { market: "SOL" }, 150)).toBe(s);
    expect(silencedBy([s], { market: "SOL" }, 50)).toBeNull();
    expect(silencedBy([s], { market: "SOL" }, 200)).toBeNull();
    expect(silencedBy([s], { market: "ETH" }, 150)).toBeNull();
  });
});
