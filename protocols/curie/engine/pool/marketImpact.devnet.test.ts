/**
 * Issue 16's market-impact check: `priceAfterSwap` for a base size, both directions, equals the
 * real pool's slot0 (and the Swap event's amounts) after Curie's ClearingHouse trades that size
 * on the devnet — `openPosition` selling base with exact input, or buying base with exact
 * output, the way a liquidation closes a long or a short. Each trade starts from the same
 * snapshot; the liquidity sits in nested ranges so the larger trades cross initialized ticks.
 */
import { type Hash, type Hex, maxUint256, parseUnits } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curie } from "../../devnet/artifacts.js";
import { priceAfterSwap } from "./index.js";
import { type CurieDevnet, mineBlock, startCurieDevnet, TX_GAS } from "./test/curieDevnet.js";
import { poolLogs } from "./test/poolLogs.js";

const SIZES_ETH = ["0.01", "1", "25", "120", "400"];
/** Half-widths (ticks) of the nested maker ranges; 400 vETH reaches past the two inner ones. */
const RANGES = [
  [120, 50_000],
  [480, 200_000],
  [1500, 1_500_000],
] as const;

describe("priceAfterSwap against Curie trades on the devnet", () => {
  let net: CurieDevnet;

  beforeAll(async () => {
    net = await startCurieDevnet({ seed: 7, makers: 1, takers: 1, observationCardinality: 10 });
    const eth = net.d.markets[0]!;
    const tick = net.pools.get(eth.pool.toLowerCase())!.state!.tick;
    const maker = net.makers[0]!;
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
      hashes.push(await maker.write(net.d.clearingHouse, ch, "addLiquidity", [params], TX_GAS));
    }
    const { succeeded } = await mineBlock(net, hashes, 12);
    expect(succeeded).toBe(3);
  });

  afterAll(async () => {
    await net?.anvil.stop();
  });

  for (const size of SIZES_ETH) {
    for (const side of ["buy", "sell"] as const) {
      it(`${side} ${size} vETH`, async () => {
        const eth = net.d.markets[0]!;
        const pool = net.pools.get(eth.pool.toLowerCase())!;
        const before = pool.state!;
        const amount = parseUnits(size, 18);
        const time = net.time + 13;
        const predicted = priceAfterSwap(before, side === "buy" ? amount : -amount, time);

        const snapshot = await net.client.rpc<Hex>("evm_snapshot");
        const taker = net.takers[0]!;
        const params = {
          baseToken: eth.baseToken,
          isBaseToQuote: side === "sell",
          isExactInput: side === "sell",
          amount,
          oppositeAmountBound: side === "sell" ? 0n : maxUint256,
          deadline: maxUint256,
          sqrtPriceLimitX96: 0n,
          referralCode: `0x${"0".repeat(64)}`,
        };
        const ch = curie.ClearingHouse().abi;
        const hash = await taker.write(net.d.clearingHouse, ch, "openPosition", [params], TX_GAS);
        const savedTime = net.time;
        const savedBlock = net.lastBlock;
        const { succeeded } = await mineBlock(net, [hash], 13);
        expect(succeeded).toBe(1);
        const slot0 = (await net.client.public.readContract({
          address: eth.pool,
          abi: curie.UniswapV3Pool().abi,
          functionName: "slot0",
        })) as readonly [bigint, number];
        const [swapLog] = (await poolLogs(net.client, [eth.pool], net.lastBlock, net.lastBlock))
          .filter((l) => l.eventName === "Swap")
          .map((l) => l.args as { amount0: bigint; amount1: bigint });

        // Back to the snapshot: every size trades against the same book.
        await net.client.rpc("evm_revert", [snapshot]);
        pool.state = before;
        net.time = savedTime;
        net.lastBlock = savedBlock;
        await taker.syncNonce();

        expect({
          sqrtPriceX96: slot0[0],
          tick: slot0[1],
          amount0: swapLog?.amount0,
          amount1: swapLog?.amount1,
        }).toEqual({
          sqrtPriceX96: predicted.sqrtPriceX96,
          tick: predicted.tick,
          amount0: predicted.amount0,
          amount1: predicted.amount1,
        });
        if (size === "400") expect(Math.abs(predicted.tick - before.tick)).toBeGreaterThan(480);
      });
    }
  }
});
