import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ALICE, BOB, BTC, KEEPER, market2, must, prices, T0, usd } from "../test/fixtures.js";
import {
  accountHealth,
  accountHealthDetails,
  canLiquidate,
  healthWithMarks,
  isLiquidatable,
  maintenanceMarginOf,
  marginRatio,
  marketMarks,
  maskIds,
  positionMargins,
} from "./margin.js";
import type { ExchangeState } from "./types.js";

/** ALICE (account 1) long 1 BTC from $95,004.75 with $10,000 − fee of collateral. */
function longOneBtc(): ExchangeState {
  const s = market2({ traders: [ALICE, BOB], collateral: usd(10_000) });
  return must(
    s,
    { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(1) },
    ALICE,
    T0,
  ).state;
}

describe("margin", () => {
  test("size-scaled margins of one position, by hand", () => {
    // imr = 0.02 + (1/10,000)·1 = 0.0201; IM = 95,000·0.0201 + 50; MM = 95,000·0.0201·0.5 + 50
    expect(positionMargins(BTC, usd(1), usd(95_000))).toEqual({
      notional: usd(95_000),
      imr: usd("0.0201"),
      initialMargin: usd("1959.5"),
      maintenanceMargin: usd("1004.75"),
    });
    expect(maintenanceMarginOf(BTC, -usd(1), usd(95_000))).toBe(usd("1004.75"));
  });

  test("account health: collateral + PnL + funding, and the sums of margins", () => {
    const s = longOneBtc();
    // collateral 10,000 − fee 47.502375; PnL at the oracle 95,000 − fill 95,004.75
    expect(accountHealth(s, 1n, T0)).toEqual({
      ok: true,
      value: {
        equity: usd("9947.747625"),
        initialMargin: usd("1959.5"),
        maintenanceMargin: usd("1004.75"),
        notional: usd(95_000),
      },
    });
    // an account without positions is just its collateral; an unknown one is all zeros
    expect(accountHealth(s, 2n, T0)).toMatchObject({
      value: { equity: usd(10_000), maintenanceMargin: 0n },
    });
    expect(accountHealth(s, 9n, T0)).toMatchObject({ value: { equity: 0n, notional: 0n } });
  });

  test("liquidatable when MM > 0 and equity < MM; the margin ratio says how close", () => {
    let s = longOneBtc();
    expect(canLiquidate(s, 1n, T0)).toEqual({ ok: true, value: false });
    const h = accountHealth(s, 1n, T0);
    expect(h.ok && marginRatio(h.value)).toBe((usd("1004.75") * 10n ** 18n) / usd("9947.747625"));
    // at $86,000: equity 947.75 ≥ MM 914.30; at $85,900: equity 847.75 < MM 913.295
    expect(canLiquidate(prices(s, T0 + 1n, usd(86_000), usd(3_400)), 1n, T0 + 1n)).toEqual({
      ok: true,
      value: false,
    });
    s = prices(s, T0 + 1n, usd(85_900), usd(3_400));
    expect(canLiquidate(s, 1n, T0 + 1n)).toEqual({ ok: true, value: true });
    expect(
      isLiquidatable({ equity: 0n, initialMargin: 0n, maintenanceMargin: 0n, notional: 0n }),
    ).toBe(false);
    expect(
      marginRatio({ equity: -1n, initialMargin: 0n, maintenanceMargin: 1n, notional: 0n }),
    ).toBeNull();
  });

  test("details: per-position terms; requireFresh reads prices as a trade would", () => {
    const s = longOneBtc();
    const r = accountHealthDetails(s, 1n, T0);
    expect(r.ok && r.value.positions).toMatchObject([
      { marketId: 1n, size: usd(1), pnl: -usd("4.75"), accruedFunding: 0n, notional: usd(95_000) },
    ]);
    expect(accountHealthDetails(s, 1n, T0 + 61n, true)).toMatchObject({
      ok: false,
      error: { name: "StalePrice", args: { marketId: 1n } },
    });
    expect(accountHealthDetails(s, 1n, T0 + 61n, false).ok).toBe(true);
  });

  test("maskIds lists set bits in ascending id up to marketCount", () => {
    expect(maskIds(0b1011n, 4n)).toEqual([1n, 2n, 4n]);
    expect(maskIds(0b1011n, 2n)).toEqual([1n, 2n]);
    expect(maskIds(0n, 4n)).toEqual([]);
  });

  test("property: precomputed marks give exactly the per-position evaluation", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 1 }),
            fc.integer({ min: 1, max: 2 }),
            fc.integer({ min: -3_000, max: 3_000 }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 400_000 }),
        fc.integer({ min: 60, max: 140 }),
        (trades, dt, pct) => {
          let s = market2({
            traders: [ALICE, BOB],
            collateral: usd(5_000_000),
            maxPriceAge: 10n ** 9n,
          });
          let t = T0;
          for (const [who, marketId, size] of trades) {
            t += 17n;
            const sizeDelta = BigInt(size) * 10n ** 15n;
            if (sizeDelta === 0n) continue;
            const r = must(
              s,
              {
                kind: "modifyPosition",
                accountId: BigInt(who + 1),
                marketId: BigInt(marketId),
                sizeDelta,
              },
              who === 0 ? ALICE : BOB,
              t,
            );
            s = r.state;
          }
          t += BigInt(dt);
          s = must(
            s,
            { kind: "setPrices", marketIds: [1n], prices: [(usd(95_000) * BigInt(pct)) / 100n] },
            KEEPER,
            t,
          ).state;
          const marks = marketMarks(s, t);
          for (const a of Object.values(s.accounts)) {
            expect(healthWithMarks(marks, a)).toEqual(accountHealth(s, a.accountId, t));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  test("marks carry a market's funding revert to exactly the accounts holding it", () => {
    let s = longOneBtc();
    // a price at 2^255 reads negative; the funding of a market with a skew then overflows
    s = must(
      s,
      { kind: "setPrices", marketIds: [1n], prices: [(1n << 255n) + 5n] },
      KEEPER,
      T0 + 86_400n,
    ).state;
    const marks = marketMarks(s, T0 + 2n * 86_400n);
    expect(healthWithMarks(marks, s.accounts["1"]!)).toMatchObject({
      ok: false,
      error: { name: "Panic" },
    });
    expect(accountHealth(s, 1n, T0 + 2n * 86_400n)).toMatchObject({
      ok: false,
      error: { name: "Panic" },
    });
    expect(healthWithMarks(marks, s.accounts["2"]!)).toEqual({
      ok: true,
      value: { equity: usd(10_000), initialMargin: 0n, maintenanceMargin: 0n, notional: 0n },
    });
  });
});
