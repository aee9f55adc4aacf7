/**
 * Auto-deleveraging: with a near-empty insurance fund (fees only) a gapped account goes
 * bankrupt, its bad debt is recorded per market (split by maintenance margin), and
 * `autoDeleverage` closes it against a profitable opposite-side account at the bankruptcy
 * price; a same-side counterparty reverts NotOppositeSide and an unprofitable one NotInProfit.
 */
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpExchangeAbi } from "../../protocols/reference/contracts/generated/index.js";
import { d18, ExchangeFixture, type Trader } from "../support/exchangeFixture.js";
import { divD, liquidationWaterfall, min, mulD } from "../support/referenceMath.js";

const BTC = 1n;
const ETH = 2n;
let fx: ExchangeFixture;
let bankrupt: Trader;
let winner: Trader;
let sameSide: Trader;
let loser: Trader;
let shares: { btc: bigint; eth: bigint };

beforeAll(async () => {
  fx = await ExchangeFixture.start({ insuranceFund: 0 });
  bankrupt = await fx.newTrader(d18(3_000));
  winner = await fx.newTrader(d18(100_000));
  sameSide = await fx.newTrader(d18(50_000));
  loser = await fx.newTrader(d18(50_000));
  await fx.trade(bankrupt, BTC, d18(1));
  await fx.trade(bankrupt, ETH, d18(10));
  await fx.trade(winner, BTC, d18(-1.5));
  await fx.trade(sameSide, BTC, d18(0.5));
});
afterAll(() => fx?.stop());

