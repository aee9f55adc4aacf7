import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  ALICE,
  apply,
  BOB,
  BTC,
  ETH,
  LIQUIDATOR,
  market2,
  must,
  prices,
  T0,
  usd,
} from "../test/fixtures.js";
import { liquidate } from "./liquidation.js";
import { accountHealth, maintenanceMarginOf } from "./margin.js";
import type { ExchangeEvent, ExchangeState } from "./types.js";

const liq = (s: ExchangeState, accountId = 1n, t = T0) =>
  liquidate(s, { accountId }, { timestamp: t, sender: LIQUIDATOR });

/** ALICE (1) long 1 BTC on $10,000; BOB (2) short 1 BTC on $10,000. All at T0. */
function book(): ExchangeState {
  let s = market2({ traders: [ALICE, BOB], collateral: usd(10_000) });
  s = must(
    s,
    { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(1) },
    ALICE,
    T0,
  ).state;
  return s;
}

describe("liquidation", () => {
  test("not liquidatable: no positions, then healthy (with its equity and MM)", () => {
    const s = book();
    expect(liq(s, 2n)).toMatchObject({
      ok: false,
      error: { name: "NotLiquidatable", args: { equity: usd(10_000), maintenanceMargin: 0n } },
    });
    expect(liq(s, 1n)).toMatchObject({
      ok: false,
      error: {
        name: "NotLiquidatable",
        args: { equity: usd("9947.747625"), maintenanceMargin: usd("1004.75") },
      },
    });
    expect(liq(s, 9n)).toMatchObject({ ok: false, error: { name: "AccountNotFound" } });
    expect(liq(s, 1n, T0 + 61n)).toMatchObject({ ok: false, error: { name: "StalePrice" } });
  });

  test("solvent: keeper reward, penalty to the fund, the rest stays as collateral", () => {
    const s = prices(book(), T0, usd(85_900), usd(3_400));
    const r = liq(s);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // equity 847.747625, MM 913.295, keeper min(42.95, 500), penalty min(rest, 429.5)
    const liquidated = r.events.find((e) => e.name === "AccountLiquidated");
    expect(liquidated?.args).toEqual({
      accountId: 1n,
      liquidator: LIQUIDATOR,
      equity: usd("847.747625"),
      maintenanceMargin: usd("913.295"),
      notional: usd(85_900),
      keeperReward: usd("42.95"),
      penaltyToInsurance: usd("429.5"),
      insuranceCovered: 0n,
      badDebt: 0n,
    });
    expect(r.state.accounts["1"]).toMatchObject({
      collateral: usd("375.297625"),
      openMarkets: 0n,
      positions: {},
    });
    expect(r.state.insuranceFund).toBe(usd("47.502375") + usd("429.5"));
    expect(r.state.tokenBalance).toBe(s.tokenBalance - usd("42.95"));
    expect(r.state.markets[0]!.state).toMatchObject({ skew: 0n, sizeLong: 0n });
    expect(r.events.map((e) => e.name)).toEqual([
      "PositionModified",
      "AccountLiquidated",
      "InsuranceFundUpdated",
      "FundingUpdated",
    ]);
    expect(r.events[0]!.args).toMatchObject({
      kind: 1,
      sizeDelta: -usd(1),
      newSize: 0n,
      fillPrice: usd(85_900),
      fee: 0n,
    });
  });

  test("insolvent: the fund covers what it can, the rest is bad debt split by MM into ADL records", () => {
    let s = market2({ traders: [ALICE, BOB], collateral: usd(10_000) });
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 1n, sizeDelta: usd(1) },
      ALICE,
      T0,
    ).state;
    s = must(
      s,
      { kind: "modifyPosition", accountId: 1n, marketId: 2n, sizeDelta: usd(10) },
      ALICE,
      T0,
    ).state;
    s = prices(s, T0, usd(80_000), usd(2_000));
    const before = accountHealth(s, 1n, T0);
    const fund = s.insuranceFund;
    const r = liq(s);
    expect(r.ok).toBe(true);
    if (!r.ok || !before.ok) return;
    const ev = r.events.find((e) => e.name === "AccountLiquidated")!;
    if (ev.name !== "AccountLiquidated") return;
    const keeper = usd(40) + usd(10); // min(80,000·0.0005, 500) + min(20,000·0.0005, 500)
    expect(ev.args).toMatchObject({
      equity: before.value.equity,
      keeperReward: keeper,
      penaltyToInsurance: 0n,
    });
    const shortfall = keeper - before.value.equity;
    expect(ev.args.insuranceCovered).toBe(fund);
    expect(ev.args.badDebt).toBe(shortfall - fund);
    expect(r.state.insuranceFund).toBe(0n);
    expect(r.state.accounts["1"]!.collateral).toBe(0n);
    // split by MM: BTC gets ⌊debt·mm₁/MM⌋, ETH (the last market) the remainder
    const bad = ev.args.badDebt;
    const mm1 = maintenanceMarginOf(BTC, usd(1), usd(80_000));
    const mm2 = maintenanceMarginOf(ETH, usd(10), usd(2_000));
    expect(mm1 + mm2).toBe(before.value.maintenanceMargin);
    const share1 = (bad * mm1) / (mm1 + mm2);
    expect(r.state.accounts["1"]!.adlRecords).toEqual({
      "1:long": { size: usd(1), debt: share1 },
      "2:long": { size: usd(10), debt: bad - share1 },
    });
    expect(r.state.markets.map((m) => m.state.badDebt)).toEqual([share1, bad - share1]);
    expect(r.events.map((e) => e.name)).toEqual([
      "PositionModified",
      "PositionModified",
      "AccountLiquidated",
      "InsuranceFundUpdated",
      "BadDebtRecorded",
      "BadDebtRecorded",
      "FundingUpdated",
      "FundingUpdated",
    ]);
  });

  test("the keeper is paid in tokens last: an exchange that cannot pay reverts in the token", () => {
    const s = { ...prices(book(), T0, usd(85_900), usd(3_400)), tokenBalance: 1n };
    expect(liq(s)).toMatchObject({
      ok: false,
      error: { name: "InsufficientBalance", args: { needed: usd("42.95") } },
    });
  });

  /**
   * A successful liquidation never leaves the account with a position, and it moves value
   * only between the account, the fund, the keeper and bad debt:
   *   Δ(collateral) + Δ(fund) + keeperReward = Σ(realizedPnl + realizedFunding) + badDebt.
   */
  test("property: a liquidation closes everything and conserves value", () => {
    let liquidated = 0;
    let withBadDebt = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: -200, max: 200 }),
        fc.integer({ min: -2_000, max: 2_000 }),
        fc.integer({ min: 100, max: 20_000 }),
        fc.integer({ min: 40, max: 160 }),
        fc.integer({ min: 40, max: 160 }),
        fc.integer({ min: 0, max: 3 * 86_400 }),
        (btc, eth, collateral, pBtc, pEth, dt) => {
          let s = market2({
            traders: [ALICE, BOB],
            collateral: usd(collateral),
            insurance: usd(500),
            maxPriceAge: 10n ** 9n,
          });
          for (const [marketId, size] of [
            [1n, BigInt(btc) * 10n ** 16n],
            [2n, BigInt(eth) * 10n ** 16n],
          ] as const) {
            if (size === 0n) continue;
            const r = apply(
              s,
              { kind: "modifyPosition", accountId: 1n, marketId, sizeDelta: size },
              ALICE,
              T0,
            );
            if (r.ok) s = r.state;
          }
          const t = T0 + BigInt(dt);
          s = prices(s, t, (usd(95_000) * BigInt(pBtc)) / 100n, (usd(3_400) * BigInt(pEth)) / 100n);
          const r = liq(s, 1n, t);
          if (!r.ok) {
            expect(["NotLiquidatable"]).toContain(r.error.name);
            return;
          }
          const a = r.state.accounts["1"]!;
          expect(a.openMarkets).toBe(0n);
          expect(a.positions).toEqual({});
          expect(a.collateral >= 0n).toBe(true);
          const sum = (evs: ExchangeEvent[]) => {
            let realized = 0n;
            let keeper = 0n;
            let bad = 0n;
            for (const e of evs) {
              if (e.name === "PositionModified")
                realized += e.args.realizedPnl + e.args.realizedFunding;
              if (e.name === "AccountLiquidated") {
                keeper = e.args.keeperReward;
                bad = e.args.badDebt;
              }
            }
            return { realized, keeper, bad };
          };
          const { realized, keeper, bad } = sum(r.events);
          const dCollateral = a.collateral - s.accounts["1"]!.collateral;
          const dFund = r.state.insuranceFund - s.insuranceFund;
          expect(dCollateral + dFund + keeper).toBe(realized + bad);
          expect(r.state.tokenBalance).toBe(s.tokenBalance - keeper);
          liquidated++;
          if (bad > 0n) withBadDebt++;
        },
      ),
      { numRuns: 300 },
    );
    expect(liquidated).toBeGreaterThan(30);
    expect(withBadDebt).toBeGreaterThan(5);
  });
});
