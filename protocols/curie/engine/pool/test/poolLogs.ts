/**
 * Test support: a Curie pool's logs from the devnet, decoded with the @uniswap/v3-core
 * artifact's ABI, fed into the mirror block by block (the way the indexer will).
 */
import { type Address, type Log, parseEventLogs } from "viem";
import type { ChainClient } from "../../../../../devnet/chain.js";
import { curie } from "../../../devnet/artifacts.js";
import { applyPoolEvent, initializePool, type PoolEvent, type PoolState } from "../index.js";

const poolAbi = () => curie.UniswapV3Pool().abi;

/** What the fed logs exercised, for the tests to check they covered what they claim. */
export interface FeedStats {
  events: Record<string, number>;
  /** Initialized ticks crossed by swaps. */
  crossings: number;
  /** Swap steps that ended on a bitmap word boundary without an initialized tick there. */
  wordBoundaries: number;
  /** Swaps that followed another swap of the same pool in the same block. */
  swapsInBlockWithAnother: number;
}

export const emptyStats = (): FeedStats => ({
  events: {},
  crossings: 0,
  wordBoundaries: 0,
  swapsInBlockWithAnother: 0,
});

export interface MirroredPool {
  address: Address;
  /** Undefined until the pool's Initialize log. */
  state?: PoolState;
  /** Every tick a Mint or Burn named: the pool can only have initialized ticks among them. */
  touchedTicks: Set<number>;
}

/** Pool logs of blocks [from, to], decoded, in block/log order. */
export async function poolLogs(client: ChainClient, pools: Address[], from: bigint, to: bigint) {
  const logs = await client.public.getLogs({ address: pools, fromBlock: from, toBlock: to });
  const decoded = parseEventLogs({ abi: poolAbi(), logs: logs as Log[] }) as unknown as (PoolEvent &
    Log<bigint, number, false>)[];
  return decoded.sort((a, b) =>
    a.blockNumber === b.blockNumber
      ? a.logIndex - b.logIndex
      : Number(a.blockNumber - b.blockNumber),
  );
}

/** Applies decoded logs (each at its block's timestamp) to the mirrored pools; returns touched pools. */
export async function feedLogs(
  client: ChainClient,
  pools: Map<string, MirroredPool>,
  logs: Awaited<ReturnType<typeof poolLogs>>,
  timestampOf: (block: bigint) => Promise<number>,
  stats: FeedStats = emptyStats(),
): Promise<Set<MirroredPool>> {
  const touched = new Set<MirroredPool>();
  const swapsPerPoolBlock = new Map<string, number>();
  for (const log of logs) {
    stats.events[log.eventName] = (stats.events[log.eventName] ?? 0) + 1;
    const pool = pools.get(log.address.toLowerCase());
    if (!pool) continue;
    const time = await timestampOf(log.blockNumber);
    if (log.eventName === "Initialize") {
      const [fee, tickSpacing] = await Promise.all(
        (["fee", "tickSpacing"] as const).map((fn) =>
          client.public.readContract({ address: pool.address, abi: poolAbi(), functionName: fn }),
        ),
      );
      const args = log.args as { sqrtPriceX96: bigint };
      pool.state = initializePool({
        sqrtPriceX96: args.sqrtPriceX96,
        fee: Number(fee),
        tickSpacing: Number(tickSpacing),
        time,
      });
    } else {
      if (log.eventName === "Mint" || log.eventName === "Burn") {
        pool.touchedTicks.add(log.args.tickLower).add(log.args.tickUpper);
      }
      if (!pool.state) throw new Error(`pool ${pool.address}: ${log.eventName} before Initialize`);
      const r = applyPoolEvent(pool.state, log, time);
      pool.state = r.state;
      for (const step of r.steps ?? []) {
        if (step.crossed && step.initialized) stats.crossings++;
        if (step.crossed && !step.initialized) stats.wordBoundaries++;
      }
      if (log.eventName === "Swap") {
        const key = `${log.address}:${log.blockNumber}`;
        const n = (swapsPerPoolBlock.get(key) ?? 0) + 1;
        swapsPerPoolBlock.set(key, n);
        if (n > 1) stats.swapsInBlockWithAnother++;
      }
    }
    touched.add(pool);
  }
  return touched;
}
