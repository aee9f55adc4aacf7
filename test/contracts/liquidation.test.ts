/**
 * Liquidation: a healthy account cannot be liquidated (NotLiquidatable); an account below
 * maintenance margin is closed at oracle prices, the liquidator receives the keeper reward
 * (min(notional * keeperRewardRatio, maxKeeperReward) per position, summed), the penalty
 * (min(rest, Σ notional * liquidationPenaltyRatio)) goes to the insurance fund, and what is
 * left stays as the account's collateral. BTC's maxKeeperReward is lowered here so that its
 * cap binds while ETH's does not.
 */
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpExchangeAbi } from "../../protocols/reference/contracts/generated/index.js";
import { DEFAULT_MARKETS } from "../../protocols/reference/devnet/markets.js";
import { d18, ExchangeFixture, type Trader } from "../support/exchangeFixture.js";
import { liquidationWaterfall, mulD } from "../support/referenceMath.js";

const BTC = 1n;
const ETH = 2n;
const MARKETS = DEFAULT_MARKETS.map((m) =>
  m.symbol === "BTC" ? { ...m, params: { ...m.params, maxKeeperReward: d18(20) } } : m,
);
let fx: ExchangeFixture;

beforeAll(async () => {
  fx = await ExchangeFixture.start({ markets: MARKETS });
});
afterAll(() => fx?.stop());

describe("liquidation", () => {
  it("refuses to liquidate a healthy account with NotLiquidatable", async () => {
    const healthy = await fx.newTrader(d18(10_000));
    // No position at all: nothing to liquidate.
    const flat = await fx.revert(fx.keeper.address, "liquidate", [healthy.accountId]);
    expect(flat).toEqual({ errorName: "NotLiquidatable", args: [d18(10_000), 0n] });

    await fx.trade(healthy, BTC, d18(1));
    const health = await fx.health(healthy.accountId);
    expect(health.equity).toBeGreaterThanOrEqual(health.maintenanceMargin);
    const revert = await fx.revert(fx.keeper.address, "liquidate", [healthy.accountId]);
    expect(revert).toEqual({
      errorName: "NotLiquidatable",
      args: [health.equity, health.maintenanceMargin],
    });

    const failed = await fx.send(fx.keeper, "liquidate", [healthy.accountId]);
    expect(failed.status).toBe("reverted");
    expect((await fx.position(healthy.accountId, BTC)).size).toBe(d18(1));
  });

  it("liquidates an eligible account with keeper reward, penalty and remaining collateral", async () => {
    const trader: Trader = await fx.newTrader(d18(3_000));
    await fx.trade(trader, BTC, d18(1));
    await fx.trade(trader, ETH, d18(10));
    expect((await fx.health(trader.accountId)).equity).toBeGreaterThan(0n);

    // BTC falls 95,000 -> 93,400: below maintenance margin, equity still covers the waterfall.
    await fx.pushPrice(BTC, d18(93_400));
    await fx.refreshPrices();
    const health = await fx.health(trader.accountId);
    expect(health.equity).toBeLessThan(health.maintenanceMargin);

    const keeperWallet = await fx.tokenBalance(fx.keeper.address);
    const receipt = await fx.call(fx.keeper, "liquidate", [trader.accountId]);
    const block = receipt.blockNumber;
    const input = await fx.liquidationInputs(trader.accountId, block);
    expect(input.marketIds).toEqual([BTC, ETH]);
    const want = liquidationWaterfall(input.collateral, input.positions, input.insuranceFund);

    // The case is the one meant: BTC's keeper cap binds, ETH's does not, and the penalty is
    // the full Σ notional * ratio with collateral left over.
    const [btc, eth] = input.positions;
    const btcNotional = mulD(btc!.size, btc!.price);
    const ethNotional = mulD(eth!.size, eth!.price);
    expect(mulD(btcNotional, btc!.params.keeperRewardRatio)).toBeGreaterThan(d18(20));
    expect(want.keeperReward).toBe(d18(20) + mulD(ethNotional, eth!.params.keeperRewardRatio));
    expect(want.penalty).toBe(
      mulD(btcNotional, btc!.params.liquidationPenaltyRatio) +
        mulD(ethNotional, eth!.params.liquidationPenaltyRatio),
    );
    expect(want.collateralAfter).toBeGreaterThan(0n);
    expect(want.equity).toBeLessThan(want.maintenanceMargin);

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
      penaltyToInsurance: want.penalty,
      insuranceCovered: 0n,
      badDebt: 0n,
    });

    expect(await fx.tokenBalance(fx.keeper.address, block)).toBe(keeperWallet + want.keeperReward);
    expect(await fx.insuranceFund(block)).toBe(input.insuranceFund + want.penalty);
    const fundEvents = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "InsuranceFundUpdated",
      logs: receipt.logs,
    });
    expect(fundEvents.map((e) => e.args)).toEqual([
      { delta: want.penalty, newBalance: input.insuranceFund + want.penalty, reason: 1 },
    ]);
    const account = await fx.account(trader.accountId, block);
    expect(account.collateral).toBe(want.equity - want.keeperReward - want.penalty);
    expect(account.openMarkets).toBe(0n);
    for (const id of [BTC, ETH]) {
      expect((await fx.position(trader.accountId, id, block)).size).toBe(0n);
    }
    const closes = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "PositionModified",
      logs: receipt.logs,
    });
    expect(
      closes.map((e) => [e.args.marketId, e.args.kind, e.args.sizeDelta, e.args.newSize]),
    ).toEqual([
      [BTC, 1, -d18(1), 0n],
      [ETH, 1, -d18(10), 0n],
    ]);
  });
});
