/**
 * Cascade-risk analytics at portfolio scale (issue 5): 100,000 accounts, 300,000 positions,
 * 20 markets, one core. Times building the column store, all 20 liquidation ladders (±50% in
 * 0.5% steps), one cascade, a 40-shock stress grid and a 10,000-path one-day VaR/LaR, each
 * beside the naive baseline — the exact engine's bigint health (`marketMarks` at the moved
 * prices + `healthWithMarks` per account, the fastest exact sweep) re-run wherever the fast
 * path avoids it:
 *   build     one exact sweep of the book at the marks;
 *   ladders   one exact sweep per bin per market (20 × 201), measured on two bins;
 *   cascade   one exact sweep per round (+ the final check), measured on the first round;
 *   stress    the same for each of the 40 shocks;
 *   VaR       one exact sweep per path per step (10,000 × 25).
 * Baselines that would take hours are extrapolated from measured sweeps (and say so).
 *
 * Times are wall-clock, best and median of a few runs, with the process CPU time beside them
 * (the machine may be shared: CPU time is what the process itself spent). Prints memory.
 * `run()` is called by bench/run.ts; the file runs alone too.
 */

import { availableParallelism, loadavg } from "node:os";
import {
  bookOf,
  buildPositionStore,
  exactMarksAt,
  liquidationLadders,
  markExposure,
  marketThresholds,
  prepareCascade,
  runCascade,
  storeBytes,
  stressGrid,
  syntheticBook,
  valueAtRisk,
} from "../engine/analytics/index.js";
import {
  type ExchangeState,
  healthWithMarks,
  isLiquidatable,
  type MarketMarks,
} from "../engine/exact/index.js";
import { percentile, printTable } from "./report.js";

export interface AnalyticsBenchOptions {
  accounts: number;
  positions: number;
  markets: number;
  varPaths: number;
  repeats: number;
  seed: number;
}

const DEFAULTS: AnalyticsBenchOptions = {
  accounts: 100_000,
  positions: 300_000,
  markets: 20,
  varPaths: 10_000,
  repeats: 5,
  seed: 42,
};

interface Timing<T> {
  value: T;
  best: number;
  median: number;
  cpu: number;
}

/** Runs `f` `repeats` times; wall ms best/median and the CPU ms of the best run. */
function measure<T>(repeats: number, f: () => T): Timing<T> {
  const wall: number[] = [];
  let value: T | undefined;
  let cpu = Number.POSITIVE_INFINITY;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    value = f();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    wall.push(ms);
    if (ms < best) {
      best = ms;
      cpu = (c.user + c.system) / 1000;
    }
  }
  wall.sort((a, b) => a - b);
  return { value: value as T, best, median: percentile(wall, 0.5), cpu };
}

/** The naive sweep: exact health of every account at the marks; how many are liquidatable. */
function exactSweep(state: ExchangeState, marks: MarketMarks): number {
  let n = 0;
  for (const key in state.accounts) {
    const h = healthWithMarks(marks, state.accounts[key]!);
    if (h.ok && isLiquidatable(h.value)) n++;
  }
  return n;
}

/**
 * A fixed reference loop (3M multiply-adds through an index, like the analytics' inner loops):
 * ns per step, median of 5. On a shared machine it says how much of a core the runs got.
 */
function referenceNs(): number {
  const n = 300_000;
  const a = new Float64Array(n);
  const idx = new Int32Array(n);
  const w = new Float64Array(20);
  for (let i = 0; i < n; i++) {
    a[i] = (i % 97) / 97;
    idx[i] = i % 20;
  }
  for (let m = 0; m < 20; m++) w[m] = m / 20;
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) {
      for (let i = 0; i < n; i++) sink += a[i]! * w[idx[i]!]! + a[i]!;
    }
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  return sink === -1 ? 0 : (percentile(times, 0.5) * 1e6) / (10 * n);
}

