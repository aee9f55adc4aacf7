import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KINDS } from "../evaluate/kinds.js";
import { loadAlertsConfig } from "./alertsConfig.js";
import { AlertsConfigError } from "./configError.js";

const dir = mkdtempSync(join(tmpdir(), "perpwatch-alerts-config-"));
let n = 0;
function file(text: string): string {
  const p = join(dir, `c${n++}.yaml`);
  writeFileSync(p, text);
  return p;
}

const RECEIVER = "receivers:\n  ops: { type: webhook, url: http://127.0.0.1:9/hook }\n";

/** The one line start-up would print for this config. */
function errorOf(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    loadAlertsConfig({ path: file(text), env });
  } catch (err) {
    expect(err).toBeInstanceOf(AlertsConfigError);
    const msg = (err as Error).message;
    expect(msg.includes("\n")).toBe(false);
    return msg;
  }
  throw new Error("expected the config to be rejected");
}

describe("alerts configuration", () => {
  it("the default rule pack loads and covers every kind a risk team starts from", () => {
    const cfg = loadAlertsConfig({ path: file(RECEIVER) });
    const kinds = new Set(cfg.rules.map((r) => r.kind));
    for (const k of Object.keys(KINDS)) expect(kinds.has(k as never), k).toBe(true);
    expect(cfg.rules.every((r) => r.severity && r.labels.team)).toBe(true);
    expect(cfg.store).toEqual({
      kind: "pglite",
      directory: ".perpwatch/alerts",
      schema: "perpwatch_alerts",
    });
    expect(cfg.rules.find((r) => r.name === "insurance-coverage-low")?.schedule).toBe("stress");
    expect(cfg.rules.find((r) => r.name === "liquidation-burst")?.schedule).toBe("block");
    expect(cfg.schedules.digest).toBe("0 0 9 * * *");
  });

  it("durations, per-market thresholds and env secrets are parsed", () => {
    const cfg = loadAlertsConfig({
      path: file(`${RECEIVER}
  pd: { type: pagerduty, routingKey: abc, secret: "env:PW_SECRET" }
rules:
  - name: skew
    kind: skew_extreme
    severity: warning
    threshold: 0.5
    markets: { ETH: 0.3, DOGE: "off" }
    for: 1m30s
    cooldown: 10m
    labels: { team: risk }
`),
      env: { PW_SECRET: "s3cret" },
    });
    const [rule] = cfg.rules;
    expect(rule).toMatchObject({
      for: 90_000,
      cooldown: 600_000,
      markets: { ETH: 0.3, DOGE: "off" },
    });
    expect(cfg.receivers.find((r) => r.name === "pd")).toMatchObject({
      url: "https://events.pagerduty.com/v2/enqueue",
      secret: "s3cret",
    });
  });

  it("a bad rule names the rule, the key and what was expected", () => {
    const rule = (body: string) =>
      `${RECEIVER}rules:\n  - name: ok-rule\n    kind: skew_extreme\n    severity: info\n    threshold: 1\n  - name: eth-skew\n${body}`;
    expect(
      errorOf(rule("    kind: skew_extreme\n    severity: warning\n    threshold: high\n")),
    ).toMatch(
      /rule "eth-skew" \(rules\[1\]\) key "threshold": expected number, received string \(got "high"\)$/,
    );
    expect(errorOf(rule("    kind: skew_extreme\n    severity: loud\n    threshold: 1\n"))).toMatch(
      /rule "eth-skew" \(rules\[1\]\) key "severity": invalid option: expected one of "critical"\|"warning"\|"info" \(got "loud"\)$/,
    );
    expect(errorOf(rule("    kind: skew_extrem\n    severity: info\n    threshold: 1\n"))).toMatch(
      /rule "eth-skew" \(rules\[1\]\) key "kind": expected one of cascade_amplification, .* \(got "skew_extrem"\)$/,
    );
    expect(
      errorOf(
        rule("    kind: skew_extreme\n    severity: info\n    threshold: 1\n    for: soon\n"),
      ),
    ).toMatch(
      /rule "eth-skew" \(rules\[1\]\) key "for": expected a duration like "30s", "5m" or "1h" \(got "soon"\)$/,
    );
    expect(
      errorOf(
        rule("    kind: skew_extreme\n    severity: info\n    threshold: 1\n    window: 5m\n"),
      ),
    ).toMatch(/rule "eth-skew" \(rules\[1\]\): unknown key "window"; check the spelling$/);
    expect(
      errorOf(
        rule(
          "    kind: skew_extreme\n    severity: info\n    threshold: 1\n    schedule: hourly\n",
        ),
      ),
    ).toMatch(
      /rule "eth-skew" \(rules\[1\]\) key "schedule": expected "block" or one of stress, var, digest \(got "hourly"\)$/,
    );
    expect(
      errorOf(
        rule(
          "    kind: skew_extreme\n    severity: info\n    threshold: 1\n    receivers: [pager]\n",
        ),
      ),
    ).toMatch(
      /rule "eth-skew" \(rules\[1\]\) key "receivers": expected one of ops \(got "pager"\)$/,
    );
    expect(
      errorOf(
        rule(
          "    kind: skew_extreme\n    severity: info\n    threshold: 1\n    labels: { market: x }\n",
        ),
      ),
    ).toMatch(
      /key "labels.market": label "market" is set by the evaluator; expected another name$/,
    );
    expect(
      errorOf(
        rule(
          "    kind: liquidation_burst\n    severity: info\n    threshold: 1\n    markets: { ETH: 1 }\n",
        ),
      ),
    ).toMatch(/rule "eth-skew" \(rules\[1\]\): unknown key "markets"; check the spelling$/);
    expect(
      errorOf(
        rule("    kind: skew_extreme\n    severity: info\n    threshold: 1\n").replace(
          "eth-skew",
          "ok-rule",
        ),
      ),
    ).toMatch(/rule "ok-rule" \(rules\[1\]\): the name is used twice; expected unique rule names$/);
  });

  it("a rule's exchanges scope: absent is every exchange; listed ids are checked", () => {
    const cfg = loadAlertsConfig({
      path: file(`${RECEIVER}rules:
  - { name: all, kind: skew_extreme, severity: info, threshold: 1 }
  - { name: two, kind: skew_extreme, severity: info, threshold: 1, exchanges: [ref, tw-8453] }
`),
    });
    expect(cfg.rules.map((r) => r.exchanges)).toEqual([undefined, ["ref", "tw-8453"]]);
    const scoped = (list: string) =>
      errorOf(
        `${RECEIVER}rules:\n  - name: eth-skew\n    kind: skew_extreme\n    severity: info\n    threshold: 1\n    exchanges: ${list}\n`,
      );
    expect(scoped("[]")).toMatch(
      /rule "eth-skew" \(rules\[0\]\) key "exchanges": expected at least one exchange id \(leave the key out to watch every exchange\) \(got \[\]\)$/,
    );
    expect(scoped('["ref", "no spaces"]')).toMatch(
      /rule "eth-skew" \(rules\[0\]\) key "exchanges\[1\]": expected an exchange id like "reference-31337" \(letters, digits, _ \. -\) \(got "no spaces"\)$/,
    );
    expect(scoped("[ref, tw, ref]")).toMatch(
      /rule "eth-skew" \(rules\[0\]\) key "exchanges\[2\]": expected each exchange once \(got "ref" twice\)$/,
    );
    expect(scoped("ref")).toMatch(
      /key "exchanges": expected array, received string \(got "ref"\)$/,
    );
    expect(
      errorOf(
        `${RECEIVER}rules:\n  - { name: x, kind: skew_extreme, severity: info, threshold: 1, labels: { exchange: ref } }\n`,
      ),
    ).toMatch(
      /key "labels.exchange": label "exchange" is set by the evaluator; expected another name$/,
    );
  });

  it("bad webhook URLs, stores, schedules and YAML each give one line", () => {
    expect(errorOf("receivers:\n  ops: { type: webhook, url: 'htp:/x' }\n")).toBe(
      `alerts config ${join(dir, `c${n - 1}.yaml`)}: key "receivers.ops.url": expected an http(s) URL like "https://example.com/hook" (got "htp:/x")`,
    );
    expect(errorOf("receivers:\n  ops: { type: webhook, url: 'not a url' }\n")).toMatch(
      /key "receivers.ops.url": expected an http\(s\) URL/,
    );
    expect(errorOf("receivers:\n  ops: { type: teams, url: 'http://x' }\n")).toMatch(
      /key "receivers.ops.type": expected one of webhook, slack, pagerduty, alertmanager, discord, telegram, email \(got "teams"\)$/,
    );
    expect(errorOf(`${RECEIVER}store: { kind: postgres, url: mysql://x }\n`)).toMatch(
      /key "store.url": expected a postgres:\/\/ URL \(got "mysql:\/\/x"\)$/,
    );
    expect(errorOf(`${RECEIVER}schedules: { stress: "every minute" }\n`)).toMatch(
      /key "schedules.stress": expected a cron expression like/,
    );
    expect(
      errorOf(`${RECEIVER}  pd: { type: pagerduty, routingKey: k, secret: "env:NOPE" }\n`),
    ).toMatch(
      /environment variable not set: NOPE \(for receivers\.pd\.secret\); expected each to hold the value/,
    );
    expect(errorOf("receivers: {}\n")).toMatch(/key "receivers": expected at least one receiver/);
    expect(errorOf("receivers: [\n")).toMatch(/not valid YAML/);
    expect(errorOf(`${RECEIVER}rulesFile: nope.yaml\n`)).toMatch(
      /alerts rules file .*nope.yaml: cannot read it \(ENOENT\)$/,
    );
    expect(
      errorOf(`${RECEIVER}api: { url: 'http://127.0.0.1:1/graphql', pollInterval: fast }\n`),
    ).toMatch(/key "api.pollInterval": expected a duration/);
  });
});

