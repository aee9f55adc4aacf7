/**
 * Every event carries the post-state: a sequence that exercises every event kind (deposits,
 * withdrawals, trades, price pushes, a funding warp, a liquidation with penalty, a bad-debt
 * liquidation, ADL, setMarketParams) runs with the PostStateChecker after every transaction,
 * which must find no difference and must have checked each event kind at least once.
 */
import { parseEventLogs, type TransactionReceipt } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  mockUSDAbi,
  perpExchangeAbi,
} from "../../protocols/reference/contracts/generated/index.js";
import { d18, ExchangeFixture, GAS } from "../support/exchangeFixture.js";
import { CHECKED_KINDS, PostStateChecker } from "../support/postStateChecker.js";

const BTC = 1n;
const ETH = 2n;
const PENALTY = 1;
const BAD_DEBT_COVER = 2;

/** The reasons of a receipt's InsuranceFundUpdated events. */
const fundReasons = (receipt: TransactionReceipt) =>
  parseEventLogs({
    abi: perpExchangeAbi,
    eventName: "InsuranceFundUpdated",
    logs: receipt.logs,
  }).map((e) => e.args.reason);

let fx: ExchangeFixture;
let checker: PostStateChecker;

beforeAll(async () => {
  fx = await ExchangeFixture.start({ insuranceFund: 0 });
  checker = new PostStateChecker(fx.client.public, fx.exchange, fx.deployment.oracle);
  fx.observe(async (receipt) => {
    await checker.check(receipt);
  });
});
afterAll(() => fx?.stop());

describe("events carry the post-state", () => {
  it("matches the views after every transaction of a full sequence", async () => {
    // Insurance deposit.
    await fx.ok(
      fx.deployer.write(
        fx.deployment.collateralToken,
        mockUSDAbi,
        "mint",
        [fx.deployer.address, d18(100)],
        GAS,
      ),
    );
    await fx.call(fx.deployer, "depositInsuranceFund", [d18(100)]);

    // Accounts, deposits, trades in two markets.
    const penalised = await fx.newTrader(d18(3_000));
    const bankrupt = await fx.newTrader(d18(2_100));
    const whale = await fx.newTrader(d18(200_000), d18(10_000));
    await fx.trade(penalised, BTC, d18(1));
    await fx.trade(penalised, ETH, d18(10));
    await fx.trade(bankrupt, BTC, d18(1));
    await fx.trade(whale, BTC, d18(-3));
    await fx.trade(whale, ETH, d18(-20));
    await fx.trade(whale, ETH, d18(5)); // reduce
    await fx.call(whale.signer, "modifyCollateral", [whale.accountId, d18(10_000)]);
    await fx.call(whale.signer, "modifyCollateral", [whale.accountId, -d18(25_000)]);

    // Two hours of funding, fresh prices, a trade that checkpoints it.
    await fx.warp(2n * 3600n);
    await fx.refreshPrices();
    await fx.trade(whale, BTC, d18(-0.5));

    // BTC falls: `penalised` is liquidated with keeper reward and penalty.
    await fx.pushPrice(BTC, d18(93_400));
    const withPenalty = await fx.call(fx.keeper, "liquidate", [penalised.accountId]);
    expect(fundReasons(withPenalty)).toEqual([PENALTY]);

    // BTC gaps: `bankrupt` exhausts the fund and leaves bad debt, which ADL clears.
    await fx.pushPrice(BTC, d18(90_000));
    const withBadDebt = await fx.call(fx.keeper, "liquidate", [bankrupt.accountId]);
    expect(fundReasons(withBadDebt)).toEqual([BAD_DEBT_COVER]);
    expect((await fx.adlRecord(bankrupt.accountId, BTC, true)).debt).toBeGreaterThan(0n);
    await fx.call(fx.keeper, "autoDeleverage", [bankrupt.accountId, BTC, true, [whale.accountId]]);
    expect((await fx.adlRecord(bankrupt.accountId, BTC, true)).debt).toBe(0n);

    // A parameter change checkpoints funding and emits the new parameters.
    const { params } = await fx.market(ETH);
    await fx.call(fx.deployer, "setMarketParams", [
      ETH,
      { ...params, takerFee: params.takerFee * 2n, maxFundingVelocity: d18(12) },
    ]);
    await fx.trade(whale, ETH, d18(-1));

    expect(checker.differences).toEqual([]);
    for (const kind of CHECKED_KINDS) {
      expect(checker.checked[kind], kind).toBeGreaterThan(0);
    }
    expect(checker.receipts).toBeGreaterThan(20);
  });

  it("reports differences when the views do not match the events", async () => {
    const trader = await fx.newTrader(d18(20_000));
    const receipt = await fx.trade(trader, BTC, d18(0.1));
    // Against the state one block earlier, the trade's post-state cannot match.
    const probe = new PostStateChecker(fx.client.public, fx.exchange, fx.deployment.oracle);
    const diffs = await probe.check(receipt, receipt.blockNumber - 1n);
    expect(diffs.some((d) => d.startsWith("PositionModified("))).toBe(true);
    expect(diffs.some((d) => d.includes(".newCollateral"))).toBe(true);
    expect(diffs.some((d) => d.startsWith("FundingUpdated(market 1).skew"))).toBe(true);
    expect(diffs.some((d) => d.startsWith("InsuranceFundUpdated.newBalance"))).toBe(true);
    // At its own block the same receipt is clean.
    expect(await probe.check(receipt)).toEqual([]);
  });
});
