/**
 * Differential test of the pool mirror against the real Uniswap v3 pools of a Curie devnet:
 * seeded random maker and taker operations through Curie's ClearingHouse, blocks at irregular
 * timestamps, the pools' own Mint/Burn/Swap/... logs fed into the mirror after every block,
 * then every pool view (slot0, liquidity, fee growth, each tick, bitmap words, the observation
 * ring, observe) and Curie's market TWAP compared to the wei.
 */
import type { Hash } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { PoolComparer } from "./test/comparePool.js";
import { type CurieDevnet, mineBlock, startCurieDevnet } from "./test/curieDevnet.js";
import { RandomPoolOps } from "./test/randomPoolOps.js";

/** Successful pool operations per seed; more on demand (POOL_MIRROR_OPERATIONS=3000). */
const MIN_OPERATIONS = Number(process.env.POOL_MIRROR_OPERATIONS ?? 300);
const MAX_BLOCKS = MIN_OPERATIONS * 3;

async function compareAll(
  net: CurieDevnet,
  cmp: PoolComparer,
  full: Set<string>,
): Promise<string[]> {
  const diffs = await Promise.all(
    net.d.markets.map(async (m) => {
      const pool = net.pools.get(m.pool.toLowerCase())!;
      const s = pool.state!;
      const time = await cmp.compareTimeViews(m.pool, net.d.exchange, m.baseToken, s, net.time);
      const storage = full.has(m.pool.toLowerCase())
        ? await cmp.compareStorage(m.pool, s, pool.touchedTicks)
        : [];
      return [...storage, ...time].map((d) => `${m.symbol} block ${net.lastBlock}: ${d}`);
    }),
  );
  return diffs.flat();
}

/** Random blocks until MIN_OPERATIONS pool operations succeeded, compared after each block. */
async function run(net: CurieDevnet, cmp: PoolComparer, seed: number) {
  const ops = new RandomPoolOps(net, seed);
  await mineBlock(net, await ops.anchor(), ops.gap());
  let operations = 0;
  let blocks = 0;
  while (operations < MIN_OPERATIONS && blocks < MAX_BLOCKS) {
    const hashes: Hash[] = [];
    const n = 1 + Math.floor(blocks % 3);
    for (let i = 0; i < n; i++) {
      const h = await ops.next();
      if (h) hashes.push(h);
    }
    const { touched, succeeded } = await mineBlock(net, hashes, ops.gap());
    operations += succeeded;
    blocks++;
    const full = new Set([...touched].map((p) => p.address.toLowerCase()));
    expect(await compareAll(net, cmp, full), `after ${operations} operations`).toEqual([]);
  }
  return { operations, blocks };
}

describe("Uniswap v3 pool mirror vs the real pools of a Curie devnet", () => {
  let net: CurieDevnet | undefined;
  afterEach(async () => {
    await net?.anvil.stop();
    net = undefined;
  });

  for (const seed of [1, 2]) {
    const timeout = Math.max(120_000, MIN_OPERATIONS * 400);
    it(
      `seed ${seed}: ≥ ${MIN_OPERATIONS} operations, 0 mismatches`,
      async () => {
        net = await startCurieDevnet({ seed, makers: 3, takers: 3, observationCardinality: 40 });
        const cmp = new PoolComparer(net.anvil.rpcUrl);
        const everyPool = new Set(net.d.markets.map((m) => m.pool.toLowerCase()));
        expect(await compareAll(net, cmp, everyPool)).toEqual([]);
        const { operations, blocks } = await run(net, cmp, seed);
        expect(await compareAll(net, cmp, everyPool)).toEqual([]);
        expect(operations).toBeGreaterThanOrEqual(MIN_OPERATIONS);
        // The run covered what the mirror claims to get right.
        const { events, crossings, wordBoundaries, swapsInBlockWithAnother } = net.stats;
        expect(events.Swap).toBeGreaterThan(80);
        expect(events.Mint).toBeGreaterThan(40);
        expect(events.Burn).toBeGreaterThan(40);
        expect(events.IncreaseObservationCardinalityNext).toBeGreaterThan(2);
        expect(crossings).toBeGreaterThan(5);
        expect(wordBoundaries).toBeGreaterThan(0);
        expect(swapsInBlockWithAnother).toBeGreaterThan(3);
        expect(cmp.agreedReverts.OLD).toBeGreaterThan(5);
        if (process.env.POOL_MIRROR_STATS) {
          const stats = { operations, ...net.stats, reverts: cmp.agreedReverts };
          process.stderr.write(`seed ${seed}: ${blocks} blocks, ${JSON.stringify(stats)}\n`);
        }
      },
      timeout,
    );
  }
});
