/**
 * Funding accrues with skew over time: with a long skew and chain time warped by hours, the
 * funding rate rises and the funding index falls (longs pay shorts), and the rate and index
 * equal REFERENCE-MODEL.md's velocity formula, written out below in bigint.
 */
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpExchangeAbi } from "../../protocols/reference/contracts/generated/index.js";
import { d18, ExchangeFixture, type Trader } from "../support/exchangeFixture.js";
import { divD, mulD, ONE } from "../support/referenceMath.js";

interface FundingState {
  skew: bigint;
  lastFundingRate: bigint;
  lastFundingIndex: bigint;
  lastFundingTime: bigint;
}

/** REFERENCE-MODEL.md "Funding", operation for operation. */
function fundingAt(
  s: FundingState,
  p: { skewScale: bigint; maxFundingVelocity: bigint },
  now: bigint,
  price: bigint,
) {
  let proportionalSkew = divD(s.skew, p.skewScale);
  if (proportionalSkew > ONE) proportionalSkew = ONE;
  if (proportionalSkew < -ONE) proportionalSkew = -ONE;
  const velocity = mulD(proportionalSkew, p.maxFundingVelocity);
  const elapsed = divD(now - s.lastFundingTime, 86_400n);
  const rate = s.lastFundingRate + mulD(velocity, elapsed);
  const unrecorded = mulD(mulD(-divD(s.lastFundingRate + rate, 2n * ONE), elapsed), price);
  return { velocity, rate, index: s.lastFundingIndex + unrecorded };
}

const BTC = 1n;
const HOURS_6 = 6n * 3600n;
let fx: ExchangeFixture;
let long: Trader;
let short: Trader;

beforeAll(async () => {
  fx = await ExchangeFixture.start();
  long = await fx.newTrader(d18(5_000_000));
  short = await fx.newTrader(d18(5_000_000));
});
afterAll(() => fx?.stop());

describe("funding", () => {
  it("accrues with a long skew over warped time as the model's formula says", async () => {
    await fx.trade(long, BTC, d18(100));
    const opened = await fx.trade(short, BTC, d18(-30));
    const m0 = await fx.market(BTC, opened.blockNumber);
    expect(m0.state.skew).toBe(d18(70));
    const velocity = await fx.client.public.readContract({
      address: fx.exchange,
      abi: perpExchangeAbi,
      functionName: "fundingVelocity",
      args: [BTC],
    });
    // 70 / 10_000 * 9 per day per day.
    expect(velocity).toBe(d18("0.063"));

    // Warp six hours: the views (no checkpoint) follow the formula from the last checkpoint.
    const t1 = await fx.warp(HOURS_6);
    expect(t1 - m0.state.lastFundingTime).toBeGreaterThanOrEqual(HOURS_6);
    const block1 = await fx.client.public.getBlockNumber();
    const { price: price0 } = await fx.price(BTC);
    const want1 = fundingAt(m0.state, m0.params, t1, price0);
    expect(want1.velocity).toBe(velocity);
    const read = async (functionName: "currentFundingRate" | "fundingIndex", block: bigint) =>
      fx.client.public.readContract({
        address: fx.exchange,
        abi: perpExchangeAbi,
        functionName,
        args: [BTC],
        blockNumber: block,
      });
    const rate1 = await read("currentFundingRate", block1);
    const index1 = await read("fundingIndex", block1);
    expect(rate1).toBe(want1.rate);
    expect(index1).toBe(want1.index);
    // Longs pay when the skew is long: the rate is positive and the index falls.
    expect(rate1).toBeGreaterThan(m0.state.lastFundingRate);
    expect(rate1).toBeGreaterThan(0n);
    expect(index1).toBeLessThan(m0.state.lastFundingIndex);

    // A fresh price and a trade checkpoint funding: the FundingUpdated event and the stored
    // state equal the formula at the trade's block time and the new price, then the new skew
    // sets the velocity.
    const newPrice = d18(96_000);
    await fx.pushPrice(BTC, newPrice);
    const traded = await fx.trade(short, BTC, d18(-10));
    const tradeBlock = await fx.client.public.getBlock({ blockNumber: traded.blockNumber });
    const want2 = fundingAt(m0.state, m0.params, tradeBlock.timestamp, newPrice);
    const m2 = await fx.market(BTC, traded.blockNumber);
    expect(m2.state.lastFundingRate).toBe(want2.rate);
    expect(m2.state.lastFundingIndex).toBe(want2.index);
    expect(m2.state.lastFundingTime).toBe(tradeBlock.timestamp);
    const [event] = parseEventLogs({
      abi: perpExchangeAbi,
      eventName: "FundingUpdated",
      logs: traded.logs,
    });
    expect(event?.args).toEqual({
      marketId: BTC,
      price: newPrice,
      skew: d18(60),
      fundingRate: want2.rate,
      fundingVelocity: mulD(divD(d18(60), m0.params.skewScale), m0.params.maxFundingVelocity),
      fundingIndex: want2.index,
      timestamp: tradeBlock.timestamp,
    });

    // Another six hours: the rate keeps rising and the index keeps falling, from the new
    // checkpoint and with the new velocity.
    const t3 = await fx.warp(HOURS_6);
    const block3 = await fx.client.public.getBlockNumber();
    const want3 = fundingAt(m2.state, m2.params, t3, newPrice);
    const rate3 = await read("currentFundingRate", block3);
    const index3 = await read("fundingIndex", block3);
    expect(rate3).toBe(want3.rate);
    expect(index3).toBe(want3.index);
    expect(rate3).toBeGreaterThan(m2.state.lastFundingRate);
    expect(index3).toBeLessThan(m2.state.lastFundingIndex);

    // The long has paid funding and the short received it.
    const longPos = await fx.position(long.accountId, BTC, block3);
    const shortPos = await fx.position(short.accountId, BTC, block3);
    const longFunding = mulD(longPos.size, index3 - longPos.lastFundingIndex);
    const shortFunding = mulD(shortPos.size, index3 - shortPos.lastFundingIndex);
    expect(longFunding).toBeLessThan(0n);
    expect(shortFunding).toBeGreaterThan(0n);
  });
});