describe("api replicas", () => {
  it("api.url takes one endpoint or a list (the first is `url`, all are `urls`); a bad entry is one line", () => {
    const one = loadAlertsConfig({ path: file(`${RECEIVER}api: { url: 'http://a:1/graphql' }\n`) });
    expect([one.api.url, one.api.urls]).toEqual(["http://a:1/graphql", ["http://a:1/graphql"]]);
    const two = loadAlertsConfig({
      path: file(`${RECEIVER}api: { url: ['http://a:1/graphql', 'http://b:2/graphql'] }\n`),
    });
    expect([two.api.url, two.api.urls]).toEqual([
      "http://a:1/graphql",
      ["http://a:1/graphql", "http://b:2/graphql"],
    ]);
    expect(errorOf(`${RECEIVER}api: { url: ['http://a:1/graphql', 'ftp://b'] }\n`)).toMatch(
      /key "api.url\[1\]": expected an http\(s\) URL/,
    );
    expect(errorOf(`${RECEIVER}api: { url: [] }\n`)).toMatch(
      /key "api.url": expected an API URL or a list of them/,
    );
  });
});

describe("overrides", () => {
  it("merge into the file's sections key by key; receivers are replaced whole", () => {
    const path = file(
      `${RECEIVER}api: { url: "http://a:1/graphql", pollInterval: 100ms, timeout: 3s }\n`,
    );
    const cfg = loadAlertsConfig({
      path,
      overrides: {
        api: { url: "http://b:2/graphql" },
        localReceiver: { enabled: true },
        receivers: { pd: { type: "pagerduty", routingKey: "k" } },
      },
    });
    expect(cfg.api).toEqual({
      url: "http://b:2/graphql",
      urls: ["http://b:2/graphql"],
      pollInterval: 100,
      timeout: 3000,
      blockFeed: "auto",
    });
    expect(cfg.localReceiver.enabled).toBe(true);
    expect(cfg.receivers.map((r) => r.name)).toEqual(["pd"]);
  });
});