describe("auto-deleveraging", () => {
  it("records bad debt per market when the insurance fund cannot cover a bankruptcy", async () => {
    const fundBefore = await fx.insuranceFund();
    expect(fundBefore).toBeGreaterThan(0n); // taker fees only

    await fx.pushPrice(BTC, d18(90_000));
    await fx.refreshPrices();
    const receipt = await fx.call(fx.keeper, "liquidate", [bankrupt.accountId]);
    const block = receipt.blockNumber;
    const input = await fx.liquidationInputs(bankrupt.accountId, block);
    const want = liquidationWaterfall(input.collateral, input.positions, input.insuranceFund);
    expect(want.insuranceCovered).toBe(fundBefore);
    expect(want.badDebt).toBeGreaterThan(0n);
    const [btcShare, ethShare] = want.badDebtShares;
    shares = { btc: btcShare!, eth: ethShare! };
    expect(shares.btc + shares.eth).toBe(want.badDebt);
    expect(shares.btc).toBeGreaterThan(shares.eth); // BTC carries the larger MM

    const [liquidated] = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "AccountLiquidated",
      logs: receipt.logs,
    });
    expect(liquidated?.args.insuranceCovered).toBe(fundBefore);
    expect(liquidated?.args.badDebt).toBe(want.badDebt);
    expect(await fx.insuranceFund(block)).toBe(0n);

    const recorded = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "BadDebtRecorded",
      logs: receipt.logs,
    });
    expect(recorded.map((e) => e.args)).toEqual([
      {
        accountId: bankrupt.accountId,
        marketId: BTC,
        recordSize: d18(1),
        recordDebt: shares.btc,
        marketBadDebt: shares.btc,
        isLong: true,
      },
      {
        accountId: bankrupt.accountId,
        marketId: ETH,
        recordSize: d18(10),
        recordDebt: shares.eth,
        marketBadDebt: shares.eth,
        isLong: true,
      },
    ]);
    expect(await fx.adlRecord(bankrupt.accountId, BTC, true)).toEqual({
      size: d18(1),
      debt: shares.btc,
    });
    expect(await fx.adlRecord(bankrupt.accountId, ETH, true)).toEqual({
      size: d18(10),
      debt: shares.eth,
    });
    expect((await fx.market(BTC)).state.badDebt).toBe(shares.btc);
  });

  it("rejects a same-side counterparty (NotOppositeSide) and an unprofitable one (NotInProfit)", async () => {
    // `loser` shorts after the gap, below the oracle price (skew premium), then BTC ticks up.
    await fx.trade(loser, BTC, d18(-0.2));
    await fx.pushPrice(BTC, d18(90_100));

    const args = (cp: Trader) => [bankrupt.accountId, BTC, true, [cp.accountId]] as const;
    const same = await fx.revert(fx.keeper.address, "autoDeleverage", args(sameSide));
    expect(same).toEqual({ errorName: "NotOppositeSide", args: [sameSide.accountId] });
    const sentSame = await fx.send(fx.keeper, "autoDeleverage", args(sameSide));
    expect(sentSame.status).toBe("reverted");

    const unprofitable = await fx.revert(fx.keeper.address, "autoDeleverage", args(loser));
    expect(unprofitable.errorName).toBe("NotInProfit");
    const [loserId, pnl] = unprofitable.args as [bigint, bigint];
    expect(loserId).toBe(loser.accountId);
    expect(pnl).toBeLessThan(0n);
    const sentLoser = await fx.send(fx.keeper, "autoDeleverage", args(loser));
    expect(sentLoser.status).toBe("reverted");

    // Nothing moved.
    expect(await fx.adlRecord(bankrupt.accountId, BTC, true)).toEqual({
      size: d18(1),
      debt: shares.btc,
    });
    expect((await fx.position(sameSide.accountId, BTC)).size).toBe(d18(0.5));
    expect((await fx.position(loser.accountId, BTC)).size).toBe(d18(-0.2));
  });

  it("closes against a profitable opposite-side account at the bankruptcy price", async () => {
    const before = await fx.position(winner.accountId, BTC);
    const collateralBefore = (await fx.account(winner.accountId)).collateral;
    const receipt = await fx.call(fx.keeper, "autoDeleverage", [
      bankrupt.accountId,
      BTC,
      true,
      [winner.accountId],
    ]);
    const block = receipt.blockNumber;
    const { price } = await fx.price(BTC, block);
    const index = (await fx.market(BTC, block)).state.lastFundingIndex;

    // The winner (short 1.5) is reduced by the record's 1 BTC and absorbs all of its debt.
    const pricePnl = mulD(before.size, price - before.lastPrice);
    const funding = mulD(before.size, index - before.lastFundingIndex);
    expect(pricePnl + funding).toBeGreaterThan(0n);
    const q = min(-before.size, d18(1));
    expect(q).toBe(d18(1));
    const bankruptcyPrice = price + divD(shares.btc, d18(1));
    // Closing q at the bankruptcy price instead of the oracle price costs exactly the debt.
    expect(mulD(q, bankruptcyPrice - price)).toBe(shares.btc);

    const [adl] = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "PositionAutoDeleveraged",
      logs: receipt.logs,
    });
    expect(adl?.args).toEqual({
      bankruptAccountId: bankrupt.accountId,
      counterpartyAccountId: winner.accountId,
      marketId: BTC,
      sizeDelta: q,
      bankruptcyPrice,
      lossAbsorbed: shares.btc,
      isLong: true,
    });
    const after = await fx.position(winner.accountId, BTC, block);
    expect(after.size).toBe(before.size + q);
    expect(after.size).toBe(d18(-0.5));
    expect(after.lastPrice).toBe(price);
    expect((await fx.account(winner.accountId, block)).collateral).toBe(
      collateralBefore + pricePnl + funding - shares.btc,
    );

    // The record is cleared and the market's bad debt reduced by the loss absorbed; the ETH
    // record waits for its own ADL.
    expect(await fx.adlRecord(bankrupt.accountId, BTC, true, block)).toEqual({
      size: 0n,
      debt: 0n,
    });
    expect((await fx.market(BTC, block)).state.badDebt).toBe(0n);
    expect(await fx.adlRecord(bankrupt.accountId, ETH, true, block)).toEqual({
      size: d18(10),
      debt: shares.eth,
    });
    const [recorded] = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "BadDebtRecorded",
      logs: receipt.logs,
    });
    expect(recorded?.args).toEqual({
      accountId: bankrupt.accountId,
      marketId: BTC,
      recordSize: 0n,
      recordDebt: 0n,
      marketBadDebt: 0n,
      isLong: true,
    });
    const again = await fx.revert(fx.keeper.address, "autoDeleverage", [
      bankrupt.accountId,
      BTC,
      true,
      [winner.accountId],
    ]);
    expect(again).toEqual({
      errorName: "NoPendingBadDebt",
      args: [bankrupt.accountId, BTC, true],
    });
  });
});
