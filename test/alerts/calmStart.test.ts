/**
 * A calm devnet start pages nothing critical with the default rule pack: the devnet's calm
 * scenario (its insurance fund, 300 accounts, seed 42) run in memory for its first three
 * minutes of chain time through the worker's evaluator and lifecycle (`runBacktest`, the
 * backtest's path: reference engine + the API's analytics, no chain, no webhooks). Before
 * issue 19, `insurance-coverage-low` paged critical within 45 s of every start. Then a calm
 * backtest book (validation seed 1011) on which `insurance-coverage-critical` at a fixed ±5%
 * paged; it now weighs the shocks the realized volatility makes plausible.
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

  it("pages nothing critical on the calm book whose +5% bad debt exceeds twice the fund", () => {
    // Backtest calm seed 1011: degens ~100x short BTC; a +5% rise would leave ~$0.9M of bad
    // debt against a ~$0.4M fund, and insurance-coverage-critical at a fixed ±5% paged at
    // tick 330. At calm volatility no grid shock is plausible within ten minutes.
    const config = loadAlertsConfig({ overrides: { localReceiver: { enabled: true } } });
    const run = runBacktest(referenceBacktest.start("calm", 1011, { accounts: 300 }), {
      rules: config.rules,
      schedules: config.schedules,
      ticks: 420,
    });
    const critical = run.firings.filter((f) => f.severity === "critical");
    expect(critical.map((f) => `${f.rule} ${f.market ?? ""} at tick ${f.tick}`)).toEqual([]);
  }, 60_000);
});
