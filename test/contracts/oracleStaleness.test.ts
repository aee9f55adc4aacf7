/**
 * Oracle staleness: once more than maxPriceAge seconds have passed since the last price push,
 * trades revert with StalePrice; a fresh push makes them go through again, and a price exactly
 * maxPriceAge seconds old is still accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { d18, ExchangeFixture, type Trader } from "../support/exchangeFixture.js";

const BTC = 1n;
let fx: ExchangeFixture;
let trader: Trader;
let maxPriceAge: bigint;

beforeAll(async () => {
  fx = await ExchangeFixture.start();
  trader = await fx.newTrader(d18(50_000));
  maxPriceAge = BigInt(fx.deployment.maxPriceAge);
});
afterAll(() => fx?.stop());

describe("oracle staleness", () => {
  it("rejects trades with StalePrice after maxPriceAge seconds without a push", async () => {
    const { publishTime } = await fx.price(BTC);
    await fx.client.rpc("evm_mine", [Number(publishTime + maxPriceAge + 1n)]);

    const revert = await fx.revert(trader.address, "modifyPosition", [
      trader.accountId,
      BTC,
      d18(1),
    ]);
    expect(revert.errorName).toBe("StalePrice");
    expect(revert.args).toEqual([BTC, publishTime]);

    const failed = await fx.send(trader.signer, "modifyPosition", [trader.accountId, BTC, d18(1)]);
    expect(failed.status).toBe("reverted");
    expect((await fx.position(trader.accountId, BTC)).size).toBe(0n);
  });

  it("accepts trades again after a fresh push", async () => {
    const pushed = await fx.pushPrice(BTC, d18(95_500));
    const { publishTime } = await fx.price(BTC, pushed.blockNumber);
    const pushBlock = await fx.client.public.getBlock({ blockNumber: pushed.blockNumber });
    expect(publishTime).toBe(pushBlock.timestamp);

    const ok = await fx.trade(trader, BTC, d18(1));
    expect(ok.status).toBe("success");
    expect((await fx.position(trader.accountId, BTC, ok.blockNumber)).size).toBe(d18(1));
  });

  it("accepts a price exactly maxPriceAge seconds old and rejects it one second later", async () => {
    const pushed = await fx.pushPrice(BTC, d18(95_600));
    const { publishTime } = await fx.price(BTC, pushed.blockNumber);

    await fx.setNextTimestamp(publishTime + maxPriceAge);
    const atLimit = await fx.send(trader.signer, "modifyPosition", [trader.accountId, BTC, d18(1)]);
    expect(atLimit.status).toBe("success");
    const atLimitBlock = await fx.client.public.getBlock({ blockNumber: atLimit.blockNumber });
    expect(atLimitBlock.timestamp - publishTime).toBe(maxPriceAge);
    expect((await fx.position(trader.accountId, BTC)).size).toBe(d18(2));

    await fx.setNextTimestamp(publishTime + maxPriceAge + 1n);
    const pastLimit = await fx.send(trader.signer, "modifyPosition", [
      trader.accountId,
      BTC,
      d18(1),
    ]);
    expect(pastLimit.status).toBe("reverted");
    const pastBlock = await fx.client.public.getBlock({ blockNumber: pastLimit.blockNumber });
    expect(pastBlock.timestamp - publishTime).toBe(maxPriceAge + 1n);
    const revert = await fx.revert(trader.address, "modifyPosition", [
      trader.accountId,
      BTC,
      d18(1),
    ]);
    expect(revert).toEqual({ errorName: "StalePrice", args: [BTC, publishTime] });
    expect((await fx.position(trader.accountId, BTC)).size).toBe(d18(2));
  });
});
