/**
 * Test support: every view of a real pool (and Curie's market TWAP of it) against the mirror,
 * as a list of human-readable differences (empty when equal to the wei). Views are read in one
 * batched JSON-RPC round trip per pool at the latest block, whose timestamp is `time`.
 */
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  http,
} from "viem";
import { curie } from "../../../devnet/artifacts.js";
import {
  initializedTicks,
  observationAt,
  observe,
  PoolRevert,
  type PoolState,
  sqrtMarketTwapX96,
  tickBitmapWord,
  tickInfo,
} from "../index.js";

export const OBSERVE_SECONDS_AGO = [0, 15, 900, 1800, 3600] as const;
export const TWAP_INTERVALS = [0, 15, 900, 1800] as const;

type Outcome = { value: unknown } | { revert: string };

/** A read's value, or the revert reason ('OLD', ...) when the call reverts. */
async function outcome(read: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: await read() };
  } catch (e) {
    const revert =
      e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : null;
    if (revert instanceof ContractFunctionRevertedError) return { revert: revert.reason ?? "?" };
    throw e;
  }
}

function mirrorOutcome(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch (e) {
    if (e instanceof PoolRevert) return { revert: e.reason };
    throw e;
  }
}

const show = (x: unknown) =>
  JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}` : (v as unknown)));

export class PoolComparer {
  private readonly reader;
  private readonly poolAbi: Abi = curie.UniswapV3Pool().abi;
  private readonly exchangeAbi: Abi = curie.Exchange().abi;
  /** Reverts both sides agreed on, by reason ('OLD', ...). */
  readonly agreedReverts: Record<string, number> = {};

  constructor(rpcUrl: string) {
    this.reader = createPublicClient({ transport: http(rpcUrl, { batch: { batchSize: 1000 } }) });
  }

  private read(address: Address, abi: Abi, functionName: string, args: unknown[] = []) {
    return this.reader.readContract({ address, abi, functionName, args });
  }

  /** observe(secondsAgo) and Curie's market TWAPs: what changes with time alone. */
  async compareTimeViews(
    pool: Address,
    exchange: Address,
    baseToken: Address,
    s: PoolState,
    time: number,
  ): Promise<string[]> {
    const chain = await Promise.all([
      ...OBSERVE_SECONDS_AGO.map((ago) =>
        outcome(() => this.read(pool, this.poolAbi, "observe", [[ago]])),
      ),
      ...TWAP_INTERVALS.map((i) =>
        outcome(() =>
          this.read(exchange, this.exchangeAbi, "getSqrtMarketTwapX96", [baseToken, i]),
        ),
      ),
    ]);
    const mirror = [
      ...OBSERVE_SECONDS_AGO.map((ago) =>
        mirrorOutcome(() => {
          const o = observe(s, time, [ago]);
          return [o.tickCumulatives, o.secondsPerLiquidityCumulativeX128s];
        }),
      ),
      ...TWAP_INTERVALS.map((i) => mirrorOutcome(() => sqrtMarketTwapX96(s, time, i))),
    ];
    const names = [
      ...OBSERVE_SECONDS_AGO.map((a) => `observe([${a}])`),
      ...TWAP_INTERVALS.map((i) => `getSqrtMarketTwapX96(${i})`),
    ];
    return names.flatMap((name, k) => {
      const [c, m] = [chain[k]!, mirror[k]!];
      if (show(c) !== show(m)) return [`${name}: pool ${show(c)}, mirror ${show(m)}`];
      if ("revert" in c) this.agreedReverts[c.revert] = (this.agreedReverts[c.revert] ?? 0) + 1;
      return [];
    });
  }

  /** slot0, liquidity, fee growth, ticks, bitmap words and the observation ring. */
  async compareStorage(pool: Address, s: PoolState, touchedTicks: Set<number>): Promise<string[]> {
    const ticks = [...new Set([...touchedTicks, ...initializedTicks(s)])].sort((a, b) => a - b);
    const words = [...new Set(ticks.map((t) => Math.trunc(t / s.tickSpacing) >> 8))];
    const slots = Array.from({ length: s.observationCardinalityNext + 1 }, (_, i) => i);
    const [slot0, liquidity, fg0, fg1, chainTicks, chainWords, chainObs] = await Promise.all([
      this.read(pool, this.poolAbi, "slot0") as Promise<readonly unknown[]>,
      this.read(pool, this.poolAbi, "liquidity"),
      this.read(pool, this.poolAbi, "feeGrowthGlobal0X128"),
      this.read(pool, this.poolAbi, "feeGrowthGlobal1X128"),
      Promise.all(
        ticks.map(
          (t) => this.read(pool, this.poolAbi, "ticks", [t]) as Promise<readonly unknown[]>,
        ),
      ),
      Promise.all(words.map((w) => this.read(pool, this.poolAbi, "tickBitmap", [w]))),
      Promise.all(
        slots.map(
          (i) => this.read(pool, this.poolAbi, "observations", [i]) as Promise<readonly unknown[]>,
        ),
      ),
    ]);
    const diffs: string[] = [];
    const eq = (what: string, chain: unknown, mirror: unknown) => {
      if (show(chain) !== show(mirror))
        diffs.push(`${what}: pool ${show(chain)}, mirror ${show(mirror)}`);
    };
    eq("slot0", slot0.slice(0, 5), [
      s.sqrtPriceX96,
      s.tick,
      s.observationIndex,
      s.observationCardinality,
      s.observationCardinalityNext,
    ]);
    eq("liquidity", liquidity, s.liquidity);
    eq("feeGrowthGlobal0X128", fg0, s.feeGrowthGlobal0X128);
    eq("feeGrowthGlobal1X128", fg1, s.feeGrowthGlobal1X128);
    ticks.forEach((t, k) => {
      const m = tickInfo(s, t);
      eq(`ticks(${t})`, chainTicks[k], [
        m.liquidityGross,
        m.liquidityNet,
        m.feeGrowthOutside0X128,
        m.feeGrowthOutside1X128,
        m.tickCumulativeOutside,
        m.secondsPerLiquidityOutsideX128,
        m.secondsOutside,
        m.initialized,
      ]);
    });
    words.forEach((w, k) => {
      eq(`tickBitmap(${w})`, chainWords[k], tickBitmapWord(s, w));
    });
    slots.forEach((i) => {
      const o = observationAt(s, i);
      eq(`observations(${i})`, chainObs[i], [
        o.blockTimestamp,
        o.tickCumulative,
        o.secondsPerLiquidityCumulativeX128,
        o.initialized,
      ]);
    });
    return diffs;
  }
}
