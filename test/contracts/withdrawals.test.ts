/**
 * Withdrawals: one that would leave equity below initial margin reverts with
 * InsufficientMargin, one within margin pays out, and one larger than the collateral reverts
 * with InsufficientCollateral.
 */
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpExchangeAbi } from "../../protocols/reference/contracts/generated/index.js";
import { d18, ExchangeFixture, type Trader } from "../support/exchangeFixture.js";

const BTC = 1n;
let fx: ExchangeFixture;
let trader: Trader;

beforeAll(async () => {
  fx = await ExchangeFixture.start();
  trader = await fx.newTrader(d18(10_000));
  await fx.trade(trader, BTC, d18(1));
});
afterAll(() => fx?.stop());

describe("withdrawals", () => {
  it("rejects a withdrawal that breaks initial margin with InsufficientMargin", async () => {
    const before = await fx.account(trader.accountId);
    const health = await fx.health(trader.accountId);
    const headroom = health.equity - health.initialMargin;
    expect(headroom).toBeGreaterThan(d18(1));
    expect(headroom).toBeLessThan(before.collateral);

    // A simulation runs at the latest block, where accountHealth was read: one wei over the
    // headroom already fails, with the post-withdrawal equity in the error.
    const over = headroom + 1n;
    const revert = await fx.revert(trader.address, "modifyCollateral", [trader.accountId, -over]);
    expect(revert.errorName).toBe("InsufficientMargin");
    expect(revert.args).toEqual([health.equity - over, health.initialMargin]);

    // On chain (a later block, a little more funding accrued) with a 1 USD margin of safety.
    const failed = await fx.send(trader.signer, "modifyCollateral", [
      trader.accountId,
      -(headroom + d18(1)),
    ]);
    expect(failed.status).toBe("reverted");
    expect((await fx.account(trader.accountId)).collateral).toBe(before.collateral);
  });

  it("pays out a withdrawal within initial margin", async () => {
    const before = await fx.account(trader.accountId);
    const wallet = await fx.tokenBalance(trader.address);
    const health = await fx.health(trader.accountId);
    const amount = (health.equity - health.initialMargin) / 2n;

    const receipt = await fx.call(trader.signer, "modifyCollateral", [trader.accountId, -amount]);
    const after = await fx.account(trader.accountId, receipt.blockNumber);
    expect(after.collateral).toBe(before.collateral - amount);
    expect(await fx.tokenBalance(trader.address, receipt.blockNumber)).toBe(wallet + amount);
    const [event] = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "CollateralModified",
      logs: receipt.logs,
    });
    expect(event?.args).toEqual({
      accountId: trader.accountId,
      amountDelta: -amount,
      newCollateral: after.collateral,
      sender: trader.address,
    });
    const healthAfter = await fx.health(trader.accountId, receipt.blockNumber);
    expect(healthAfter.equity).toBeGreaterThanOrEqual(healthAfter.initialMargin);
  });

  it("rejects a withdrawal larger than the collateral with InsufficientCollateral", async () => {
    const { collateral } = await fx.account(trader.accountId);
    const amount = collateral + 1n;
    const revert = await fx.revert(trader.address, "modifyCollateral", [trader.accountId, -amount]);
    expect(revert.errorName).toBe("InsufficientCollateral");
    expect(revert.args).toEqual([collateral, amount]);

    // Also for an account with no position, where no margin check runs at all.
    const flat = await fx.newTrader(d18(500));
    const flatRevert = await fx.revert(flat.address, "modifyCollateral", [
      flat.accountId,
      -d18(501),
    ]);
    expect(flatRevert.errorName).toBe("InsufficientCollateral");
    expect(flatRevert.args).toEqual([d18(500), d18(501)]);
    const failed = await fx.send(flat.signer, "modifyCollateral", [flat.accountId, -d18(501)]);
    expect(failed.status).toBe("reverted");
    // The whole collateral, exactly, can leave a flat account.
    await fx.call(flat.signer, "modifyCollateral", [flat.accountId, -d18(500)]);
    expect((await fx.account(flat.accountId)).collateral).toBe(0n);
  });
});
