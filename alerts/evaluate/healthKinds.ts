/**
 * Kinds about the plumbing the risk numbers rest on: a stale or jumping oracle price, the
 * mirror disagreeing with the chain, and the indexer lagging the chain. When these fire, the
 * other alerts may be wrong, which is why they exist.
 */
import { formatDuration } from "../config/duration.js";
import { pct } from "./format.js";
import type { KindSpec, Measurement } from "./kindSpec.js";

export const oracleStale: KindSpec<"oracle_stale"> = {
  scope: "market",
  direction: "above",
  unit: "seconds",
  summary: "{{market}}: oracle price is {{value}} old at block {{block}} (≥ {{threshold}})",
  needs(_rule, n) {
    n.markets = true;
  },
  measure(_rule, obs) {
    if (!obs.markets) return { noData: "no markets in the observation" };
    const out: Measurement[] = [];
    for (const m of obs.markets) {
      if (m.priceTime === null) continue;
      out.push({
        market: { id: m.id, symbol: m.symbol },
        value: Math.max(0, obs.block.timestamp - m.priceTime),
      });
    }
    return out;
  },
};

export const oracleJump: KindSpec<"oracle_jump"> = {
  scope: "market",
  direction: "above",
  unit: "fraction",
  summary:
    "{{market}}: oracle price moved {{details.signed}} within {{details.window}} (|·| ≥ {{threshold}})",
  needs(_rule, n) {
    n.markets = true;
  },
  measure(rule, obs, history) {
    if (!obs.markets) return { noData: "no markets in the observation" };
    const since = obs.block.timestamp - rule.window / 1000;
    // A sample may hold the fund alone (a block replayed from history): not a price.
    const earlier = history.filter(
      (s) =>
        s.timestamp >= since &&
        s.blockNumber < obs.block.number &&
        Object.keys(s.prices).length > 0,
    );
    if (earlier.length === 0) return { noData: "no earlier price within the window" };
    return obs.markets.map((m): Measurement => {
      let worst = 0;
      for (const s of earlier) {
        const before = s.prices[m.id];
        if (before === undefined || before <= 0) continue;
        const move = m.price / before - 1;
        if (Math.abs(move) > Math.abs(worst)) worst = move;
      }
      return {
        market: { id: m.id, symbol: m.symbol },
        value: Math.abs(worst),
        details: { signed: pct(worst, 2), window: formatDuration(rule.window) },
      };
    });
  },
};

export const mirrorDivergence: KindSpec<"mirror_divergence"> = {
  scope: "global",
  direction: "above",
  unit: "count",
  summary:
    "The mirror disagrees with the chain: {{value}} divergences in {{details.eventsChecked}} events checked",
  needs(_rule, n) {
    n.mirror = true;
  },
  measure(_rule, obs) {
    if (!obs.mirror) return { noData: "no mirror status in the observation" };
    return [
      {
        value: obs.mirror.divergenceCount,
        details: { eventsChecked: String(obs.mirror.eventsChecked) },
      },
    ];
  },
};

export const indexerLag: KindSpec<"indexer_lag"> = {
  scope: "global",
  direction: "above",
  unit: "blocks",
  unitFor: (rule) => (rule.measure === "blocks" ? "blocks" : "seconds"),
  summary:
    "Indexer lags the chain: block {{details.indexedBlock}} indexed, head {{details.chainHead}} ({{details.lagBlocks}} blocks, {{details.lagSeconds}}s)",
  needs(_rule, n) {
    n.indexing = true;
  },
  measure(rule, obs) {
    const s = obs.indexing;
    if (!s) return { noData: "no indexing status in the observation" };
    return [
      {
        value: rule.measure === "blocks" ? s.lagBlocks : s.lagSeconds,
        details: {
          indexedBlock: s.indexedBlock.toString(),
          chainHead: s.chainHead.toString(),
          lagBlocks: String(s.lagBlocks),
          lagSeconds: String(s.lagSeconds),
        },
      },
    ];
  },
};
