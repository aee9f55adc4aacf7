/**
 * Issue 16: the cascade on a Curie book moves prices exactly as a swap of the liquidated size
 * through the pool would. On a devnet with nested maker ranges, the venue curve the plugin
 * writes (indexer/curve.ts, from the pool mirror fed by the pool's events) and the analytics'
 * "pool" impact law (engine/analytics/impact.ts) give, for net liquidation flows both ways, the
 * base size traded and the price after it; the same size is then traded on the devnet through
 * the ClearingHouse (selling base with exact input, buying with exact output, as a liquidator's
 * close does), and the pool's slot0 is exactly that price.
 */
import { type Hash, type Hex, maxUint256, parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseOfFlow, impactMove, moveOfSqrt } from "../../engine/analytics/impact.js";
import { priceAfterBaseFlow, priceOfSqrtX96 } from "../../engine/risk/liquidityCurve.js";
import { curie } from "./devnet/artifacts.js";
import {
  type CurieDevnet,
  mineBlock,
  startCurieDevnet,
  TX_GAS,
} from "./engine/pool/test/curieDevnet.js";
import { curveOf } from "./indexer/curve.js";

const FLOWS_USD = [-1_000_000, -60_000, -500, 800, 250_000];
const RANGES = [
  [120, 50_000],
  [480, 200_000],
  [1500, 1_500_000],
] as const;
const PARAMS = { impactY: 1, dailyVol: 0.03, dailyVolume: 1e6, depthPer1Pct: 1e4 };

describe("Curie cascade impact against real swaps on the devnet", () => {
  let net: CurieDevnet;

  beforeAll(async () => {
    net = await startCurieDevnet({ seed: 11, makers: 1, takers: 1, observationCardinality: 10 });
    const eth = net.d.markets[0]!;
    const tick = net.pools.get(eth.pool.toLowerCase())!.state!.tick;
    const ch = curie.ClearingHouse().abi;
    const hashes: Hash[] = [];
    for (const [half, usd] of RANGES) {
      const params = {
        baseToken: eth.baseToken,
        base: parseUnits(String(usd / 2170), 18),
        quote: parseUnits(String(usd), 18),
        lowerTick: Math.floor((tick - half) / 60) * 60,
        upperTick: Math.ceil((tick + half) / 60) * 60,
        minBase: 0n,
        minQuote: 0n,
        useTakerBalance: false,
        deadline: maxUint256,
      };
      hashes.push(
        await net.makers[0]!.write(net.d.clearingHouse, ch, "addLiquidity", [params], TX_GAS),
      );
    }
    expect((await mineBlock(net, hashes, 12)).succeeded).toBe(3);
  });

  afterAll(async () => {
    await net?.anvil.stop();
  });

  for (const flow of FLOWS_USD) {
    it(`net flow ${flow} USD`, async () => {
      const eth = net.d.markets[0]!;
      const pool = net.pools.get(eth.pool.toLowerCase())!;
      const before = pool.state!;
      const venue = curveOf(before);
      const base = baseOfFlow(venue, flow);
      const predicted = priceAfterBaseFlow(venue, base);
      const move = impactMove("pool", { ...PARAMS, venue }, flow);
      expect(move).toBe(moveOfSqrt(venue.sqrtPriceX96, predicted));
      expect(Math.sign(move)).toBe(Math.sign(flow));

      const snapshot = await net.client.rpc<Hex>("evm_snapshot");
      const sell = base < 0n;
      const params = {
        baseToken: eth.baseToken,
        isBaseToQuote: sell,
        isExactInput: sell,
        amount: sell ? -base : base,
        oppositeAmountBound: sell ? 0n : maxUint256,
        deadline: maxUint256,
        sqrtPriceLimitX96: 0n,
        referralCode: `0x${"0".repeat(64)}`,
      };
      const taker = net.takers[0]!;
      const hash = await taker.write(
        net.d.clearingHouse,
        curie.ClearingHouse().abi,
        "openPosition",
        [params],
        TX_GAS,
      );
      const savedTime = net.time;
      const savedBlock = net.lastBlock;
      expect((await mineBlock(net, [hash], 13)).succeeded).toBe(1);
      const slot0 = (await net.client.public.readContract({
        address: eth.pool,
        abi: curie.UniswapV3Pool().abi,
        functionName: "slot0",
      })) as readonly [bigint, number];
      await net.client.rpc("evm_revert", [snapshot]);
      pool.state = before;
      net.time = savedTime;
      net.lastBlock = savedBlock;
      await taker.syncNonce();

      expect(slot0[0]).toBe(predicted);
      const realized =
        Number(priceOfSqrtX96(slot0[0])) / Number(priceOfSqrtX96(before.sqrtPriceX96)) - 1;
      expect(Math.abs(realized - move)).toBeLessThan(1e-9);
    }, 60_000);
  }
});
