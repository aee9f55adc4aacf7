/**
 * A calm devnet start pages nothing critical with the default rule pack: the devnet's calm
 * scenario (its insurance fund, 300 accounts, seed 42) run in memory for its first three
 * minutes of chain time through the worker's evaluator and lifecycle (`runBacktest`, the
 * backtest's path: reference engine + the API's analytics, no chain, no webhooks). Before
 * issue 19, `insurance-coverage-low` paged critical within 45 s of every start.
 */
import { describe, expect, it } from "vitest";
import { loadAlertsConfig } from "../../alerts/config/alertsConfig.js";
import { runBacktest } from "../../alerts/service/backtest.js";
import { referenceBacktest } from "../../protocols/reference/devnet/backtest.js";

describe("calm devnet start", () => {
  it("pages nothing critical in its first three minutes", () => {
    const config = loadAlertsConfig({ overrides: { localReceiver: { enabled: true } } });
    const run = runBacktest(referenceBacktest.start("calm", 42, { accounts: 300 }), {
      rules: config.rules,
      schedules: config.schedules,
      ticks: 180,
    });
    // The stress rules ran (every 30 s of chain time), so "nothing" is not "not evaluated".
    expect(run.endTime - run.startTime).toBeGreaterThanOrEqual(170);
    const critical = run.firings.filter((f) => f.severity === "critical");
    expect(critical.map((f) => `${f.rule} ${f.market ?? ""} at tick ${f.tick}`)).toEqual([]);
  }, 60_000);
});
