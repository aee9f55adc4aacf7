/**
 * Differential test of the exact engine against the reference contract on a real anvil:
 * seeded random operation sequences, every outcome compared to the wei after every operation
 * and every view after every block, with the accounting invariant checked after every
 * operation. The sequences mix in one-block plays aimed at the three loss paths (lossMixes.ts):
 * underwater reducing trades, opposite-side bankruptcies in one market in one block, ADL
 * against a counterparty with a small profit. CI runs 3 seeds × 700 operations; `PERPWATCH_DIFF_OPS=100000` runs that
 * many operations in total (spread over the seeds), `PERPWATCH_DIFF_SEEDS=1,2,3` picks seeds.
 */
import { describe, expect, test } from "vitest";
import { runDifferential } from "./runDifferential.js";

const SEEDS = (process.env.PERPWATCH_DIFF_SEEDS ?? "1,2,3").split(",").map((s) => Number(s.trim()));
const TOTAL = Number(process.env.PERPWATCH_DIFF_OPS ?? 2_100);
const PER_SEED = Math.ceil(TOTAL / SEEDS.length);
/** Each operation kind must have happened at least this often per seed. */
const AT_LEAST = 3;

describe("engine/exact ≡ PerpExchange on anvil", () => {
  test.concurrent.each(SEEDS)(
    "seed %i: every outcome and view equal to the wei",
    async (seed) => {
      const stats = await runDifferential(seed, PER_SEED);
      process.stdout.write(`differential seed ${seed}: ${JSON.stringify(stats)}\n`);
      expect(stats.ops).toBeGreaterThanOrEqual(PER_SEED);
      // the accounting invariant after every operation (every one but the time warps)
      expect(stats.invariantChecks).toBe(stats.ops - (stats.kinds.warp?.ok ?? 0));
      // the three loss paths, each reached through its own one-block mix
      expect(stats.underwaterReducesReverted, "underwater reducing trades").toBeGreaterThanOrEqual(
        AT_LEAST,
      );
      expect(stats.oppositeSideRecordPairs, "opposite-side records").toBeGreaterThanOrEqual(
        AT_LEAST,
      );
      expect(stats.adlChargesCappedAtProfit, "ADL charges capped").toBeGreaterThanOrEqual(AT_LEAST);
      const okOf = (kind: string) => stats.kinds[kind]?.ok ?? 0;
      for (const kind of [
        "createAccount",
        "modifyCollateral",
        "modifyPosition",
        "liquidate",
        "autoDeleverage",
        "setPrice",
        "setPrices",
        "warp",
        "setMarketParams",
        "setMaxPriceAge",
        "createMarket",
        "depositInsuranceFund",
      ]) {
        expect(okOf(kind), `successful ${kind}`).toBeGreaterThanOrEqual(AT_LEAST);
      }
      expect(stats.labels["deposit:normal"] ?? 0).toBeGreaterThanOrEqual(AT_LEAST);
      expect(stats.labels["withdraw:max"] ?? 0).toBeGreaterThanOrEqual(AT_LEAST);
      expect(stats.liquidationsWithBadDebt, "liquidations with bad debt").toBeGreaterThanOrEqual(
        AT_LEAST,
      );
      expect(
        stats.liquidationsInsuranceCovered,
        "liquidations the fund covered",
      ).toBeGreaterThanOrEqual(AT_LEAST);
      expect(stats.adlWithDeleverage, "ADL calls that closed positions").toBeGreaterThanOrEqual(
        AT_LEAST,
      );
      for (const error of [
        "InsufficientMargin",
        "StalePrice",
        "NotLiquidatable",
        "Panic",
        "NotAccountOwner",
      ]) {
        expect(stats.errors[error] ?? 0, `reverts with ${error}`).toBeGreaterThanOrEqual(1);
      }
    },
    Math.max(170_000, PER_SEED * 200),
  );
});
