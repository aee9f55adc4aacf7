/**
 * Initial margin on trades: a trade that would leave equity (fee paid) below the account's
 * initial margin reverts with InsufficientMargin, while a smaller one is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { d18, ExchangeFixture, type Trader } from "../support/exchangeFixture.js";
import { fillPrice, mulD, positionMargins } from "../support/referenceMath.js";

const BTC = 1n;
let fx: ExchangeFixture;
let trader: Trader;

beforeAll(async () => {
  fx = await ExchangeFixture.start();
  trader = await fx.newTrader(d18(10_000));
});
afterAll(() => fx?.stop());

describe("trade initial margin", () => {
  it("rejects an over-leveraged trade with InsufficientMargin and accepts a smaller one", async () => {
    const { price } = await fx.price(BTC);
    const market = await fx.market(BTC);
    expect(market.state.skew).toBe(0n);
    const collateral = d18(10_000);

    // 10 BTC (~950k notional) on 10k collateral: the margin check must fail, with the
    // equity and initial margin the model gives (skew and funding are zero before it).
    const big = d18(10);
    const fill = fillPrice(0n, market.params.skewScale, price, big);
    const fee = mulD(mulD(big, fill), market.params.takerFee);
    const equity = collateral - fee + mulD(big, price - fill);
    const { initialMargin } = positionMargins(market.params, big, price);
    expect(equity).toBeLessThan(initialMargin);
    const revert = await fx.revert(trader.address, "modifyPosition", [trader.accountId, BTC, big]);
    expect(revert.errorName).toBe("InsufficientMargin");
    expect(revert.args).toEqual([equity, initialMargin]);

    // Sent on chain, it is mined as a revert and changes nothing.
    const failed = await fx.send(trader.signer, "modifyPosition", [trader.accountId, BTC, big]);
    expect(failed.status).toBe("reverted");
    expect((await fx.position(trader.accountId, BTC)).size).toBe(0n);
    expect((await fx.account(trader.accountId)).collateral).toBe(collateral);

    // 1 BTC fits: accepted, and the account is above initial margin afterwards.
    const small = d18(1);
    const ok = await fx.trade(trader, BTC, small);
    expect(ok.status).toBe("success");
    const position = await fx.position(trader.accountId, BTC, ok.blockNumber);
    expect(position.size).toBe(small);
    expect(position.lastPrice).toBe(fillPrice(0n, market.params.skewScale, price, small));
    const health = await fx.health(trader.accountId, ok.blockNumber);
    expect(health.initialMargin).toBe(positionMargins(market.params, small, price).initialMargin);
    expect(health.equity).toBeGreaterThanOrEqual(health.initialMargin);
  });
});
