/**
 * Differential test of the exact engine against the reference contract on a real anvil:
 * seeded random operation sequences, every outcome and every view compared to the wei after
 * every operation. CI runs 3 seeds × 700 operations; `PERPWATCH_DIFF_OPS=100000` runs that
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
      expect(stats.ops).toBe(PER_SEED);
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
