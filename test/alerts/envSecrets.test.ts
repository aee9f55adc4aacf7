/**
 * `env:NAME` for every secret-bearing value: PagerDuty routing keys, Slack/Discord/webhook
 * URLs, Telegram tokens, HMAC secrets (one or several), header values, the store URL. A
 * missing variable is named (all of them in one line), a value from the environment never
 * appears in an error, and logs name secret URLs by their origin only.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAlertsConfig } from "../../alerts/config/alertsConfig.js";
import { secretsOf } from "../../alerts/config/receiverSchema.js";

const dir = mkdtempSync(join(tmpdir(), "perpwatch-env-secrets-"));
let n = 0;
function file(text: string): string {
  const p = join(dir, `c${n++}.yaml`);
  writeFileSync(p, text);
  return p;
}

const ALL = `receivers:
  pager: { type: pagerduty, routingKey: "env:PD_KEY" }
  chat: { type: slack, url: "env:SLACK_URL" }
  ops:
    type: webhook
    url: "env:HOOK_URL"
    secrets: ["env:HOOK_SECRET", "env:HOOK_SECRET_NEXT"]
    headers: { authorization: "env:HOOK_AUTH" }
  disc: { type: discord, url: "env:DISCORD_URL" }
  tg: { type: telegram, token: "env:TG_TOKEN", chatId: -100123 }
  am: { type: alertmanager, url: "http://am:9093", headers: { authorization: "env:AM_AUTH" } }
store: { kind: postgres, url: "env:ALERTS_PG" }
`;

const ENV = {
  PD_KEY: "R0UTINGKEY0123456789abcdef012345",
  SLACK_URL: "https://hooks.slack.com/services/T000/B000/XXXXSECRET",
  HOOK_URL: "https://ops.example.com/hook?token=sekrit",
  HOOK_SECRET: "whsec_c2VjcmV0LW9uZQ==",
  HOOK_SECRET_NEXT: "second-secret",
  HOOK_AUTH: "Bearer abc.def",
  DISCORD_URL: "https://discord.com/api/webhooks/1/tok3n",
  TG_TOKEN: "123456:ABC-def_ghi",
  AM_AUTH: "Basic dXNlcjpwdw==",
  ALERTS_PG: "postgres://alerts:pw@db:5432/perpwatch",
};

describe("env: secrets", () => {
  it("every secret-bearing value is read from its variable", () => {
    const cfg = loadAlertsConfig({ path: file(ALL), env: ENV });
    const by = Object.fromEntries(cfg.receivers.map((r) => [r.name, r]));
    expect(by.pager).toMatchObject({ routingKey: ENV.PD_KEY, rateLimit: { perMinute: 120 } });
    expect(by.chat).toMatchObject({ url: ENV.SLACK_URL });
    expect(by.ops).toMatchObject({
      url: ENV.HOOK_URL,
      secrets: [ENV.HOOK_SECRET, ENV.HOOK_SECRET_NEXT],
      headers: { authorization: ENV.HOOK_AUTH },
    });
    expect(by.disc).toMatchObject({ url: ENV.DISCORD_URL });
    expect(by.tg).toMatchObject({ token: ENV.TG_TOKEN, chatId: "-100123" });
    expect(by.am).toMatchObject({ headers: { authorization: ENV.AM_AUTH } });
    expect(cfg.store).toMatchObject({ url: ENV.ALERTS_PG });
    // What logs show of each receiver: no secret in it.
    const shown = cfg.receivers.map((r) => r.display ?? "").join(" ");
    for (const v of Object.values(ENV)) expect(shown).not.toContain(v);
    expect(by.chat!.display).toBe("https://hooks.slack.com/…");
    expect(by.tg!.display).toBe("https://api.telegram.org/…");
    expect(by.am!.display).toBe("http://am:9093/api/v2/alerts");
    expect(secretsOf(by.ops!)).toEqual([ENV.HOOK_SECRET, ENV.HOOK_SECRET_NEXT, ENV.HOOK_AUTH]);
  });

  it("names every missing variable and the key that wants it, in one line", () => {
    let err = "";
    try {
      loadAlertsConfig({ path: file(ALL), env: { SLACK_URL: ENV.SLACK_URL } });
    } catch (e) {
      err = (e as Error).message;
    }
    expect(err.split("\n")).toHaveLength(1);
    expect(err).toMatch(
      /environment variables not set: PD_KEY \(for receivers\.pager\.routingKey\), HOOK_URL \(for receivers\.ops\.url\), HOOK_SECRET \(for receivers\.ops\.secrets\[0\]\)/,
    );
    expect(err).toMatch(/TG_TOKEN \(for receivers\.tg\.token\).*ALERTS_PG \(for store\.url\)/);
    expect(err).not.toContain(ENV.SLACK_URL);
  });

  it("a value from the environment that is invalid is named by key and variable, not printed", () => {
    let err = "";
    try {
      loadAlertsConfig({
        path: file(`receivers:\n  chat: { type: slack, url: "env:SLACK_URL" }\n`),
        env: { SLACK_URL: "hooks.slack.com/services/T000/B000/XXXXSECRET" },
      });
    } catch (e) {
      err = (e as Error).message;
    }
    expect(err).toMatch(
      /key "receivers\.chat\.url" \(from environment variable SLACK_URL\): expected an http\(s\) URL .*\(value not shown\)$/,
    );
    expect(err).not.toContain("XXXXSECRET");
  });
});