const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(0)} ms`);
const human = (x: number) =>
  x >= 3_600_000
    ? `${(x / 3_600_000).toFixed(1)} h`
    : x >= 10_000
      ? `${(x / 1000).toFixed(0)} s`
      : ms(x);
const usd = (x: number) =>
  x >= 1e9
    ? `$${(x / 1e9).toFixed(2)}B`
    : x >= 1e6
      ? `$${(x / 1e6).toFixed(1)}M`
      : `$${x.toFixed(0)}`;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

export async function run(opts: AnalyticsBenchOptions = DEFAULTS): Promise<void> {
  const t0 = performance.now();
  const book = syntheticBook({
    seed: opts.seed,
    accounts: opts.accounts,
    positions: opts.positions,
    markets: opts.markets,
  });
  const genMs = performance.now() - t0;
  const { state, timestamp } = book;
  const memBook = process.memoryUsage();
  const refBefore = referenceNs();
  const loadBefore = loadavg()[0]!;

  // ---- the fast paths
  const build = measure(opts.repeats, () => buildPositionStore(bookOf(state, timestamp)));
  const store = build.value;
  const ladders = measure(opts.repeats, () => {
    const ex = markExposure(store);
    return liquidationLadders(store, {}, ex, marketThresholds(store, ex));
  });
  const shock = { kind: "correlated", move: -0.2 } as const;
  const cascade1 = measure(opts.repeats, () => runCascade(prepareCascade(store), shock));
  const ctx = prepareCascade(store);
  const cascadeRun = measure(opts.repeats, () => runCascade(ctx, shock));
  const stress = measure(Math.min(3, opts.repeats), () => stressGrid(store, {}, undefined, ctx));
  const stressShock = measure(Math.min(3, opts.repeats), () =>
    stressGrid(store, { mode: "shock" }, undefined, ctx),
  );
  const varRun = measure(1, () => valueAtRisk(store, { paths: opts.varPaths, seed: 1 }));
  const memAfter = process.memoryUsage();
  const refAfter = referenceNs();
  const loadAfter = loadavg()[0]!;

  // ---- the naive baselines
  const marks = exactMarksAt(state, timestamp, store.price);
  const sweep = measure(2, () => exactSweep(state, marks));
  const sweepMs = sweep.best;
  const l0 = ladders.value[0]!;
  const binSweeps = measure(1, () => {
    let n = 0;
    for (const j of [40, 160]) {
      const prices = Float64Array.from(store.price);
      prices[0] = l0.prices[j]!;
      n += exactSweep(state, exactMarksAt(state, timestamp, prices));
    }
    return n;
  });
  const perBin = binSweeps.best / 2;
  const bins = l0.moves.length * store.marketCount;
  const c = cascadeRun.value;
  const roundSweep = measure(1, () =>
    exactSweep(
      state,
      exactMarksAt(
        state,
        timestamp,
        c.pricePath.map((p) => p[1]!),
      ),
    ),
  );
  const cascadeSweeps = c.rounds.length + 1;
  const stressSweeps = stress.value.rows.reduce((s, r) => s + r.rounds + 1, 0);
  const varSweeps = opts.varPaths * (varRun.value.steps + 1);

  const N = `${opts.accounts.toLocaleString("en-US")} accounts, ${store.positionCount.toLocaleString("en-US")} positions, ${store.marketCount} markets`;
  const head = ["", "target", "best", "median", "cpu", "naive bigint baseline", "speed-up"];
  const row = (
    name: string,
    target: string,
    t: Timing<unknown>,
    baseline: number,
    how: string,
  ): string[] => [
    name,
    target,
    ms(t.best),
    ms(t.median),
    ms(t.cpu),
    `${human(baseline)} (${how})`,
    `${(baseline / t.best).toFixed(baseline / t.best < 100 ? 1 : 0)}×`,
  ];
  printTable(`analytics: ${N}`, [
    head,
    row("build store", "≤ 200 ms", build, sweepMs, "1 exact sweep, measured"),
    row(
      `ladders (${store.marketCount} × ${l0.moves.length} bins)`,
      "≤ 50 ms",
      ladders,
      perBin * bins,
      `${bins} sweeps, ${ms(perBin)} each measured`,
    ),
    row(
      "one cascade (prepare + run)",
      "≤ 50 ms",
      cascade1,
      roundSweep.best * cascadeSweeps,
      `${cascadeSweeps} sweeps, 1 measured`,
    ),
    row(
      "one cascade (run, prepared)",
      "",
      cascadeRun,
      roundSweep.best * cascadeSweeps,
      `${cascadeSweeps} sweeps, 1 measured`,
    ),
    row(
      "stress grid, 40 cascades",
      "≤ 1 s",
      stress,
      sweepMs * stressSweeps,
      `${stressSweeps} sweeps`,
    ),
    row("stress grid, 40 shocks only", "", stressShock, sweepMs * 80, "80 sweeps"),
    row(
      `VaR/LaR, ${opts.varPaths.toLocaleString("en-US")} paths × ${varRun.value.steps} steps`,
      "≤ 5 s",
      varRun,
      sweepMs * varSweeps,
      `${varSweeps.toLocaleString("en-US")} sweeps`,
    ),
  ]);

  const v = varRun.value;
  const g = stress.value;
  printTable("what the runs found", [
    ["book", `generated in ${(genMs / 1000).toFixed(1)} s (not timed above)`],
    [
      "at the mark",
      `${sweep.value} accounts liquidatable (exact sweep ${ms(sweepMs)} = ${((sweepMs * 1000) / opts.accounts).toFixed(1)} µs/account)`,
    ],
    [
      `ladder ${l0.symbol}`,
      `−10%: ${usd(l0.within[3]!.down.notional)} in ${l0.within[3]!.down.count} accounts; −50%: ${usd(l0.notional[0]!)}, bad debt ${usd(l0.badDebt[0]!)}`,
    ],
    [
      "cascade −20% (correlated)",
      `${c.rounds.length} rounds, ${c.liquidatedAccounts} accounts, ${usd(c.liquidatedNotional)} notional, bad debt ${usd(c.badDebt)}, amplification ${c.amplification.toFixed(2)}`,
    ],
    [
      "stress grid",
      `bad debt from ${(g.firstBadDebt.down * 100).toFixed(1)}% / +${(g.firstBadDebt.up * 100).toFixed(1)}%; ${g.rows.filter((r) => r.adlTriggered).length}/40 shocks trigger ADL with an empty fund`,
    ],
    [
      "one-day VaR (bad debt)",
      `95% ${usd(v.badDebtVaR.p95)}, 99% ${usd(v.badDebtVaR.p99)}; P(bad debt) ${(v.probabilityOfBadDebt * 100).toFixed(1)}%`,
    ],
    [
      "one-day LaR (liquidations)",
      `95% ${usd(v.liquidationsLaR.p95)}, 99% ${usd(v.liquidationsLaR.p99)}`,
    ],
  ]);
  printTable("machine", [
    [
      "load average (1 min)",
      `${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after the timed runs, on ${availableParallelism()} cores`,
    ],
    [
      "reference loop",
      `${refBefore.toFixed(2)} ns/step before, ${refAfter.toFixed(2)} after (lower is a freer core)`,
    ],
  ]);
  printTable("memory", [
    ["column store", mib(storeBytes(store))],
    [
      "process after the book",
      `RSS ${mib(memBook.rss)}, heap ${mib(memBook.heapUsed)}, array buffers ${mib(memBook.arrayBuffers)}`,
    ],
    [
      "process after analytics",
      `RSS ${mib(memAfter.rss)}, heap ${mib(memAfter.heapUsed)}, array buffers ${mib(memAfter.arrayBuffers)}`,
    ],
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
