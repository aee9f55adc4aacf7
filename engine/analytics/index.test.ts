import { describe, expect, it } from "vitest";
import { referenceRiskModel } from "../../protocols/reference/riskModel.js";
import * as analytics from "./index.js";

describe("engine/analytics public API", () => {
  it("runs end to end from an exchange state through the barrel", () => {
    const { state, timestamp } = analytics.syntheticBook({ seed: 1, accounts: 300, markets: 5 });
    const store = analytics.buildPositionStore(
      analytics.bookOf(state, timestamp, referenceRiskModel),
    );
    const ladders = analytics.liquidationLadders(store);
    const grid = analytics.stressGrid(store, { shocks: [-0.2, 0.2] });
    const v = analytics.valueAtRisk(store, { paths: 50 });
    expect(ladders).toHaveLength(5);
    expect(grid.rows).toHaveLength(2);
    expect(v.badDebtVaR.p99).toBeGreaterThanOrEqual(v.badDebtVaR.p95);
  });
});
