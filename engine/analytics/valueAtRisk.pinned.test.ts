/**
 * Pins the VaR's output bit for bit: every field and every path's bad debt, liquidated
 * notional and count, as produced before the inner loops were tuned for speed.
 *
 * Why: valueAtRisk.test.ts checks the fast VaR against a full scan within 1e-9 — enough to
 * show the filters are exact, not enough to notice that a rewrite sums the same liquidations
 * in another order (a last-bit change in every path, and in the quantiles a risk team
 * compares from one release to the next). A speed change must leave these numbers alone; a
 * change of the model or of what is counted must update them on purpose.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import { defaultMarketModel, type MarketModel } from "./marketModel.js";
import { bookOf, buildPositionStore } from "./positionStore.js";
import { syntheticBook } from "./syntheticBook.js";
import { type VarResult, valueAtRisk } from "./valueAtRisk.js";

// The benchmark's book at 6% of its size: 20 markets, one to six legs an account.
const b = syntheticBook({ seed: 42, accounts: 6000, positions: 18_000, markets: 20 });
const store = buildPositionStore(bookOf(b.state, b.timestamp, referenceRiskModel));
const model = defaultMarketModel(store);
const wild: MarketModel = {
  ...model,
  markets: model.markets.map((p) => ({ ...p, dailyVol: 2 * p.dailyVol })),
};

/** SHA-256 (first 32 hex digits) of the per-path arrays' bytes. */
function digest(r: VarResult): string {
  const h = createHash("sha256");
  for (const a of [r.pathBadDebt, r.pathLiquidatedNotional, r.pathLiquidatedAccounts]) {
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest("hex").slice(0, 32);
}

function summary(r: VarResult) {
  const { pathBadDebt, pathLiquidatedNotional, pathLiquidatedAccounts, ...rest } = r;
  return { ...rest, digest: digest(r) };
}

describe("valueAtRisk, pinned", () => {
  it("gives the same numbers, to the last bit, for seeds 1 and 2 (default model)", () => {
    expect(summary(valueAtRisk(store, { paths: 500, seed: 1 }))).toStrictEqual({
      paths: 500,
      steps: 24,
      horizonDays: 1,
      seed: 1,
      badDebtVaR: { p95: 198234.7902528688, p99: 286062.34630017594 },
      liquidationsLaR: { p95: 167727773.89873832, p99: 254408944.08556932 },
      badDebtExpectedShortfall: { p95: 257484.86562783486, p99: 343735.40924745216 },
      liquidationsExpectedTail: { p95: 208576081.20092085, p99: 281492184.5859062 },
      meanBadDebt: 130402.56314831173,
      meanLiquidatedNotional: 85265214.8954372,
      probabilityOfBadDebt: 1,
      probabilityOfLiquidation: 1,
      digest: "c2d93025ec961f82b98b4a61d74240cb",
    });
    expect(summary(valueAtRisk(store, { paths: 500, seed: 2 }))).toStrictEqual({
      paths: 500,
      steps: 24,
      horizonDays: 1,
      seed: 2,
      badDebtVaR: { p95: 198623.11136698193, p99: 275001.8290456044 },
      liquidationsLaR: { p95: 187045316.75490397, p99: 308027929.2996026 },
      badDebtExpectedShortfall: { p95: 241985.28753454375, p99: 316603.5162933814 },
      liquidationsExpectedTail: { p95: 250863385.529387, p99: 335708050.07551 },
      meanBadDebt: 128023.35979732142,
      meanLiquidatedNotional: 89264458.08298326,
      probabilityOfBadDebt: 1,
      probabilityOfLiquidation: 1,
      digest: "02837b90d8d8bcb879f879010cd6f803",
    });
  });

  it("gives the same numbers on a wild day with market-wide crashes", () => {
    const crash = { perDay: 0.25, mean: -0.15, sd: 0.05 };
    const r = valueAtRisk(store, { paths: 300, seed: 4, commonJump: crash }, wild);
    expect(summary(r)).toStrictEqual({
      paths: 300,
      steps: 24,
      horizonDays: 1,
      seed: 4,
      badDebtVaR: { p95: 33715669.406745166, p99: 47928660.43749458 },
      liquidationsLaR: { p95: 542563158.671846, p99: 613251991.0906583 },
      badDebtExpectedShortfall: { p95: 43318485.81792559, p99: 56761078.37594352 },
      liquidationsExpectedTail: { p95: 589749720.1161742, p99: 658263032.5277753 },
      meanBadDebt: 4421590.329975899,
      meanLiquidatedNotional: 303868661.00393575,
      probabilityOfBadDebt: 1,
      probabilityOfLiquidation: 1,
      digest: "7690b23ae50b87c129ff4d44b2e2d0bb",
    });
    expect(r.pathLiquidatedAccounts.reduce((s, x) => s + x, 0)).toBe(267259);
  });
});
