/**
 * The three loss rules on the real bytecode (README, "Losses: three rules and the accounting
 * invariant"): an underwater account's own reducing trade reverts and its loss goes through
 * liquidation; a long and then a short bankruptcy of one account in one market keep two ADL
 * records; and ADL charges a counterparty with a small profit only that profit, the rest going
 * to the next counterparty named.
 */
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpExchangeAbi } from "../../protocols/reference/contracts/generated/index.js";
import { d18, ExchangeFixture, type Trader } from "../support/exchangeFixture.js";

const BTC = 1n;
let fx: ExchangeFixture;
let bankrupt: Trader;
let big: Trader;
let p0: bigint;

beforeAll(async () => {
  fx = await ExchangeFixture.start({ insuranceFund: 0 });
  p0 = (await fx.price(BTC)).price;
  bankrupt = await fx.newTrader(d18(2_500), d18(10_000));
  big = await fx.newTrader(d18(100_000));
  await fx.trade(big, BTC, d18(-2));
  await fx.trade(bankrupt, BTC, d18(1));
});
afterAll(() => fx?.stop());

const setPrice = async (price: bigint) => {
  await fx.pushPrice(BTC, price);
  await fx.refreshPrices();
};

describe("loss rules", () => {
  it("an underwater account cannot reduce or close its own position; liquidation takes the loss", async () => {
    await setPrice((p0 * 80n) / 100n);
    const { equity } = await fx.health(bankrupt.accountId);
    expect(equity).toBeLessThan(0n);
    for (const sizeDelta of [d18(-1), d18(-0.5), -1n]) {
      const r = await fx.revert(bankrupt.address, "modifyPosition", [
        bankrupt.accountId,
        BTC,
        sizeDelta,
      ]);
      expect(r.errorName).toBe("InsufficientMargin");
      const [after, required] = r.args as [bigint, bigint];
      expect(after).toBeLessThan(0n);
      expect(required).toBe(0n);
    }
    const receipt = await fx.call(fx.keeper, "liquidate", [bankrupt.accountId]);
    const [liq] = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "AccountLiquidated",
      logs: receipt.logs,
    });
    expect(liq!.args.badDebt).toBeGreaterThan(0n);
    expect(await fx.adlRecord(bankrupt.accountId, BTC, true)).toEqual({
      size: d18(1),
      debt: liq!.args.badDebt,
    });
    expect(await fx.account(bankrupt.accountId)).toMatchObject({ collateral: 0n, openMarkets: 0n });
  });

  it("a short bankruptcy after a long one in the same market keeps its own record", async () => {
    const long = await fx.adlRecord(bankrupt.accountId, BTC, true);
    await fx.call(bankrupt.signer, "modifyCollateral", [bankrupt.accountId, d18(2_000)]);
    await fx.trade(bankrupt, BTC, d18(-1));
    await setPrice((p0 * 90n) / 100n);
    await fx.call(fx.keeper, "liquidate", [bankrupt.accountId]);
    const short = await fx.adlRecord(bankrupt.accountId, BTC, false);
    expect(short.size).toBe(d18(-1));
    expect(short.debt).toBeGreaterThan(0n);
    expect(await fx.adlRecord(bankrupt.accountId, BTC, true)).toEqual(long);
    expect((await fx.market(BTC)).state.badDebt).toBe(long.debt + short.debt);
  });

  it("ADL charges a counterparty with a small profit that profit only; the next one pays the rest", async () => {
    const record = await fx.adlRecord(bankrupt.accountId, BTC, true);
    const small = await fx.newTrader(d18(20_000));
    await fx.trade(small, BTC, d18(-1));
    const entry = (await fx.position(small.accountId, BTC)).lastPrice;
    // a quarter of the record's debt in profit: far below its share (all of it, q = |R|)
    await setPrice(entry - (record.debt * 10n ** 18n) / 4n / d18(1));
    const collateral = (await fx.account(small.accountId)).collateral;
    const receipt = await fx.call(fx.keeper, "autoDeleverage", [
      bankrupt.accountId,
      BTC,
      true,
      [small.accountId, big.accountId],
    ]);
    const fills = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "PositionAutoDeleveraged",
      logs: receipt.logs,
    });
    expect(fills.map((f) => f.args.counterpartyAccountId)).toEqual([
      small.accountId,
      big.accountId,
    ]);
    const paid = fills[0]!.args.lossAbsorbed;
    expect(paid).toBeGreaterThan(0n);
    expect(paid).toBeLessThan(record.debt);
    // the whole profit and nothing more: its collateral is where it was
    expect((await fx.account(small.accountId)).collateral).toBe(collateral);
    expect(fills[0]!.args.sizeDelta).toBe((paid * record.size) / record.debt);
    expect(fills[1]!.args.lossAbsorbed).toBe(record.debt - paid);
    expect(await fx.adlRecord(bankrupt.accountId, BTC, true)).toEqual({ size: 0n, debt: 0n });
    // the short record is untouched
    expect((await fx.adlRecord(bankrupt.accountId, BTC, false)).size).toBe(d18(-1));
  });
});
