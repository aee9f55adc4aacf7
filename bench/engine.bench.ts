/**
 * Exact-engine throughput: account health evaluations per second for accounts holding 1, 5
 * and 20 positions on an exchange with 20 markets, with funding accrued over hours so every
 * evaluation does the full funding math.
 *
 * Measured: `marketMarks` once per block + `healthWithMarks` per account (what an indexer or
 * API does when it sweeps every account at one block), including the marks' cost. Baseline,
 * in the same run: `accountHealth`, the contract-faithful evaluation that recomputes each
 * market's funding index from scratch for every position (no caching), as `_health` does on
 * chain. Both give identical numbers (checked and printed). `run()` is called by
 * bench/run.ts; the file runs alone too.
 */
import {
  accountHealth,
  applyOperation,
  deployedState,
  type ExchangeState,
  healthWithMarks,
  type MarketParams,
  marketMarks,
  type Operation,
} from "../protocols/reference/engine/index.js";
import { printTable } from "./report.js";

const D18 = 10n ** 18n;
const OWNER = "0x00000000000000000000000000000000000000a0" as const;
const KEEPER = "0x00000000000000000000000000000000000000a1" as const;
const TRADER = "0x00000000000000000000000000000000000000b1" as const;
const T0 = 1_767_225_600n;
const MARKETS = 20;

function must(
  s: ExchangeState,
  op: Operation,
  sender: `0x${string}`,
  timestamp: bigint,
): ExchangeState {
  const r = applyOperation(s, op, { timestamp, sender });
  if (!r.ok) throw new Error(`bench setup: ${op.kind} failed: ${r.error.message}`);
  return r.state;
}

function params(i: number): MarketParams {
  return {
    skewScale: BigInt(10_000 * (i + 1)) * D18,
    maxFundingVelocity: 9n * D18,
    imrScalar: D18,
    imrMin: D18 / 50n,
    mmScalar: D18 / 2n,
    minPositionMargin: 50n * D18,
    takerFee: D18 / 2000n,
    keeperRewardRatio: D18 / 2000n,
    maxKeeperReward: 500n * D18,
    liquidationPenaltyRatio: D18 / 200n,
    maxOpenInterest: 10n ** 30n,
  };
}

/** 20 markets; `perGroup` accounts each holding 1, 5 and 20 positions; prices moved hourly. */
function buildState(perGroup: number): {
  state: ExchangeState;
  groups: Record<number, bigint[]>;
  at: bigint;
} {
  let s = deployedState({
    address: "0x00000000000000000000000000000000000000e0",
    owner: OWNER,
    maxPriceAge: 10n ** 9n,
  }).state;
  s = must(s, { kind: "setUpdater", updater: KEEPER, allowed: true }, OWNER, T0);
  const ids = Array.from({ length: MARKETS }, (_, i) => BigInt(i + 1));
  for (let i = 0; i < MARKETS; i++)
    s = must(s, { kind: "createMarket", symbol: `M${i + 1}`, params: params(i) }, OWNER, T0);
  const price = (i: number, t: number) =>
    BigInt(Math.round((100 + i * 37) * (1 + 0.03 * Math.sin(t + i)) * 1e8)) * 10n ** 10n;
  s = must(
    s,
    { kind: "setPrices", marketIds: ids, prices: ids.map((_, i) => price(i, 0)) },
    KEEPER,
    T0,
  );
  const groups: Record<number, bigint[]> = { 1: [], 5: [], 20: [] };
  let t = T0;
  let n = 0;
  for (const k of [1, 5, 20]) {
    for (let j = 0; j < perGroup; j++) {
      t += 60n;
      n++;
      s = must(
        s,
        { kind: "setPrices", marketIds: ids, prices: ids.map((_, i) => price(i, n)) },
        KEEPER,
        t,
      );
      s = must(s, { kind: "createAccount" }, TRADER, t);
      const id = s.accountCount;
      s = must(
        s,
        { kind: "modifyCollateral", accountId: id, amountDelta: 1_000_000n * D18 },
        TRADER,
        t,
      );
      for (let m = 0; m < k; m++) {
        const marketId = BigInt(((j * 7 + m * 3) % MARKETS) + 1);
        const size =
          ((j + m) % 2 === 0 ? 1n : -1n) * (D18 + BigInt(j * 1_000_003 + m * 7_919) * 10n ** 9n);
        s = must(
          s,
          { kind: "modifyPosition", accountId: id, marketId, sizeDelta: size },
          TRADER,
          t,
        );
      }
      groups[k]!.push(id);
    }
  }
  // hours later, at new prices: funding has accrued on every market
  const at = t + 6n * 3_600n;
  s = must(
    s,
    { kind: "setPrices", marketIds: ids, prices: ids.map((_, i) => price(i, n + 1)) },
    KEEPER,
    at,
  );
  return { state: s, groups, at: at + 1_800n };
}

/** Evaluations per second of `sweep` (which evaluates `count` accounts), over ~`ms`. */
function measure(count: number, ms: number, sweep: () => void): number {
  sweep(); // warm-up
  let evals = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    sweep();
    evals += count;
    elapsed = performance.now() - started;
  }
  return (evals / elapsed) * 1000;
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

export async function run(
  opts: { accountsPerGroup: number; msPerMeasure: number } = {
    accountsPerGroup: 200,
    msPerMeasure: 1_500,
  },
): Promise<void> {
  const setupStarted = performance.now();
  const { state, groups, at } = buildState(opts.accountsPerGroup);
  const setupMs = performance.now() - setupStarted;
  const rows: string[][] = [
    ["positions", "marks + healthWithMarks", "baseline accountHealth", "ratio", "identical"],
  ];
  for (const k of [1, 5, 20] as const) {
    const ids = groups[k]!;
    const accounts = ids.map((id) => state.accounts[id.toString()]!);
    let identical = true;
    const marks0 = marketMarks(state, at);
    for (const a of accounts) {
      const x = healthWithMarks(marks0, a);
      const y = accountHealth(state, a.accountId, at);
      if (
        JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}` : v)) !==
        JSON.stringify(y, (_k, v) => (typeof v === "bigint" ? `${v}` : v))
      )
        identical = false;
    }
    const fast = measure(accounts.length, opts.msPerMeasure, () => {
      const marks = marketMarks(state, at);
      for (const a of accounts) healthWithMarks(marks, a);
    });
    const naive = measure(accounts.length, opts.msPerMeasure, () => {
      for (const a of accounts) accountHealth(state, a.accountId, at);
    });
    rows.push([
      String(k),
      `${fmt(fast)} /s`,
      `${fmt(naive)} /s`,
      `${(fast / naive).toFixed(1)}x`,
      identical ? "yes" : "NO",
    ]);
  }
  printTable(
    `exact engine: account health evaluations per second (${MARKETS} markets, ${opts.accountsPerGroup} accounts per row, setup ${fmt(setupMs)} ms)`,
    rows,
  );
  console.log(
    "  marks + healthWithMarks: per-market price and funding index computed once per block (cost included), then each account.",
  );
  console.log(
    "  baseline: accountHealth, the contract's _health order: funding index recomputed from scratch for every position.",
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run();
}
