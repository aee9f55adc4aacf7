/**
 * The reference risk model, as the API's snapshot serves it, against the exact engine's own
 * views on a seeded synthetic book:
 * equity and margins equal `accountHealth`, positions add up to them, and every liquidation
 * price (analytics) is where the exact engine's liquidation condition flips.
 */
import { describe, expect, it } from "vitest";
import { analyticsOf } from "../../api/analytics/bookAnalytics.js";
import { Snapshot } from "../../api/data/snapshot.js";
import { syntheticRows } from "../../api/test/syntheticRows.js";
import { syntheticBook, toD18 } from "../../engine/analytics/index.js";
import { accountHealth, currentFundingRate, fundingIndex } from "./engine/index.js";
import { exactIsLiquidatable, exactMarks, withOraclePrices } from "./exactBaseline.js";
import { referenceRiskModel } from "./riskModel.js";

const book = syntheticBook({ seed: 7, accounts: 300 });
const { state, timestamp } = book;

const snap = new Snapshot(syntheticRows(book), referenceRiskModel);

describe("Snapshot", () => {
  it("gives every account's health exactly as the accountHealth view", () => {
    for (const row of snap.accounts) {
      const view = accountHealth(state, row.account.accountId, timestamp);
      if (!view.ok) throw new Error(view.error.message);
      expect(snap.health(row).health).toEqual(view.value);
    }
  });

  it("positions add up to the account's margins and equity", () => {
    for (const row of snap.accounts) {
      const h = snap.health(row).health;
      const ps = snap.positions(row);
      expect(ps.reduce((s, p) => s + p.initialMargin, 0n)).toBe(h.initialMargin);
      expect(ps.reduce((s, p) => s + p.maintenanceMargin, 0n)).toBe(h.maintenanceMargin);
      expect(ps.reduce((s, p) => s + p.notional, 0n)).toBe(h.notional);
      expect(
        row.account.collateral + ps.reduce((s, p) => s + p.unrealizedPnl + p.unrealizedFunding, 0n),
      ).toBe(h.equity);
    }
  });

  it("gives each market's funding as the currentFundingRate and fundingIndex views", () => {
    for (const m of snap.markets) {
      const f = snap.funding(m);
      const rate = currentFundingRate(state, m.market.marketId, timestamp);
      const index = fundingIndex(state, m.market.marketId, timestamp);
      expect(rate.ok && f.rate === rate.value).toBe(true);
      expect(index.ok && f.index === index.value).toBe(true);
    }
  });

  it("puts every liquidation price where the exact engine's condition flips", () => {
    const analytics = analyticsOf(snap);
    let checked = 0;
    for (const row of snap.accounts) {
      for (const p of snap.positions(row)) {
        const price = analytics.liquidationPrice(row.account.accountId, p.marketId);
        if (price === null) continue;
        const at = (x: number) =>
          exactIsLiquidatable(
            exactMarks(withOraclePrices(state, [p.marketId], [toD18(x)]), timestamp),
            row.account,
          );
        expect(at(price * (1 - 1e-6))).not.toBe(at(price * (1 + 1e-6)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("caches derived values per key, and at most 256 of them", () => {
    let computed = 0;
    const v1 = snap.cached("k", () => ++computed);
    const v2 = snap.cached("k", () => ++computed);
    expect([v1, v2, computed]).toEqual([1, 1, 1]);
    for (let i = 0; i < 300; i++) snap.cached(`n${i}`, () => i);
    expect(snap.memo.size).toBeLessThanOrEqual(256);
  });
});
