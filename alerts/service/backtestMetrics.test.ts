import { describe, expect, it } from "vitest";
import type { Firing, RunOutcome } from "./backtest.js";
import { scoreRuns, simulatedHours, warningOf } from "./backtestMetrics.js";

const firing = (
  rule: string,
  market: string | null,
  at: number,
  resolvedAt: number | null = null,
): Firing => ({
  rule,
  severity: "critical",
  market,
  fingerprint: `${rule}-${market}`,
  tick: at,
  block: BigInt(at),
  at,
  resolvedAt,
});

const run = (
  family: RunOutcome["family"],
  firings: Firing[],
  firstLiq: number | null = null,
): RunOutcome => ({
  family,
  seed: 1,
  description: "",
  crashMarket: family === "crash" ? "ETH" : null,
  crashStartTick: family === "crash" ? 100 : null,
  ticks: 86_400,
  startTime: 0,
  endTime: 86_399,
  firstLiquidation:
    firstLiq === null ? null : { tick: firstLiq, block: BigInt(firstLiq), at: firstLiq },
  liquidations: firstLiq === null ? 0 : 10,
  firings,
  wallSeconds: 0,
});

describe("backtest scores", () => {
  it("a warning is a firing for the crashing market (or global) in effect at the first liquidation", () => {
    const r = run(
      "crash",
      [firing("r", "BTC", 10), firing("r", "ETH", 20, 50), firing("r", "ETH", 90, 100)],
      200,
    );
    expect(warningOf(r, "r")).toBeNull(); // ETH resolved 100+ s before; BTC is not the crash
    const ok = run("crash", [firing("r", "ETH", 20, 170), firing("g", null, 150)], 200);
    expect(warningOf(ok, "r")?.at).toBe(20);
    expect(warningOf(ok, "g")?.at).toBe(150);
    expect(warningOf(run("crash", [firing("r", "ETH", 200)], 200), "r")).toBeNull(); // same block
  });

  it("recall, lead, pages per simulated day and precision", () => {
    const runs = [
      run("crash", [firing("r", "ETH", 140)], 200),
      run("crash", [], 300),
      run("crash", [firing("r", "ETH", 10)], null), // no liquidation: not a cascade
      run("fragile", [firing("r", "SOL", 5), firing("r", "BTC", 9)]),
      run("calm", [firing("r", "SOL", 5)]),
    ];
    const [s] = scoreRuns(runs, [{ name: "r", severity: "critical" }]);
    expect(s).toMatchObject({ crashes: 2, warned: 1, recall: 0.5, leadS: [60, 60, 60] });
    expect(s!.pagesPerDay).toEqual({ fragile: 2, calm: 1, squeeze: null });
    expect(s!.precision).toBeCloseTo(1 / 3, 9);
    expect(simulatedHours(runs)).toEqual({ crash: 72, fragile: 24, calm: 24 });
  });
});
