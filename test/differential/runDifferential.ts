/**
 * One seeded differential run: the same operations applied to a real anvil and to the
 * engine, with the outcome (success ⇔ receipt status, the revert's error name and arguments,
 * every emitted event) compared after each operation and every view after each block (most
 * blocks hold one operation; the loss mixes several). After every operation the engine's
 * state must also keep the accounting invariant (engine/accounting.ts); as every term of it
 * — token balance, collateral, fund, bad debt, records — is a view compared to the wei, the
 * chain keeps it too. The first mismatch stops the run with the seed, the operation index,
 * the operation and both values.
 */

import { SeededRandom } from "../../engine/seededRandom.js";
import { DEFAULT_MARKETS } from "../../protocols/reference/devnet/markets.js";
import {
  accountingBreaks,
  applyOperation,
  type ExchangeState,
  type Ledger,
  ledgerAfter,
  type OpResult,
  openingLedger,
  PositionChange,
} from "../../protocols/reference/engine/index.js";
import {
  type DiffChain,
  engineErrorArgs,
  initialEngineState,
  readViews,
  sendBlock,
  sendOp,
  startDiffChain,
  type TxOutcome,
  warp,
} from "./chainHarness.js";
import { type Difference, diff, show } from "./compare.js";
import { Generator, type GenStep } from "./generator.js";
import type { BlockTx } from "./lossMixes.js";
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
  /** Blocks of several operations, per mix. */
  mixes: Record<string, number>;
  /** Reducing trades of an account with negative equity, reverted (loss path 1). */
  underwaterReducesReverted: number;
  /** (account, market) pairs that held a long and a short ADL record at once (loss path 2). */
  oppositeSideRecordPairs: number;
  /** ADL fills whose charge was capped at the counterparty's profit (loss path 3). */
  adlChargesCappedAtProfit: number;
  /** Operations after which the accounting invariant was checked. */
  invariantChecks: number;
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

function describeStep(step: GenStep | BlockTx, ts: bigint): string {
  if ("kind" in step && step.kind === "warp") return `warp to ${ts} (+${step.dt}s)`;
  if ("kind" in step && step.kind === "block") return `${step.label}: a block at ${ts}`;
  return `${step.label}: ${show(step.op)} from ${step.sender} at ${ts}`;
}

