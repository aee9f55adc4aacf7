/**
 * The insurance fund covers bad debt: an account gapped past its bankruptcy price is
 * liquidated, the fund pays the shortfall (keeper reward minus the negative equity) and no
 * bad debt is left for ADL.
 */
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpExchangeAbi } from "../../protocols/reference/contracts/generated/index.js";
import { d18, ExchangeFixture, type Trader } from "../support/exchangeFixture.js";
import { liquidationWaterfall } from "../support/referenceMath.js";

const BTC = 1n;
let fx: ExchangeFixture;
let trader: Trader;

beforeAll(async () => {
  fx = await ExchangeFixture.start({ insuranceFund: 250_000 });
  trader = await fx.newTrader(d18(2_100));
  await fx.trade(trader, BTC, d18(1));
});
afterAll(() => fx?.stop());

describe("insurance fund", () => {
  it("covers the shortfall of a bankrupt account and leaves no bad debt", async () => {
    // A 5,000 gap on 1 BTC against ~2,050 of equity: bankrupt by ~2,950.
    await fx.pushPrice(BTC, d18(90_000));
    const health = await fx.health(trader.accountId);
    expect(health.equity).toBeLessThan(0n);

    const fundBefore = await fx.insuranceFund();
    const keeperWallet = await fx.tokenBalance(fx.keeper.address);
    const receipt = await fx.call(fx.keeper, "liquidate", [trader.accountId]);
    const block = receipt.blockNumber;
    const input = await fx.liquidationInputs(trader.accountId, block);
    expect(input.insuranceFund).toBe(fundBefore);
    const want = liquidationWaterfall(input.collateral, input.positions, input.insuranceFund);

    const shortfall = want.keeperReward - want.equity;
    expect(want.equity).toBeLessThan(0n);
    expect(shortfall).toBeLessThan(fundBefore);
    expect(want.insuranceCovered).toBe(shortfall);
    expect(want.badDebt).toBe(0n);

    const [liquidated] = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "AccountLiquidated",
      logs: receipt.logs,
    });
    expect(liquidated?.args).toEqual({
      accountId: trader.accountId,
      liquidator: fx.keeper.address,
      equity: want.equity,
      maintenanceMargin: want.maintenanceMargin,
      notional: want.notional,
      keeperReward: want.keeperReward,
      penaltyToInsurance: 0n,
      insuranceCovered: shortfall,
      badDebt: 0n,
    });
    const fundEvents = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "InsuranceFundUpdated",
      logs: receipt.logs,
    });
    expect(fundEvents.map((e) => e.args)).toEqual([
      { delta: -shortfall, newBalance: fundBefore - shortfall, reason: 2 },
    ]);
    expect(await fx.insuranceFund(block)).toBe(fundBefore - shortfall);
    expect(await fx.tokenBalance(fx.keeper.address, block)).toBe(keeperWallet + want.keeperReward);

    // Nothing left for ADL.
    expect(
      parseEventLogs({ abi: perpExchangeAbi, eventName: "BadDebtRecorded", logs: receipt.logs }),
    ).toEqual([]);
    expect((await fx.market(BTC, block)).state.badDebt).toBe(0n);
    expect(await fx.adlRecord(trader.accountId, BTC, true, block)).toEqual({ size: 0n, debt: 0n });
    const account = await fx.account(trader.accountId, block);
    expect(account.collateral).toBe(0n);
    expect(account.openMarkets).toBe(0n);
    const noDebt = await fx.revert(fx.keeper.address, "autoDeleverage", [
      trader.accountId,
      BTC,
      true,
      [],
    ]);
    expect(noDebt).toEqual({
      errorName: "NoPendingBadDebt",
      args: [trader.accountId, BTC, true],
    });
  });
});
