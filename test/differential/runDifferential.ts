/**
 * One seeded differential run: the same operations applied to a real anvil and to the
 * engine, with the outcome (success ⇔ receipt status, the revert's error name and arguments,
 * every emitted event) and then every view compared after each operation. The first mismatch
 * stops the run with the seed, the operation index, the operation and both values.
 */

import { SeededRandom } from "../../engine/seededRandom.js";
import { DEFAULT_MARKETS } from "../../protocols/reference/devnet/markets.js";
import {
  applyOperation,
  type ExchangeState,
  type OpResult,
} from "../../protocols/reference/engine/index.js";
import {
  type DiffChain,
  engineErrorArgs,
  initialEngineState,
  readViews,
  sendOp,
  startDiffChain,
  type TxOutcome,
  warp,
} from "./chainHarness.js";
import { type Difference, diff, show } from "./compare.js";
import { Generator, type GenStep } from "./generator.js";
import { viewPairs } from "./viewCheck.js";

export interface DiffStats {
  seed: number;
  ops: number;
  ms: number;
  viewsCompared: number;
  /** Per operation kind (and "warp"): successes and reverts. */
  kinds: Record<string, { ok: number; reverted: number }>;
  /** Reverts per error name. */
  errors: Record<string, number>;
  /** Generator intents. */
  labels: Record<string, number>;
  liquidations: number;
  liquidationsWithBadDebt: number;
  liquidationsInsuranceCovered: number;
  adlWithDeleverage: number;
  adlPositionsClosed: number;
}

export class DifferentialMismatch extends Error {}

function outcomeOf(r: OpResult): unknown {
  return r.ok
    ? { ok: true, events: r.events.map((e) => ({ name: e.name, args: e.args })) }
    : {
        ok: false,
        error: {
          name: r.error.name,
          args: engineErrorArgs(r.error.name, r.error.args as Record<string, unknown>),
        },
      };
}

function chainOutcomeOf(t: TxOutcome): unknown {
  return t.ok
    ? { ok: true, events: t.events }
    : { ok: false, error: { name: t.error.name, args: [...t.error.args] } };
}

function describeStep(step: GenStep, ts: bigint): string {
  return step.kind === "warp"
    ? `warp to ${ts} (+${step.dt}s)`
    : `${step.label}: ${show(step.op)} from ${step.sender} at ${ts} (+${step.dt}s)`;
}

function fail(
  seed: number,
  index: number,
  what: string,
  step: GenStep | null,
  ts: bigint,
  diffs: Difference[],
  extra = "",
): never {
  const lines = diffs
    .slice(0, 12)
    .map((d) => `  ${d.path}: engine=${show(d.engine)} chain=${show(d.chain)}`);
  throw new DifferentialMismatch(
    [
      `differential mismatch (${what}): seed ${seed}, operation #${index}`,
      step ? `operation: ${describeStep(step, ts)}` : "before the first operation",
      ...lines,
      diffs.length > 12 ? `  … ${diffs.length - 12} more differences` : "",
      extra,
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

async function checkViews(
  chain: DiffChain,
  state: ExchangeState,
  now: bigint,
  onDiff: (diffs: Difference[], extra?: string) => never,
): Promise<number> {
  const pairs = viewPairs(chain, state, now);
  const { blockTime, replies } = await readViews(
    chain,
    pairs.map((p) => p.call),
  );
  if (blockTime !== now)
    onDiff([{ path: "latest block timestamp", engine: now, chain: blockTime }]);
  const diffs: Difference[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    diff(p.engine(), replies[i], p.call.key, diffs);
  }
  if (diffs.length > 0) onDiff(diffs);
  return pairs.length;
}

export async function runDifferential(seed: number, ops: number): Promise<DiffStats> {
  const started = Date.now();
  const chain = await startDiffChain({
    seed,
    traders: 6,
    initialMarkets: 2,
    insuranceFund: 500,
    vaultBuffer: 50_000,
    maxPriceAge: 60,
  });
  const stats: DiffStats = {
    seed,
    ops: 0,
    ms: 0,
    viewsCompared: 0,
    kinds: {},
    errors: {},
    labels: {},
    liquidations: 0,
    liquidationsWithBadDebt: 0,
    liquidationsInsuranceCovered: 0,
    adlWithDeleverage: 0,
    adlPositionsClosed: 0,
  };
  try {
    let state = await initialEngineState(chain);
    let now = chain.startTime;
    stats.viewsCompared += await checkViews(chain, state, now, (d) =>
      fail(seed, -1, "initial views", null, now, d),
    );
    const gen = new Generator(
      new SeededRandom(seed, "xoshiro128**"),
      chain.actors,
      { catalog: DEFAULT_MARKETS.slice(2), maxMarkets: 6, maxAccounts: 16 },
      state,
    );
    for (let i = 0; i < ops; i++) {
      const step = gen.next(state, now);
      const ts = now + step.dt;
      stats.labels[step.label] = (stats.labels[step.label] ?? 0) + 1;
      const kind = step.kind === "warp" ? "warp" : step.op.kind;
      const k = stats.kinds[kind] ?? { ok: 0, reverted: 0 };
      stats.kinds[kind] = k;
      if (step.kind === "warp") {
        await warp(chain, ts);
        k.ok++;
      } else {
        const res = applyOperation(state, step.op, { timestamp: ts, sender: step.sender });
        const tx = await sendOp(chain, step.op, step.sender, ts);
        if (tx.blockTime !== ts) {
          fail(seed, i, "block time", step, ts, [
            { path: "block.timestamp", engine: ts, chain: tx.blockTime },
          ]);
        }
        const diffs = diff(outcomeOf(res), chainOutcomeOf(tx), "outcome");
        if (diffs.length > 0) {
          fail(
            seed,
            i,
            "outcome",
            step,
            ts,
            diffs,
            `engine: ${show(outcomeOf(res))}\nchain:  ${show(chainOutcomeOf(tx))}`,
          );
        }
        if (res.ok) {
          k.ok++;
          state = res.state;
          for (const e of res.events) {
            if (e.name === "AccountLiquidated") {
              stats.liquidations++;
              if (e.args.badDebt > 0n) stats.liquidationsWithBadDebt++;
              if (e.args.insuranceCovered > 0n) stats.liquidationsInsuranceCovered++;
            }
            if (e.name === "PositionAutoDeleveraged") stats.adlPositionsClosed++;
          }
          if (
            step.op.kind === "autoDeleverage" &&
            res.events.some((e) => e.name === "PositionAutoDeleveraged")
          ) {
            stats.adlWithDeleverage++;
          }
        } else {
          k.reverted++;
          stats.errors[res.error.name] = (stats.errors[res.error.name] ?? 0) + 1;
        }
      }
      now = ts;
      stats.ops++;
      stats.viewsCompared += await checkViews(chain, state, now, (d) =>
        fail(seed, i, "views", step, ts, d),
      );
    }
  } finally {
    await chain.anvil.stop();
  }
  stats.ms = Date.now() - started;
  return stats;
}
