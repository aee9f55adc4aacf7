/**
 * How many pool Swap events per second the mirror replays (`applySwapEvent`), on one core:
 * a pool with 200 maker ranges around the price, 20 000 seeded swaps of 20 to 200 000 USD
 * (half exact input, half exact output), one block every 1–30 s. Exact-output swaps cost two
 * replays (the exact-input candidate is tried first), so both kinds are timed apart. Times are
 * the process's CPU seconds (user + system), so other load on the machine matters less.
 * Run: npx tsx protocols/curie/engine/pool/test/replayThroughput.ts
 */
import { SeededRandom } from "../../../../../engine/seededRandom.js";
import {
  applySwapEvent,
  getSqrtRatioAtTick,
  initializePool,
  MAX_SQRT_RATIO,
  MIN_SQRT_RATIO,
  mint,
  type PoolState,
  type SwapEvent,
  swap,
} from "../index.js";

const rng = new SeededRandom(16);
let time = 1_767_225_600;
let s: PoolState = initializePool({
  sqrtPriceX96: getSqrtRatioAtTick(80_040),
  fee: 3000,
  tickSpacing: 60,
  time,
});
for (let i = 0; i < 200; i++) {
  const lower = (1334 + Math.round(rng.normal() * 20) - rng.intInclusive(1, 30)) * 60;
  const upper = lower + 60 * rng.intInclusive(1, 60);
  s = mint(s, {
    tickLower: lower,
    tickUpper: upper,
    liquidity: BigInt(Math.round(rng.logBetween(1e20, 1e23))),
    time,
  }).state;
}

const events: { before: PoolState; e: SwapEvent; time: number; exactInput: boolean }[] = [];
for (let i = 0; i < 20_000; i++) {
  time += rng.intInclusive(1, 30);
  const price = (Number(s.sqrtPriceX96) / 2 ** 96) ** 2;
  const zeroForOne = price > 3000 ? rng.chance(0.6) : rng.chance(0.4);
  const exactInput = rng.chance(0.5);
  const usd = rng.logBetween(20, 200_000);
  const exactIsBase = zeroForOne === exactInput;
  const amount = BigInt(Math.round((exactIsBase ? usd / price : usd) * 1e18));
  const r = swap(s, {
    zeroForOne,
    amountSpecified: exactInput ? amount : -amount,
    sqrtPriceLimitX96: zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n,
    time,
  });
  const { sqrtPriceX96, liquidity, tick } = r.state;
  events.push({
    before: s,
    e: { amount0: r.amount0, amount1: r.amount1, sqrtPriceX96, liquidity, tick },
    time,
    exactInput,
  });
  s = r.state;
}

function cpuSeconds(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

for (const kind of [true, false]) {
  const batch = events.filter((x) => x.exactInput === kind);
  const t0 = process.cpuUsage();
  for (const x of batch) applySwapEvent(x.before, x.e, x.time);
  const seconds = cpuSeconds(t0);
  process.stdout.write(
    `${kind ? "exact input " : "exact output"}: ${batch.length} swaps in ${seconds.toFixed(2)} CPU-s = ${Math.round(batch.length / seconds)} swaps/s\n`,
  );
}
const t0 = process.cpuUsage();
let state = events[0]!.before;
for (const x of events) state = applySwapEvent(state, x.e, x.time).state;
const seconds = cpuSeconds(t0);
process.stdout.write(
  `chained replay of all ${events.length}: ${Math.round(events.length / seconds)} swaps/s\n`,
);