function fail(
  seed: number,
  index: number,
  what: string,
  step: GenStep | BlockTx | null,
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

/** Counts what one operation exercised, the loss paths included. */
function tally(stats: DiffStats, tx: BlockTx, res: OpResult, before: ExchangeState): void {
  const kind = tx.op.kind;
  const k = stats.kinds[kind] ?? { ok: 0, reverted: 0 };
  stats.kinds[kind] = k;
  stats.labels[tx.label] = (stats.labels[tx.label] ?? 0) + 1;
  if (!res.ok) {
    k.reverted++;
    stats.errors[res.error.name] = (stats.errors[res.error.name] ?? 0) + 1;
    if (
      tx.op.kind === "modifyPosition" &&
      res.error.name === "InsufficientMargin" &&
      res.error.args.initialMargin === 0n &&
      res.error.args.equity < 0n
    ) {
      stats.underwaterReducesReverted++;
    }
    return;
  }
  k.ok++;
  for (const e of res.events) {
    if (e.name === "AccountLiquidated") {
      stats.liquidations++;
      if (e.args.badDebt > 0n) stats.liquidationsWithBadDebt++;
      if (e.args.insuranceCovered > 0n) stats.liquidationsInsuranceCovered++;
    }
    if (e.name === "PositionAutoDeleveraged") stats.adlPositionsClosed++;
    if (
      e.name === "PositionModified" &&
      e.args.kind === PositionChange.Adl &&
      e.args.realizedPnl + e.args.realizedFunding === 0n
    ) {
      stats.adlChargesCappedAtProfit++;
    }
  }
  if (
    tx.op.kind === "autoDeleverage" &&
    res.events.some((e) => e.name === "PositionAutoDeleveraged")
  ) {
    stats.adlWithDeleverage++;
  }
  if (tx.op.kind === "liquidate") {
    const a = res.state.accounts[tx.op.accountId.toString()];
    const had = before.accounts[tx.op.accountId.toString()]?.adlRecords ?? {};
    for (const key of Object.keys(a?.adlRecords ?? {})) {
      if (!key.endsWith(":long")) continue;
      const short = key.replace(":long", ":short");
      if (a?.adlRecords[short] && !(had[key] && had[short])) stats.oppositeSideRecordPairs++;
    }
  }
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
    mixes: {},
    underwaterReducesReverted: 0,
    oppositeSideRecordPairs: 0,
    adlChargesCappedAtProfit: 0,
    invariantChecks: 0,
  };
  try {
    let state = await initialEngineState(chain);
    let ledger: Ledger = openingLedger(state);
    let now = chain.startTime;
    stats.viewsCompared += await checkViews(chain, state, now, (d) =>
      fail(seed, -1, "initial views", null, now, d),
    );
    const gen = new Generator(
      new SeededRandom(seed, "xoshiro128**"),
      chain.actors,
      { catalog: DEFAULT_MARKETS.slice(2), maxMarkets: 6, maxAccounts: 16, mixChance: 0.045 },
      state,
    );
    while (stats.ops < ops) {
      const step = gen.next(state, now);
      const ts = now + step.dt;
      if (step.kind === "warp") {
        await warp(chain, ts);
        const k = stats.kinds.warp ?? { ok: 0, reverted: 0 };
        stats.kinds.warp = { ...k, ok: k.ok + 1 };
        stats.labels.warp = (stats.labels.warp ?? 0) + 1;
        stats.ops++;
      } else {
        const txs: BlockTx[] =
          step.kind === "op" ? [{ op: step.op, sender: step.sender, label: step.label }] : step.txs;
        if (step.kind === "block") stats.mixes[step.label] = (stats.mixes[step.label] ?? 0) + 1;
        const outcomes =
          step.kind === "op"
            ? [await sendOp(chain, step.op, step.sender, ts)]
            : await sendBlock(chain, txs, ts);
        for (let j = 0; j < txs.length; j++) {
          const tx = txs[j]!;
          const out = outcomes[j]!;
          const i = stats.ops;
          const res = applyOperation(state, tx.op, { timestamp: ts, sender: tx.sender });
          if (out.blockTime !== ts || out.blockNumber !== outcomes[0]!.blockNumber) {
            fail(seed, i, "block", tx, ts, [
              { path: "block.timestamp", engine: ts, chain: out.blockTime },
              { path: "block.number", engine: outcomes[0]!.blockNumber, chain: out.blockNumber },
            ]);
          }
          const diffs = diff(outcomeOf(res), chainOutcomeOf(out), "outcome");
          if (diffs.length > 0) {
            fail(
              seed,
              i,
              "outcome",
              tx,
              ts,
              diffs,
              `engine: ${show(outcomeOf(res))}\nchain:  ${show(chainOutcomeOf(out))}`,
            );
          }
          tally(stats, tx, res, state);
          if (res.ok) {
            state = res.state;
            ledger = ledgerAfter(ledger, res.events);
          }
          const breaks = accountingBreaks(state, ledger);
          if (breaks.length > 0) {
            fail(seed, i, "accounting invariant", tx, ts, [], breaks.join("\n"));
          }
          stats.invariantChecks++;
          stats.ops++;
        }
      }
      now = ts;
      stats.viewsCompared += await checkViews(chain, state, now, (d) =>
        fail(seed, stats.ops - 1, "views", step, ts, d),
      );
    }
  } finally {
    await chain.anvil.stop();
  }
  stats.ms = Date.now() - started;
  return stats;
}
