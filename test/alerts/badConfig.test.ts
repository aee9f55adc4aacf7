/**
 * What an operator sees when the configuration is wrong: the worker process exits 1 with
 * exactly one line on stderr naming the problem (no stack trace), for a bad rule, a bad
 * webhook URL, a missing file and a store it cannot open. A webhook URL that is well formed
 * but leads nowhere is one warning line per attempt while the worker keeps running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeApi } from "./support/fakeApi.js";
import { observation } from "./support/observations.js";
import { makeDir, startFakeApi, workerConfig } from "./support/scenario.js";
import { startWorker, writeConfig } from "./support/workerProcess.js";

describe("bad configuration", () => {
  let tmp: Awaited<ReturnType<typeof makeDir>>;
  let api: FakeApi;
  beforeAll(async () => {
    tmp = await makeDir("perpwatch-alerts-badcfg-");
    api = await startFakeApi(observation(10));
  });
  afterAll(async () => {
    await api?.close();
    tmp?.remove();
  });

  async function oneLine(config: unknown): Promise<string> {
    const path = writeConfig(tmp.dir, `c${Math.random().toString(36).slice(2)}.yaml`, config);
    const w = startWorker(["--config", path]);
    expect(await w.exited).toBe(1);
    const lines = w
      .stderr()
      .split("\n")
      .filter((l) => l !== "");
    expect(lines).toHaveLength(1);
    return lines[0]!.replace(path, "<file>");
  }

  const base = {
    receivers: { ops: { type: "webhook", url: "http://127.0.0.1:9/hook" } },
    store: { kind: "pglite", directory: "/tmp/unused" },
  };

  it("a bad rule names the rule, the key and what was expected", async () => {
    const line = await oneLine({
      ...base,
      rules: [
        {
          name: "eth-burst",
          kind: "liquidation_burst",
          severity: "critical",
          threshold: "lots",
          window: "1m",
        },
      ],
    });
    expect(line).toBe(
      'perpwatch alerts: alerts config <file>: rule "eth-burst" (rules[0]) key "threshold": expected number, received string (got "lots")',
    );
  }, 60_000);

  it("a bad webhook URL is one line", async () => {
    const line = await oneLine({
      ...base,
      receivers: { ops: { type: "slack", url: "hooks.slack.com/x" } },
    });
    expect(line).toBe(
      'perpwatch alerts: alerts config <file>: key "receivers.ops.url": expected an http(s) URL like "https://example.com/hook" (got "hooks.slack.com/x")',
    );
  }, 60_000);

  it("a missing file and an unreachable store are one line each", async () => {
    const w = startWorker(["--config", "/nonexistent/alerts.yaml"]);
    expect(await w.exited).toBe(1);
    expect(w.stderr()).toBe(
      "perpwatch alerts: alerts config /nonexistent/alerts.yaml: cannot read it (ENOENT)\n",
    );
    const line = await oneLine({
      ...base,
      store: { kind: "postgres", url: "postgresql://u:pw@127.0.0.1:9/db" },
    });
    expect(line).toMatch(
      /^perpwatch alerts: alert store PostgreSQL postgresql:\/\/u:\*\*\*@127\.0\.0\.1:9\/db: cannot open it: .*ECONNREFUSED.*$/,
    );
  }, 60_000);

  it("a webhook host that does not resolve is one warning line per attempt, and the worker runs on", async () => {
    const config = workerConfig(tmp.dir, api, "http://perpwatch-no-such-host.invalid", {
      delivery: { initialBackoff: "200ms", maxBackoff: "400ms" },
    });
    const w = startWorker(["--config", config]);
    try {
      await w.waitForLog(/block feed: subscribed/);
      api.publish(
        observation(11, {
          markets: observation(11).markets!.map((m) => ({ ...m, skewRatio: 0.9 })),
        }),
      );
      await w.waitForLog(
        /failed: (host not found \(ENOTFOUND\)|host name lookup failed \(EAI_AGAIN\))/,
        20_000,
      );
      const line = w.logs.find((l) => /^delivery firing to ops/.test(String(l.msg)))!;
      expect(String(line.msg)).toMatch(
        /^delivery firing to ops \(http:\/\/perpwatch-no-such-host\.invalid\/hook\) failed: (host not found \(ENOTFOUND\)|host name lookup failed \(EAI_AGAIN\)); retry 2 in \d+\.\d s$/,
      );
      expect(w.stderr()).toBe("");
    } finally {
      await w.stop();
    }
  }, 60_000);
});
