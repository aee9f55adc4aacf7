import { describe, expect, it } from "vitest";
import { cascade, observation, withMarket } from "../../test/alerts/support/observations.js";
import { type Rule, ruleSchema } from "../config/ruleSchema.js";
import type { HistorySample } from "../observation.js";
import { moveWithin } from "./cascadeKinds.js";
import { evaluateRule } from "./evaluate.js";

const inMotion: Rule = ruleSchema.parse({
  name: "cascade-in-motion",
  kind: "cascade_amplification",
  severity: "critical",
  shock: -0.05,
  threshold: 1.1,
  motion: { window: "60s", minMove: 0.015 },
});

/** ETH fragile (a 5% fall amplifies 1.2×) at block 200, ETH at `ethNow`. */
function fragileAt(ethNow: number) {
  const base = observation(200);
  base.markets = base.markets!.map((m) => ({ ...m, cascades: [cascade(-0.05)] }));
  return withMarket(base, "ETH", {
    price: ethNow,
    cascades: [cascade(-0.05, 1.2, 5_000_000)],
  });
}

/** ETH at 3,400 for blocks 140–199 (one per second). */
const history: HistorySample[] = Array.from({ length: 60 }, (_, i) => ({
  blockNumber: BigInt(140 + i),
  timestamp: 1_700_000_000 + 40 + i,
  prices: { "2": 3_400 },
  insuranceFund: 50_000,
}));

const eth = (obs: ReturnType<typeof fragileAt>) => {
  const ev = evaluateRule(inMotion, obs, history);
  if (!ev.signals) throw new Error(ev.noData);
  return ev.signals.find((s) => s.labels.market === "ETH")!;
};

describe("cascade amplification in motion", () => {
  it("a fragile book alone does not page; once the market has fallen minMove it does", () => {
    expect(eth(fragileAt(3_380)).active).toBe(false); // −0.6 %
    expect(eth(fragileAt(3_340)).active).toBe(true); // −1.8 %
    expect(eth(fragileAt(3_340)).annotations.summary).toContain("amplification 1.2");
  });

  it("measures the fall from the window's high, only within the window", () => {
    const samples: HistorySample[] = [
      { blockNumber: 10n, timestamp: 90, prices: { "2": 4_000 }, insuranceFund: null },
      { blockNumber: 50n, timestamp: 150, prices: { "2": 3_500 }, insuranceFund: null },
    ];
    const obs = { block: { number: 60n, timestamp: 160 } };
    expect(moveWithin("2", 3_430, -0.05, 60_000, obs, samples)).toBeCloseTo(0.02, 9);
    expect(moveWithin("2", 3_430, 0.05, 60_000, obs, samples)).toBe(0);
    expect(moveWithin("2", 3_600, 0.05, 60_000, obs, samples)).toBeCloseTo(3_600 / 3_500 - 1, 9);
  });

  it("with minSigmas, the move counts against the market's own baseline volatility", () => {
    const bySigmas: Rule = ruleSchema.parse({
      name: "cascade-in-motion",
      kind: "cascade_amplification",
      severity: "critical",
      shock: -0.05,
      threshold: 1.1,
      motion: { window: "60s", minSigmas: 3 },
    });
    // ETH alternating ±r a second over the 5 minutes before the window, then flat at 3,400.
    const samples = (r: number): HistorySample[] =>
      Array.from({ length: 360 }, (_, i) => ({
        blockNumber: BigInt(i - 160),
        timestamp: 1_700_000_000 - 260 + i,
        prices: { "2": 3_400 * Math.exp(i < 300 ? (i % 2) * r : 0) },
        insuranceFund: 50_000,
      }));
    const at = (r: number, ethNow: number) => {
      const ev = evaluateRule(bySigmas, fragileAt(ethNow), samples(r));
      if (!ev.signals) throw new Error(ev.noData);
      return ev.signals.find((s) => s.labels.market === "ETH")!.active;
    };
    // Quiet (σ 0.0002/√s, 3σ of a minute = 0.46%): a 0.6% fall is a move.
    expect(at(0.0002, 3_380)).toBe(true);
    expect(at(0.0002, 3_390)).toBe(false); // −0.3 %
    // Noisy (σ 0.001/√s, 3σ = 2.3%): the same fall is noise, a 2.5% one is not.
    expect(at(0.001, 3_380)).toBe(false);
    expect(at(0.001, 3_315)).toBe(true);
    // No baseline yet: not in motion, or in motion by the fallback move when there is one.
    const ev = evaluateRule(bySigmas, fragileAt(3_300), history);
    expect(ev.signals!.find((s) => s.labels.market === "ETH")!.active).toBe(false);
    const cold = ruleSchema.parse({
      ...bySigmas,
      motion: { window: "60s", minSigmas: 3, fallbackMove: 0.015 },
    });
    const coldEth = (ethNow: number) =>
      evaluateRule(cold, fragileAt(ethNow), history).signals!.find(
        (s) => s.labels.market === "ETH",
      )!.active;
    expect(coldEth(3_300)).toBe(true); // −2.9 %
    expect(coldEth(3_380)).toBe(false); // −0.6 %
    expect(() => ruleSchema.parse({ ...bySigmas, motion: { window: "60s" } })).toThrow(
      /minMove > 0 or minSigmas/,
    );
  });
});
