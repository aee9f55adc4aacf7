import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  ALICE,
  BOB,
  BTC,
  CAROL,
  D18,
  market2,
  must,
  OWNER,
  prices,
  T0,
  usd,
} from "../test/fixtures.js";
import { Revert } from "./errors.js";
import { accruedFunding, checkpointState, fundingNow, fundingVelocity } from "./funding.js";
import { accountHealthDetails } from "./margin.js";
import type { ExchangeState, MarketState } from "./types.js";

const FRESH: MarketState = {
  skew: 0n,
  sizeLong: 0n,
  sizeShort: 0n,
  lastFundingRate: 0n,
  lastFundingIndex: 0n,
  lastFundingTime: T0,
  badDebt: 0n,
};

describe("funding", () => {
  test("velocity is skew/skewScale clamped to ±1, times maxFundingVelocity", () => {
    expect(fundingVelocity(usd(100), BTC)).toBe(usd("0.09")); // 1% of skewScale × 9/day
    expect(fundingVelocity(-usd(100), BTC)).toBe(-usd("0.09"));
    expect(fundingVelocity(usd(50_000), BTC)).toBe(usd(9)); // clamped at 1
    expect(fundingVelocity(-usd(50_000), BTC)).toBe(-usd(9));
  });

  test("one day at a 100 BTC long skew: rate 0.09/day, longs pay the trapezoid 0.045 × price", () => {
    const s = { ...FRESH, skew: usd(100) };
    const { rate, index } = fundingNow(s, BTC, usd(95_000), T0 + 86_400n);
    expect(rate).toBe(usd("0.09"));
    expect(index).toBe(-usd(4_275)); // −(0 + 0.09)/2 × 1 day × 95,000
    expect(accruedFunding({ size: usd(2), lastPrice: 0n, lastFundingIndex: 0n }, index)).toBe(
      -usd(8_550),
    );
    expect(accruedFunding({ size: -usd(2), lastPrice: 0n, lastFundingIndex: 0n }, index)).toBe(
      usd(8_550),
    );
  });

  test("elapsed time is truncated to D18 days exactly as divD does", () => {
    const s = { ...FRESH, lastFundingRate: usd(1) };
    // 1 second = 1e18/86400 = 11574074074074 (truncated) D18 days
    const { rate, index } = fundingNow(s, BTC, D18, T0 + 1n);
    expect(rate).toBe(usd(1));
    expect(index).toBe(-11_574_074_074_074n);
  });

  test("checkpoint stores rate, index and time; a second checkpoint at the same time changes nothing", () => {
    const s = checkpointState({ ...FRESH, skew: usd(100) }, BTC, usd(95_000), T0 + 3_600n);
    expect(s.lastFundingTime).toBe(T0 + 3_600n);
    expect(checkpointState(s, BTC, usd(95_000), T0 + 3_600n)).toEqual(s);
  });

  test("time going backwards is an underflow (Panic 0x11), as in the contract", () => {
    expect(() => fundingNow(FRESH, BTC, D18, T0 - 1n)).toThrow(Revert);
  });

  /**
   * Zero-sum: positions opened at one funding checkpoint and held while time passes (and the
   * price moves, with checkpoints in between) accrue Σ size_i·ΔI = skew·ΔI; each position's
   * `mulD` truncates by less than 1 wei, so
   *   |Σ accruedFunding_i − mulD(skew, ΔI)| ≤ n  (n = number of positions)
   * and when longs and shorts balance (skew = 0) the longs pay the shorts to within n wei.
   * A third account first skews the market for a while and closes, so the funding rate the
   * balanced book then pays is not zero.
   */
  test("property: funding is zero-sum between longs and shorts within n wei", () => {
    const traders = [ALICE, BOB, CAROL];
    let nonTrivial = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: -2_000_000, max: 2_000_000 }),
        fc.integer({ min: 1, max: 5 * 86_400 }),
        fc.array(fc.integer({ min: -40_000_000, max: 40_000_000 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 50, max: 150 })),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (preSkew, preTime, sizes, balance, steps) => {
          let s: ExchangeState = market2({
            traders,
            collateral: usd(50_000_000),
            maxPriceAge: 10n ** 9n,
          });
          let t = T0;
          const pre = BigInt(preSkew) * 10n ** 14n; // up to ±200 BTC
          if (pre !== 0n) {
            s = must(
              s,
              { kind: "modifyPosition", accountId: 3n, marketId: 1n, sizeDelta: pre },
              CAROL,
              t,
            ).state;
            t += BigInt(preTime);
            s = prices(s, t, usd(95_000), usd(3_400));
            s = must(
              s,
              { kind: "modifyPosition", accountId: 3n, marketId: 1n, sizeDelta: -pre },
              CAROL,
              t,
            ).state;
          }
          // sizes in 1e-6 BTC, optionally balanced so that the market's skew is zero
          const deltas = sizes.map((x) => BigInt(x) * 10n ** 12n).filter((x) => x !== 0n);
          if (balance) deltas.push(-deltas.reduce((a, b) => a + b, 0n));
          deltas.forEach((sizeDelta, i) => {
            if (sizeDelta === 0n) return;
            const accountId = BigInt((i % 2) + 1);
            s = must(
              s,
              { kind: "modifyPosition", accountId, marketId: 1n, sizeDelta },
              traders[i % 2]!,
              t,
            ).state;
          });
          const i0 = s.markets[0]!.state.lastFundingIndex;
          for (const [dt, pct] of steps) {
            t += BigInt(dt);
            s = prices(s, t, (usd(95_000) * BigInt(pct)) / 100n, usd(3_400));
            // an owner touch that checkpoints funding at the new price without moving the skew
            s = must(s, { kind: "setMarketParams", marketId: 1n, params: BTC }, OWNER, t).state;
          }
          t += 1_000n;
          let total = 0n;
          let n = 0n;
          let index = i0;
          for (let id = 1n; id <= 2n; id++) {
            const r = accountHealthDetails(s, id, t);
            if (!r.ok) throw new Error(r.error.message);
            for (const p of r.value.positions) {
              total += p.accruedFunding;
              index = p.fundingIndex;
              n++;
            }
          }
          const skew = s.markets[0]!.state.skew;
          const err = total - (skew * (index - i0)) / D18;
          expect(err <= n && err >= -n).toBe(true);
          if (skew === 0n) {
            expect(total <= n && total >= -n).toBe(true);
            if (index !== i0 && n > 0n) nonTrivial++;
          }
        },
      ),
      { numRuns: 200 },
    );
    // the balanced case was exercised with funding actually flowing
    expect(nonTrivial).toBeGreaterThan(10);
  });
});
