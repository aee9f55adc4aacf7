import { describe, expect, it } from "vitest";
import {
  cascade,
  DEFAULT_EXCHANGE,
  market,
  observation,
  SYMBOLS,
  withMarket,
} from "../../test/alerts/support/observations.js";
import { type Rule, type RuleInput, ruleSchema } from "../config/ruleSchema.js";
import type { HistorySample } from "../observation.js";
import { evaluateRule, needsOf, type Signal } from "./evaluate.js";

const rule = (r: Partial<RuleInput> & Pick<RuleInput, "kind">): Rule =>
  ruleSchema.parse({ name: `r-${r.kind}`, severity: "warning", threshold: 1, ...r });

function signals(r: Rule, obs = observation(), history: HistorySample[] = []): Signal[] {
  const ev = evaluateRule(r, obs, history);
  if (ev.signals === undefined) throw new Error(`no data: ${ev.noData}`);
  return ev.signals;
}
const active = (s: Signal[]) =>
  s.filter((x) => x.active).map((x) => x.labels.market ?? x.labels.account ?? "global");

describe("evaluator", () => {
  it("cascade amplification: one instance per market, per-market thresholds, minimum size", () => {
    const r = rule({
      kind: "cascade_amplification",
      threshold: 1.5,
      markets: { SOL: 3, WIF: "off" },
      minLiquidatedUsd: 10_000,
    });
    let obs = withMarket(observation(), "ETH", { cascades: [cascade(-0.1, 1.8, 400_000)] });
    obs = withMarket(obs, "SOL", { cascades: [cascade(-0.1, 2, 400_000)] });
    obs = withMarket(obs, "BTC", { cascades: [cascade(-0.1, 2, 5_000)] });
    obs = withMarket(obs, "WIF", { cascades: [cascade(-0.1, 9, 900_000)] });
    const s = signals(r, obs);
    expect(s.map((x) => x.labels.market)).toEqual(["BTC", "ETH", "SOL", "DOGE"]);
    expect(active(s)).toEqual(["ETH"]);
    const eth = s.find((x) => x.labels.market === "ETH")!;
    expect(eth.labels).toEqual({
      alertname: "r-cascade_amplification",
      severity: "warning",
      exchange: DEFAULT_EXCHANGE,
      market: "ETH",
    });
    expect(eth.annotations.summary).toBe(
      "ETH: a -10.0% shock cascades to -18.0% (amplification 1.80 ≥ 1.50), liquidating $400,000",
    );
    expect(s.find((x) => x.labels.market === "SOL")!.threshold).toBe(3);
    expect(needsOf([r]).marketShocks).toEqual([-0.1]);
  });

  it("cascade amplification needs its shock, or reports no data", () => {
    const r = rule({ kind: "cascade_amplification", shock: -0.2 });
    expect(evaluateRule(r, observation()).noData).toMatch(/no cascade for market BTC/);
    const g = rule({ kind: "cascade_amplification", scope: "global", threshold: 1.2 });
    const obs = observation(100, { correlatedCascades: [cascade(-0.1, 1.3, 1e6)] });
    expect(active(signals(g, obs))).toEqual(["global"]);
    expect(needsOf([g]).correlatedShocks).toEqual([-0.1]);
  });

  it("liquidatable near the mark, as a share of open interest", () => {
    const r = rule({
      kind: "liquidatable_near_mark",
      withinPct: 3,
      threshold: 0.2,
      minOpenInterestUsd: 500_000,
    });
    let obs = withMarket(observation(), "ETH", {
      liquidatableWithin: { pct1: 0, pct3: 300_000, pct5: 0, pct10: 0 },
    });
    obs = withMarket(obs, "DOGE", {
      openInterestUsd: 100_000,
      liquidatableWithin: { pct1: 0, pct3: 90_000, pct5: 0, pct10: 0 },
    });
    const s = signals(r, obs);
    expect(active(s)).toEqual(["ETH"]);
    expect(s.find((x) => x.labels.market === "ETH")!.value).toBeCloseTo(0.3);
  });

  it("insurance coverage of the worst stress bad debt, below the threshold", () => {
    const r = rule({ kind: "insurance_coverage", shocks: [-0.2, -0.1], threshold: 1 });
    const points = (bd: number) => [
      {
        shock: -0.2,
        liquidatedNotional: 1e6,
        badDebt: bd,
        uncoveredBadDebt: 0,
        amplification: 1.2,
      },
      {
        shock: -0.1,
        liquidatedNotional: 1e5,
        badDebt: bd / 4,
        uncoveredBadDebt: 0,
        amplification: 1.1,
      },
      { shock: -0.5, liquidatedNotional: 1e7, badDebt: 1e9, uncoveredBadDebt: 0, amplification: 2 },
    ];
    const at = (bd: number) =>
      observation(100, { stress: { withImpact: true, points: points(bd) } });
    expect(active(signals(r, at(40_000)))).toEqual([]);
    const s = signals(r, at(100_000));
    expect(active(s)).toEqual(["global"]);
    expect(s[0]!.value).toBeCloseTo(0.5);
    expect(s[0]!.annotations.summary).toContain("$100,000 at a -20.0% shock");
    expect(signals(r, at(0))[0]!.value).toBe(Number.POSITIVE_INFINITY);
    expect(evaluateRule(r, observation()).noData).toBeDefined();
    expect(needsOf([r]).stress).toEqual({ shocks: [-0.2, -0.1], withImpact: true });
    // Two stress rules share one grid: the union of their shocks (the last used to win).
    const page = rule({ kind: "insurance_coverage", shocks: [-0.05, -0.1], threshold: 0.5 });
    expect(needsOf([r, page]).stress).toEqual({ shocks: [-0.2, -0.1, -0.05], withImpact: true });
  });

  it("ADL likely: pending bad debt, or the API's cascade flag", () => {
    const r = rule({ kind: "adl_likely", threshold: 1 });
    const base = observation();
    expect(active(signals(r, base))).toEqual([]);
    expect(
      active(signals(r, { ...base, exchange: { ...base.exchange!, pendingBadDebt: 5 } })),
    ).toEqual(["global"]);
    expect(
      active(signals(r, { ...base, exchange: { ...base.exchange!, adlLikely: true } })),
    ).toEqual(["global"]);
    const noCascade = rule({ kind: "adl_likely", threshold: 1, includeCascade: false });
    expect(
      active(signals(noCascade, { ...base, exchange: { ...base.exchange!, adlLikely: true } })),
    ).toEqual([]);
  });

  it("liquidation burst: notional within the window of chain time, with a minimum count", () => {
    const r = rule({ kind: "liquidation_burst", window: "60s", threshold: 100_000, minCount: 2 });
    const obs = observation(200);
    const t = obs.block.timestamp;
    const liq = (id: string, dt: number, notional: number) => ({
      id,
      accountId: id,
      notional,
      badDebt: 0,
      insuranceCovered: 0,
      blockNumber: 200n - BigInt(dt),
      timestamp: t - dt,
    });
    expect(active(signals(r, { ...obs, liquidations: [liq("a", 5, 150_000)] }))).toEqual([]);
    const s = signals(r, {
      ...obs,
      liquidations: [liq("a", 5, 80_000), liq("b", 59, 30_000), liq("c", 61, 1e6)],
    });
    expect(active(s)).toEqual(["global"]);
    expect(s[0]!.value).toBe(110_000);
    expect(s[0]!.annotations.summary).toBe(
      "Liquidation burst: $110,000 liquidated in the last 1m (2 accounts, $0 bad debt)",
    );
    expect(
      needsOf([r, rule({ kind: "liquidation_burst", window: "5m" })]).liquidationWindowMs,
    ).toBe(300_000);
  });

  it("insurance fund drawdown over the window, from the block samples", () => {
    const r = rule({ kind: "insurance_fund_drawdown", window: "5m", threshold: 0.2 });
    const obs = observation(400);
    const sample = (dt: number, fund: number): HistorySample => ({
      blockNumber: 400n - BigInt(dt),
      timestamp: obs.block.timestamp - dt,
      prices: {},
      insuranceFund: fund,
    });
    expect(evaluateRule(r, obs, []).noData).toBeDefined();
    expect(active(signals(r, obs, [sample(10, 55_000)]))).toEqual([]);
    const s = signals(r, obs, [sample(400, 1e6), sample(200, 80_000), sample(10, 60_000)]);
    expect(active(s)).toEqual(["global"]);
    expect(s[0]!.value).toBeCloseTo(30_000 / 80_000);
  });

  it("funding rate and velocity, skew: absolute values per market", () => {
    const rate = rule({ kind: "funding_extreme", measure: "rate", threshold: 0.01 });
    const vel = rule({ kind: "funding_extreme", measure: "velocity", threshold: 0.5 });
    const skew = rule({ kind: "skew_extreme", threshold: 0.5 });
    let obs = withMarket(observation(), "SOL", {
      fundingRate: -0.02,
      fundingVelocity: 0.9,
      skewRatio: -0.6,
    });
    obs = withMarket(obs, "DOGE", { fundingRate: 0.005 });
    expect(active(signals(rate, obs))).toEqual(["SOL"]);
    expect(signals(rate, obs).find((x) => x.labels.market === "SOL")!.annotations.summary).toBe(
      "SOL: funding rate -2.000%/day (|·| ≥ 1.000%/day)",
    );
    expect(active(signals(vel, obs))).toEqual(["SOL"]);
    expect(active(signals(skew, obs))).toEqual(["SOL"]);
  });

  it("top accounts near liquidation, one alert per account, underwater counts as infinite", () => {
    const r = rule({
      kind: "account_near_liquidation",
      top: 2,
      threshold: 0.9,
      minNotionalUsd: 1000,
    });
    const acct = (id: string, notional: number, marginRatio: number | null) => ({
      id,
      notional,
      marginRatio,
      equity: 1,
      liquidatable: false,
      positions: [],
    });
    const obs = observation(100, {
      topAccounts: [acct("7", 5e6, 0.95), acct("8", 4e6, null), acct("9", 3e6, 2)],
    });
    const s = signals(r, obs);
    expect(s.map((x) => x.labels.account)).toEqual(["7", "8"]);
    expect(active(s)).toEqual(["7", "8"]);
    expect(new Set(s.map((x) => x.fingerprint)).size).toBe(2);
  });

  it("open interest concentration per market from the top accounts' positions", () => {
    const r = rule({ kind: "oi_concentration", threshold: 0.3 });
    const obs = observation(100, {
      topAccounts: [
        {
          id: "3",
          notional: 5e5,
          marginRatio: 0.1,
          equity: 1e5,
          liquidatable: false,
          positions: [{ marketId: "2", notional: 4e5 }],
        },
        {
          id: "4",
          notional: 3e5,
          marginRatio: 0.1,
          equity: 1e5,
          liquidatable: false,
          positions: [
            { marketId: "2", notional: 2e5 },
            { marketId: "1", notional: 1e5 },
          ],
        },
      ],
    });
    const s = signals(r, obs);
    expect(active(s)).toEqual(["ETH"]);
    expect(s.find((x) => x.labels.market === "ETH")!.annotations.summary).toContain(
      "account 3 holds 40.0%",
    );
  });

  it("oracle stale against the block's time, and oracle jumps within the window", () => {
    const stale = rule({ kind: "oracle_stale", threshold: 30 });
    const obs = withMarket(observation(), "BTC", { priceTime: observation().block.timestamp - 45 });
    expect(active(signals(stale, obs))).toEqual(["BTC"]);

    const jump = rule({ kind: "oracle_jump", window: "10s", threshold: 0.05 });
    const now = withMarket(observation(300), "ETH", { price: 3_000 });
    const prices = Object.fromEntries(SYMBOLS.map((_, i) => [market(i).id, market(i).price]));
    const hist = (dt: number): HistorySample => ({
      blockNumber: 300n - BigInt(dt),
      timestamp: now.block.timestamp - dt,
      prices,
      insuranceFund: null,
    });
    expect(evaluateRule(jump, now, [hist(20)]).noData).toBeDefined();
    const s = signals(jump, now, [hist(20), hist(5)]);
    expect(active(s)).toEqual(["ETH"]);
    expect(s.find((x) => x.labels.market === "ETH")!.annotations.summary).toBe(
      "ETH: oracle price moved -11.76% within 10s (|·| ≥ 5.0%)",
    );
  });

  it("mirror divergence and indexer lag", () => {
    const mirror = rule({ kind: "mirror_divergence", threshold: 1 });
    expect(active(signals(mirror))).toEqual([]);
    expect(
      active(
        signals(mirror, observation(100, { mirror: { eventsChecked: 9, divergenceCount: 2 } })),
      ),
    ).toEqual(["global"]);
    const lag = rule({ kind: "indexer_lag", measure: "seconds", threshold: 20 });
    const obs = observation(100, {
      indexing: { chainHead: 130n, indexedBlock: 100n, lagBlocks: 30, lagSeconds: 30, live: true },
    });
    const s = signals(lag, obs);
    expect(active(s)).toEqual(["global"]);
    expect(s[0]!.annotations.summary).toBe(
      "Indexer lags the chain: block 100 indexed, head 130 (30 blocks, 30s)",
    );
  });

  it("VaR of bad debt against the fund, only for the run the rule asked for", () => {
    const r = rule({ kind: "var_bad_debt", paths: 1000, seed: 7, threshold: 1 });
    const varLar = {
      paths: 1000,
      seed: 7,
      badDebtVar95: 20_000,
      badDebtVar99: 80_000,
      liquidationsLar95: 0,
      liquidationsLar99: 0,
    };
    expect(active(signals(r, observation(100, { varLar })))).toEqual(["global"]);
    expect(
      evaluateRule(r, observation(100, { varLar: { ...varLar, seed: 8 } })).noData,
    ).toBeDefined();
  });

  it("rule labels and annotation templates reach the signal; fingerprints are stable", () => {
    const r = rule({
      kind: "skew_extreme",
      threshold: 0.01,
      labels: { team: "risk" },
      annotations: {
        runbook: "https://runbooks/{{market}}",
        description: "{{labels.team}} at {{block}}: {{nothing}}.",
      },
    });
    const [a] = signals(r);
    expect(a!.labels).toEqual({
      alertname: "r-skew_extreme",
      severity: "warning",
      team: "risk",
      exchange: DEFAULT_EXCHANGE,
      market: "BTC",
    });
    expect(a!.annotations.runbook).toBe("https://runbooks/BTC");
    expect(a!.annotations.description).toBe("risk at 100: .");
    expect(signals(r, observation(101))[0]!.fingerprint).toBe(a!.fingerprint);
  });

  it("the same rule on two exchanges is two alerts; the summary names the exchange when several are watched", () => {
    const r = rule({ kind: "skew_extreme", threshold: 0.5 });
    const watched = ["ref", "tw"];
    const on = (exchangeId: string) =>
      signals(r, {
        ...withMarket(observation(), "ETH", { skewRatio: 0.7 }),
        exchangeId,
        watchedExchanges: watched,
      }).find((x) => x.labels.market === "ETH")!;
    const ref = on("ref");
    const tw = on("tw");
    expect([ref.active, tw.active]).toEqual([true, true]);
    expect([ref.labels.exchange, tw.labels.exchange]).toEqual(["ref", "tw"]);
    expect(ref.fingerprint).not.toBe(tw.fingerprint);
    expect(tw.annotations.summary).toBe("[tw] ETH: skew is 70.0% of the skew scale (|·| ≥ 50.0%)");
    // One exchange watched: the summary reads as it always did.
    const alone = signals(r, withMarket(observation(), "ETH", { skewRatio: 0.7 }));
    expect(alone.find((x) => x.labels.market === "ETH")!.annotations.summary).toBe(
      "ETH: skew is 70.0% of the skew scale (|·| ≥ 50.0%)",
    );
    // A summary that names the exchange itself is left alone; {{exchange}} works anywhere.
    const own = rule({
      kind: "skew_extreme",
      threshold: 0.5,
      annotations: { summary: "{{exchange}}/{{market}} skewed", where: "on {{exchange}}" },
    });
    const s = signals(own, { ...observation(), exchangeId: "tw", watchedExchanges: watched });
    expect(s[0]!.annotations).toEqual({ summary: "tw/BTC skewed", where: "on tw" });
  });

  it("a rule scoped to exchanges yields nothing on the others", () => {
    const r = rule({ kind: "mirror_divergence", threshold: 1, exchanges: ["tw"] });
    const obs = observation(100, { mirror: { eventsChecked: 10, divergenceCount: 3 } });
    expect(evaluateRule(r, { ...obs, exchangeId: "ref" })).toEqual({ rule: r, signals: [] });
    expect(active(signals(r, { ...obs, exchangeId: "tw" }))).toEqual(["global"]);
    // Missing data on a watched exchange is still "no data", not an empty answer.
    expect(evaluateRule(r, { ...obs, exchangeId: "tw", mirror: undefined }).noData).toBeDefined();
  });

  it("disabled rules are not evaluated and need nothing", () => {
    const r = rule({ kind: "mirror_divergence", enabled: false });
    expect(needsOf([r]).mirror).toBe(false);
  });
});
