/**
 * The Curie engine against the real bytecode: seeded random operations (see
 * test/randomOps.ts), each mined in its own block on a manual-mining anvil; after each block the
 * block's logs are decoded into CurieEvents and applied, then every mirrored view of every
 * account and market is compared with the contract's at that block, and the engine's revert
 * prediction with what happened. 2 seeds × 300 operations in CI (the suite's budget; session 7
 * ran 3 × 700, and every CI run of sessions 8–11 2 × 500, with no mismatch);
 * PERPWATCH_CURIE_DIFF_OPS=100000 and PERPWATCH_CURIE_DIFF_SEEDS=1,2,3,… run the long form.
 */
import { describe, expect, it } from "vitest";
import { type CurieChain, mineAndReplay, startCurieChain } from "../test/curieChain.js";
import { RandomOps } from "../test/randomOps.js";
import { compareViews, type ViewMismatch } from "../test/viewCheck.js";

const OPS = Number(process.env.PERPWATCH_CURIE_DIFF_OPS ?? 300);
const SEEDS = (process.env.PERPWATCH_CURIE_DIFF_SEEDS ?? "1,2").split(",").map(Number);
/** Stop a run at this many mismatching blocks: the first ones say what is wrong. */
const MAX_REPORTED = 5;

interface Run {
  blocks: number;
  views: number;
  mismatches: { op: number; kind: string; list: ViewMismatch[] }[];
  wrongPredictions: {
    op: number;
    kind: string;
    predicted: boolean;
    reverted: boolean;
    why?: string;
  }[];
  unpredicted: Record<string, { sent: number; reverted: number }>;
  reverted: Record<string, number>;
  succeeded: Record<string, number>;
}

async function run(c: CurieChain, seed: number, ops: number): Promise<Run> {
  const r: Run = {
    blocks: 0,
    views: 0,
    mismatches: [],
    wrongPredictions: [],
    unpredicted: {},
    reverted: {},
    succeeded: {},
  };
  const gen = new RandomOps(c, seed);
  const script = gen.anchor();
  for (let i = 0; i < ops + script.length; i++) {
    // A few ordinary operations, then a crash, so every seed liquidates early.
    if (i === script.length + 12) gen.queueCrash();
    const op = i < script.length ? script[i]! : gen.next();
    const statuses = await mineAndReplay(c, await op.send(), op.gap);
    const reverted = statuses.some((ok) => !ok);
    if (reverted) r.reverted[op.why ?? op.kind] = (r.reverted[op.why ?? op.kind] ?? 0) + 1;
    else {
      const what = op.kind === "liquidate" ? (op.why ?? op.kind) : op.kind;
      r.succeeded[what] = (r.succeeded[what] ?? 0) + 1;
    }
    if (op.reverts === undefined) {
      const u = r.unpredicted[op.kind] ?? { sent: 0, reverted: 0 };
      r.unpredicted[op.kind] = { sent: u.sent + 1, reverted: u.reverted + (reverted ? 1 : 0) };
    } else if (op.reverts !== reverted) {
      r.wrongPredictions.push({
        op: i,
        kind: op.kind,
        predicted: op.reverts,
        reverted,
        why: op.why,
      });
    }
    const v = await compareViews(c);
    r.blocks++;
    r.views += v.compared;
    if (v.mismatches.length > 0) {
      r.mismatches.push({ op: i, kind: op.kind, list: v.mismatches.slice(0, 10) });
      if (r.mismatches.length >= MAX_REPORTED) break;
    }
  }
  return r;
}

describe("Curie engine vs the real bytecode", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${OPS} operations, every view after every block`, async () => {
      const c = await startCurieChain(seed, { makers: 2, takers: 4 });
      let r: Run;
      try {
        r = await run(c, seed, OPS);
      } finally {
        await c.anvil.stop();
      }
      process.stderr.write(
        `curie differential seed ${seed}: ${r.blocks} blocks, ${c.events} events, ${r.views} view values compared; succeeded ${JSON.stringify(r.succeeded)}; reverted ${JSON.stringify(r.reverted)}; not predicted ${JSON.stringify(r.unpredicted)}\n`,
      );
      expect(r.mismatches).toEqual([]);
      expect(r.wrongPredictions).toEqual([]);
      // The run must have reached what it claims to prove: trades both ways, makers, liquidations.
      if (OPS >= 200) {
        const liquidations = Object.entries(r.succeeded)
          .filter(([k]) => k.endsWith("liquidation") || k.endsWith("bad debt"))
          .reduce((n, [, v]) => n + v, 0);
        expect(liquidations).toBeGreaterThan(0);
        for (const kind of ["addLiquidity", "removeLiquidity", "close", "oracle", "withdraw"]) {
          expect(r.succeeded[kind] ?? 0, kind).toBeGreaterThan(0);
        }
      }
    }, 1_800_000);
  }
});
